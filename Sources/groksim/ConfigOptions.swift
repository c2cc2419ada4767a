import ArgumentParser
import Foundation
import GrokSimCore

/// The options that say which experiment to run: a config file, a preset and overrides.
struct ConfigOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Config file of 'key = value' lines (a flat TOML subset, '#' comments).",
                                 valueName: "config"))
    var configFile: String?

    @Option(name: .long, help: "Start from a named preset (see 'groksim presets'); the config file and --set apply on top.")
    var preset: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one config key, e.g. --set m=200 --set precision=float32 (repeatable).",
                                                      valueName: "key=value"))
    var overrides: [String] = []

    /// The resolved and validated config; throws a one-line `CommandFailure`.
    func resolve() throws -> ExperimentConfig {
        do {
            let preset = try preset.map(Preset.named)
            var file: [(String, ConfigValue)] = []
            if let configFile {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: configFile, isDirectory: &isDirectory) else {
                    throw ConfigError("config file '\(configFile)' does not exist")
                }
                if isDirectory.boolValue { throw ConfigError("config file '\(configFile)' is a directory") }
                let type = (try? FileManager.default.attributesOfItem(atPath: configFile)[.type]) as? FileAttributeType
                guard type == .typeRegular || type == .typeSymbolicLink else {
                    throw ConfigError("config file '\(configFile)' is not a regular file")
                }
                guard let text = try? String(contentsOfFile: configFile, encoding: .utf8) else {
                    throw ConfigError("config file '\(configFile)' cannot be read as UTF-8 text")
                }
                file = try ConfigLoader.parseFile(text, name: configFile)
            }
            let sets = try overrides.map(ConfigLoader.parseOverride)
            var notes: [String] = []
            let config = try ConfigLoader.resolve(preset: preset, file: file, overrides: sets, notes: &notes)
            if LaunchEnvironment.isRankZero {
                for note in notes { FileHandle.standardError.write(Data("groksim: note: \(note)\n".utf8)) }
            }
            return config
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
    }

    /// Help text listing every model's keys, for the discussion of commands that take a config.
    static var keysHelp: String {
        ModelRegistry.models.map { keysHelp(for: $0) }.joined(separator: "\n\n")
    }

    /// Every key of `model` with its meaning and default.
    static func keysHelp(for model: any Model) -> String {
        let keys = model.allKeys.filter { $0.name != RunControlKeys.model }
        let width = keys.map(\.name.count).max() ?? 0
        return "Keys of model = \"\(model.name)\" (\(model.summary)):\n" + keys.map { key in
            let value = key.defaultValue.map { " [default: \($0)]" } ?? ""
            return "  " + key.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + key.summary + value
        }.joined(separator: "\n")
    }
}
