/// One value of a configuration file or a `--set key=value` option.
///
/// The file format is a flat subset of TOML: `key = value` lines, `#` comments, integers (underscores
/// allowed), floats, quoted strings, booleans and one-level arrays.
public enum ConfigValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case string(String)
    case boolean(Bool)
    case list([ConfigValue])

    /// Parses a value as written on the right of `=`. Bare words are strings, so `--set precision=float32` works.
    public static func parse(_ text: String) throws -> ConfigValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw ConfigError("missing value") }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ConfigError("the value contains a control character (a NUL byte or similar): \(trimmed.debugDescription)")
        }
        if trimmed.hasPrefix("[") {
            guard trimmed.hasSuffix("]") else { throw ConfigError("unterminated list '\(trimmed)'") }
            let inner = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
            if inner.isEmpty { return .list([]) }
            return .list(try inner.split(separator: ",", omittingEmptySubsequences: false).map {
                try parse(String($0))
            })
        }
        if trimmed.hasPrefix("\"") || trimmed.hasPrefix("'") {
            guard trimmed.count >= 2, trimmed.last == trimmed.first else {
                throw ConfigError("unterminated string \(trimmed)")
            }
            return .string(String(trimmed.dropFirst().dropLast()))
        }
        if trimmed == "true" { return .boolean(true) }
        if trimmed == "false" { return .boolean(false) }
        let numeric = trimmed.replacingOccurrences(of: "_", with: "")
        if let integer = Int(numeric) { return .integer(integer) }
        if let number = Double(numeric), numeric.first.map({ $0.isNumber || "+-.".contains($0) }) == true {
            return .number(number)
        }
        if ["nan", "inf", "+inf", "-inf", "infinity", "-infinity"].contains(numeric.lowercased()) {
            return .number(Double(numeric) ?? .nan)
        }
        return .string(trimmed)
    }

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .number(let value): return Self.format(value)
        case .string(let value): return "\"\(value)\""
        case .boolean(let value): return String(value)
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// Shortest text that reads back as the same double, always with a decimal point or exponent.
    static func format(_ value: Double) -> String {
        let text = "\(value)"
        return text.contains(".") || text.contains("e") || !value.isFinite ? text : text + ".0"
    }
}

import Foundation
