/// Builds an `ExperimentConfig` from the defaults, a preset, a config file and `--set` overrides, in that order.
public enum ConfigLoader {
    /// Parses the text of a config file into (key, value) pairs, naming the file and line of any error.
    public static func parseFile(_ text: String, name: String) throws -> [(String, ConfigValue)] {
        var pairs: [(String, ConfigValue)] = []
        var seen = Set<String>()
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
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
        try checkKnown(key)
        do {
            return (key, try ConfigValue.parse(String(text[text.index(after: equals)...])))
        } catch let error as ConfigError {
            throw ConfigError("--set \(key): \(error.description)")
        }
    }

    /// Applies preset, file pairs and overrides, then validates the result.
    public static func resolve(preset: Preset?, file: [(String, ConfigValue)], overrides: [(String, ConfigValue)]) throws -> ExperimentConfig {
        var config = ExperimentConfig()
        for (key, value) in (preset?.settings ?? []) + file + overrides {
            try checkKnown(key)
            try ConfigKey.named(key)!.apply(&config, value)
            if key == "mu_norm_factor" { config.muNorm = nil }
        }
        try config.validate()
        return config
    }

    /// The resolved config written back as a config file that `groksim run` accepts.
    public static func render(_ config: ExperimentConfig) -> String {
        var lines: [String] = []
        for key in ConfigKey.all {
            guard let value = key.value(in: config) else { continue }
            lines.append("\(key.name) = \(value)  # \(key.summary)")
        }
        lines.append("# resolved: ||mu|| = \(config.resolvedMuNorm)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func checkKnown(_ key: String) throws {
        if ConfigKey.named(key) != nil { return }
        let nearest = ConfigKey.all.map(\.name).map { ($0, editDistance($0, key)) }.min { $0.1 < $1.1 }
        let hint = nearest.map { $0.1 <= 2 ? "; did you mean '\($0.0)'?" : "" } ?? ""
        throw ConfigError("config: unknown key '\(key)'\(hint) (known keys: \(ConfigKey.all.map(\.name).joined(separator: ", ")))")
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
