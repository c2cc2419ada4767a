import ArgumentParser
import GrokSimCore
import GrokSimRun

/// `groksim check`: which of its model's theorem assumptions a config satisfies, with both sides of each.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate a model's theorem assumptions for a config, showing both sides of each inequality.",
        discussion: ModelRegistry.models.compactMap { model in
            (model as? any AnalyzableModel)?.assumptionsHelp.map { "Model \(model.name):\n" + $0 }
        }.joined(separator: "\n\n") + "\nExit status 0 whether or not they hold; the report says which fail.")

    @OptionGroup var experiment: ConfigOptions

    @Option(help: "The constant C of the assumptions.")
    var constant: Double = 1

    func validate() throws {
        guard constant.isFinite && constant > 0 else { throw ValidationError("--constant must be a positive number") }
    }

    func run() throws {
        let config = try experiment.resolve()
        let model = ModelRegistry.model(of: config)
        guard let report = (model as? any AnalyzableModel)?.assumptionsReport(config, constant: constant) else {
            throw CommandFailure("model \"\(model.name)\" states no theorem assumptions to check")
        }
        print(report)
    }
}
