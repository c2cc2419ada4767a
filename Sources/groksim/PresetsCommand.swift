import ArgumentParser
import GrokSimCore

/// `groksim presets`: the named configurations, one line each, or one in full.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the presets, one line each, or print one as a config file.")

    @Argument(help: "Print this preset's resolved config as a config file you can edit and pass to 'groksim run'.")
    var name: String?

    func run() throws {
        if let name {
            do {
                let config = try ConfigLoader.resolve(preset: try Preset.named(name), file: [], overrides: [])
                print("# preset \(name)")
                print(ConfigLoader.render(config), terminator: "")
            } catch let error as ConfigError {
                throw CommandFailure(error.description)
            }
            return
        }
        let width = Preset.all.map(\.name.count).max() ?? 0
        for preset in Preset.all {
            print(preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + preset.summary)
        }
    }
}
