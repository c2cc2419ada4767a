import ArgumentParser
import GrokSimCore
import GrokSimRun

/// `groksim check`: which of the theorem's assumptions a config satisfies, with both sides of each.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the theorem's assumptions (A1)-(A6) for a config, showing both sides of each inequality.",
        discussion: """
        The theorem of Xu et al. (2024) assumes, for a large universal constant C:
          (A1) ||mu||^2 >= C n^0.51 sqrt(p)   (A2) p >= C n^2 ||mu||^2   (A3) eta <= 1/C
          (A4) alpha <= 1/(C n p)   (A5) omega n m^1.5 p <= alpha ||mu||^2   (A6) m >= C n^0.02
        The same report (at C = 1) is stored in every run file under /assumptions.
        Exit status 0 whether or not they hold; the report says which fail.
        """)

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
