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
                guard let text = try? String(contentsOfFile: configFile, encoding: .utf8) else {
                    let reason = FileManager.default.fileExists(atPath: configFile) ? "cannot be read as UTF-8 text" : "does not exist"
                    throw ConfigError("config file '\(configFile)' \(reason)")
                }
                file = try ConfigLoader.parseFile(text, name: configFile)
            }
            let sets = try overrides.map(ConfigLoader.parseOverride)
            return try ConfigLoader.resolve(preset: preset, file: file, overrides: sets)
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
    }

    /// Help text listing every config key, for the discussion of commands that take a config.
    static var keysHelp: String {
        let width = ConfigKey.all.map(\.name.count).max() ?? 0
        let defaults = ExperimentConfig()
        return "Config keys (names as in the paper; defaults are xu2024-fig1's):\n" + ConfigKey.all.map { key in
            // The representation's default is a rule on the config, already stated in its summary.
            let value = key.name == "representation" ? "" : key.value(in: defaults).map { " [default: \($0)]" } ?? ""
            return "  " + key.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + key.summary + value
        }.joined(separator: "\n")
    }
}
