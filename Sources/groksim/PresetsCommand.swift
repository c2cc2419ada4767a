import ArgumentParser
import Foundation
import GrokSimCore

/// `groksim presets`: the named configurations, one line each, or one in full.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List every model's presets, a model's keys, or print one preset as a config file.")

    @Argument(help: ArgumentHelp("A preset's name: print its resolved config as a config file to edit and pass to 'groksim run'. "
                                 + "A model's name: list its presets and its keys with their meaning."))
    var name: String?

    func run() throws {
        if let name, let model = ModelRegistry.models.first(where: { $0.name == name }) {
            print("model \(model.name): \(model.summary)\n\npresets:")
            list(model.presets)
            print("\n" + ConfigOptions.keysHelp(for: model))
            return
        }
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
        for model in ModelRegistry.models {
            print("model \(model.name): \(model.summary)")
            list(model.presets)
            print()
        }
        print("'groksim presets MODEL' lists a model's keys; 'groksim presets PRESET' prints a preset as a config file.")
    }

    private func list(_ presets: [Preset]) {
        let width = Preset.all.map(\.name.count).max() ?? 0
        for preset in presets {
            print("  " + preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + preset.summary)
        }
    }
}
