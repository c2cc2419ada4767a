/// Builds an `ExperimentConfig` from the defaults, a preset, a config file and `--set` overrides, in that order.
public enum ConfigLoader {
    /// Parses the text of a config file into (key, value) pairs, naming the file and line of any error.
    public static func parseFile(_ text: String, name: String) throws -> [(String, ConfigValue)] {
        var pairs: [(String, ConfigValue)] = []
        var seen = Set<String>()
        // A UTF-8 byte-order mark is not part of the first key; "\r\n" is one Character in Swift, so lines are
        // split on every kind of line break, not on "\n" alone.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (offset, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let place = "\(name):\(offset + 1)"
            if line.hasPrefix("[") {
                throw ConfigError("\(place): tables ('\(line)') are not supported; write flat 'key = value' lines")
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError("\(place): expected 'key = value' (got '\(line)')")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            do {
                let value = try ConfigValue.parse(String(line[line.index(after: equals)...]))
                guard seen.insert(key).inserted else { throw ConfigError("key '\(key)' is set twice") }
                try checkKnown(key)
                pairs.append((key, value))
            } catch let error as ConfigError {
                throw ConfigError("\(place): \(error.description.replacingOccurrences(of: "config: ", with: ""))")
            }
        }
        return pairs
    }

    /// Parses one `key=value` override.
    public static func parseOverride(_ text: String) throws -> (String, ConfigValue) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigError("--set expects key=value (got '\(text)')")
        }
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        if key.isEmpty { throw ConfigError("--set expects key=value with a key name before '=' (got '\(text)')") }
        try checkKnown(key)
        do {
            return (key, try ConfigValue.parse(String(text[text.index(after: equals)...])))
        } catch let error as ConfigError {
            throw ConfigError("--set \(key): \(error.description)")
        }
    }

    /// The model a list of settings selects: the last `model` entry, else the registry's default.
    static func selectedModel(_ settings: [(String, ConfigValue)]) throws -> any Model {
        guard let value = settings.last(where: { $0.0 == RunControlKeys.model })?.1 else { return ModelRegistry.defaultModel }
        guard case .string(let name) = value else { throw ConfigError("config: model must be a string (got \(value))") }
        return try ModelRegistry.model(named: name)
    }

    /// Applies preset, file pairs and overrides on the model's defaults, then validates the result.
    ///
    /// `notes` receives one line for each adjustment the user did not ask for (a preset's checkpoint steps
    /// beyond a smaller `steps` are dropped, not refused).
    public static func resolve(preset: Preset?, file: [(String, ConfigValue)], overrides: [(String, ConfigValue)],
                               notes: inout [String]) throws -> ExperimentConfig {
        let presetSettings = preset.map { [(RunControlKeys.model, ConfigValue.string($0.model))] + $0.settings } ?? []
        let model = try selectedModel(presetSettings + file + overrides)
        let keys = model.allKeys
        var config = ExperimentConfig(model: model.name, values: [:])
        var checkpointStepsFromUser = false
        for (index, (name, value)) in (presetSettings + file + overrides).enumerated() {
            if name == RunControlKeys.model { continue }
            guard let key = keys.first(where: { $0.name == name }) else { throw unknownKey(name, model: model) }
            config.set(name, try key.normalize(value))
            if let other = key.unsets { config.remove(other) }
            if name == RunControlKeys.checkpointSteps { checkpointStepsFromUser = index >= presetSettings.count }
        }
        for key in keys where key.name != RunControlKeys.model && config.value(key.name) == nil {
            if let value = key.defaultValue { config.set(key.name, value) }
        }
        if !checkpointStepsFromUser {
            let beyond = config.checkpointSteps.filter { $0 > config.steps }
            if !beyond.isEmpty {
                config.checkpointSteps = config.checkpointSteps.filter { $0 <= config.steps }
                notes.append("checkpoint steps \(beyond.map(String.init).joined(separator: ", ")) of \(preset.map { "preset '\($0.name)'" } ?? "the defaults") "
                             + "lie beyond steps = \(config.steps) and are dropped")
            }
        }
        model.resolveDerived(&config)
        for step in config.checkpointSteps where step > config.steps {
            throw ConfigError("config: checkpoint_steps entries must lie in [0, steps = \(config.steps)] (got \(step))")
        }
        try DynamicsSettings(config, learningRateKey: model.learningRateKey).validate(steps: config.steps, learningRateKey: model.learningRateKey)
        try model.validate(config)
        return config
    }

    /// `resolve` for callers that have no use for its notes.
    public static func resolve(preset: Preset?, file: [(String, ConfigValue)], overrides: [(String, ConfigValue)]) throws -> ExperimentConfig {
        var notes: [String] = []
        return try resolve(preset: preset, file: file, overrides: overrides, notes: &notes)
    }

    /// A resolved config written by `render`, read back exactly (with `overrides` applied on top).
    public static func parseResolved(_ text: String, name: String, overrides: [(String, ConfigValue)] = []) throws -> ExperimentConfig {
        try resolve(preset: nil, file: try parseFile(text, name: name), overrides: overrides)
    }

    /// The defaults of `model` (the registry's default model when nil), resolved.
    public static func defaults(model: String? = nil) throws -> ExperimentConfig {
        try resolve(preset: nil, file: [], overrides: model.map { [(RunControlKeys.model, .string($0))] } ?? [])
    }

    /// The resolved config written back as a config file that `groksim run` accepts.
    public static func render(_ config: ExperimentConfig) -> String {
        let model = ModelRegistry.model(of: config)
        var lines = ["model = \(ConfigValue.string(config.model))  # \(model.summary)"]
        for key in model.allKeys where key.name != RunControlKeys.model {
            guard let value = config.value(key.name) else { continue }
            if let other = key.unusedWhenSet, config.value(other) != nil { continue }
            lines.append("\(key.name) = \(value)  # \(key.summary)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The keys set in `config`, in documented order, with their values (what `/config` stores).
    public static func renderedValues(_ config: ExperimentConfig) -> [(ConfigKey, ConfigValue)] {
        let model = ModelRegistry.model(of: config)
        return model.allKeys.compactMap { key in
            if key.name == RunControlKeys.model { return (key, .string(config.model)) }
            guard let value = config.value(key.name) else { return nil }
            if let other = key.unusedWhenSet, config.value(other) != nil { return nil }
            return (key, value)
        }
    }

    /// Whether any registered model knows `key`.
    private static func checkKnown(_ key: String) throws {
        if ModelRegistry.models.contains(where: { $0.key(key) != nil }) { return }
        throw unknownKey(key, model: nil)
    }

    /// "unknown key" naming the nearest known key, and the model that owns the key if it is another model's.
    static func unknownKey(_ key: String, model: (any Model)?) -> ConfigError {
        if let model, let owner = ModelRegistry.models.first(where: { $0.key(key) != nil }) {
            return ConfigError("config: key '\(key)' belongs to model \"\(owner.name)\", not to \"\(model.name)\" "
                               + "(set model = \"\(owner.name)\", or see 'groksim presets \(model.name)' for this model's keys)")
        }
        let names = (model.map { $0.allKeys.map(\.name) } ?? ModelRegistry.models.flatMap { $0.allKeys.map(\.name) })
        let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let nearest = key.isEmpty ? nil : unique.map { ($0, editDistance($0, key)) }.min { $0.1 < $1.1 }
        let hint = nearest.map { $0.1 <= 2 ? "; did you mean '\($0.0)'?" : "" } ?? ""
        let scope = model.map { " for model \"\($0.name)\"" } ?? ""
        return ConfigError("config: unknown key '\(key)'\(scope)\(hint) (known keys: \(unique.joined(separator: ", ")))")
    }

    private static func stripComment(_ line: String) -> String {
        var inString: Character? = nil
        for (index, character) in zip(line.indices, line) {
            if let quote = inString {
                if character == quote { inString = nil }
            } else if character == "\"" || character == "'" {
                inString = character
            } else if character == "#" {
                return String(line[..<index])
            }
        }
        return line
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }
}

import Foundation
