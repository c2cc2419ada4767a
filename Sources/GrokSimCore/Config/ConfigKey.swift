/// One configuration key: its name, meaning, units, default and allowed values, and whether it shapes the trajectory.
///
/// Keys are declared once, by the engine (run control), the dynamics or a model, and everything else
/// (parsing, validation, rendering, `--help`, the run file's `/config`, the resume rules) reads the
/// declaration, so a new key cannot be forgotten anywhere.
public struct ConfigKey: Sendable {
    /// What kind of value the key takes.
    public enum Kind: Sendable, Equatable {
        case integer
        case number
        case string
        case boolean
        case integerList
        /// One of the listed strings.
        case choice([String])
    }

    public let name: String
    public let summary: String
    /// Units of the value ("1" for dimensionless counts and ratios).
    public let units: String
    public let kind: Kind
    /// The value when the key is not set; nil for keys that are absent unless set (mu_norm).
    public let defaultValue: ConfigValue?
    /// Whether the key changes the computed trajectory; a resume refuses to change such keys.
    public let trajectory: Bool
    /// Setting this key removes the named key (mu_norm_factor after a preset's mu_norm).
    public let unsets: String?
    /// The key is not written while the named key is set, because it has no effect then.
    public let unusedWhenSet: String?
    /// The rule a value must satisfy, in words (for example "must be a positive integer"), or nil to allow any value of the kind.
    public let rule: String?
    let accepts: @Sendable (ConfigValue) -> Bool

    public init(_ name: String, _ kind: Kind, default defaultValue: ConfigValue?, trajectory: Bool, units: String = "1",
                unsets: String? = nil, unusedWhenSet: String? = nil, rule: String? = nil,
                accepts: @escaping @Sendable (ConfigValue) -> Bool = { _ in true }, summary: String) {
        self.name = name
        self.summary = summary
        self.units = units
        self.kind = kind
        self.defaultValue = defaultValue
        self.trajectory = trajectory
        self.unsets = unsets
        self.unusedWhenSet = unusedWhenSet
        self.rule = rule
        self.accepts = accepts
    }

    /// An integer key whose values must satisfy `range`.
    public static func integer(_ name: String, default value: Int?, in range: ClosedRange<Int>? = nil, rule: String? = nil,
                               trajectory: Bool, units: String = "1", summary: String) -> ConfigKey {
        ConfigKey(name, .integer, default: value.map(ConfigValue.integer), trajectory: trajectory, units: units,
                  rule: rule ?? range.map(Self.describe), accepts: { value in
                      guard let range, case .integer(let integer) = value else { return true }
                      return range.contains(integer)
                  }, summary: summary)
    }

    /// A finite number key whose values must satisfy `check` (described by `rule`).
    public static func number(_ name: String, default value: Double?, rule: String? = nil,
                              check: @escaping @Sendable (Double) -> Bool = { _ in true },
                              trajectory: Bool, units: String = "1", unsets: String? = nil, unusedWhenSet: String? = nil,
                              summary: String) -> ConfigKey {
        ConfigKey(name, .number, default: value.map(ConfigValue.number), trajectory: trajectory, units: units,
                  unsets: unsets, unusedWhenSet: unusedWhenSet, rule: rule ?? "must be a finite number",
                  accepts: { value in
                      guard case .number(let number) = value else { return true }
                      return number.isFinite && check(number)
                  }, summary: summary)
    }

    /// A key that takes one of `choices`.
    public static func choice(_ name: String, _ choices: [String], default value: String?, trajectory: Bool,
                              summary: String) -> ConfigKey {
        ConfigKey(name, .choice(choices), default: value.map(ConfigValue.string), trajectory: trajectory, summary: summary)
    }

    /// "must be an integer in [a, b]" style text for a range.
    static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max {
            return range.lowerBound == 1 ? "must be a positive integer" : "must be an integer >= \(range.lowerBound)"
        }
        return "must be an integer in [\(range.lowerBound), \(range.upperBound)]"
    }

    /// The value in its canonical form (integers written as numbers become numbers, and so on), or an error
    /// naming the key, the rule and the value.
    public func normalize(_ value: ConfigValue) throws -> ConfigValue {
        func fail(_ rule: String) -> ConfigError { ConfigError("config: \(name) \(rule) (got \(value))") }
        let normalized: ConfigValue
        switch kind {
        case .integer:
            normalized = .integer(try Self.integer(value, name))
        case .number:
            normalized = .number(try Self.number(value, name))
        case .string:
            guard case .string = value else { throw fail("must be a string") }
            normalized = value
        case .boolean:
            guard case .boolean = value else { throw fail("must be true or false") }
            normalized = value
        case .integerList:
            guard case .list(let items) = value else { throw fail("must be a list of integers like [0, 1, 15]") }
            normalized = .list(try items.map { .integer(try Self.integer($0, name)) })
        case .choice(let choices):
            guard case .string(let text) = value, choices.contains(text) else {
                throw fail("must be one of " + choices.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            normalized = value
        }
        if !accepts(normalized) { throw fail(rule ?? "is out of range") }
        if case .list(let items) = normalized, let rule, !items.allSatisfy(accepts) { throw fail(rule) }
        return normalized
    }

    static func integer(_ value: ConfigValue, _ name: String) throws -> Int {
        switch value {
        case .integer(let integer): return integer
        case .number(let number) where number.isFinite && number == number.rounded() && abs(number) < 9e15:
            return Int(number)
        case .number(let number) where number.isInfinite || (number == number.rounded() && abs(number) >= 9e15):
            throw ConfigError("config: \(name) is too large for an integer (at most 2^63 - 1 written as digits, got \(value))")
        default: throw ConfigError("config: \(name) must be an integer (got \(value))")
        }
    }

    static func number(_ value: ConfigValue, _ name: String) throws -> Double {
        switch value {
        case .integer(let integer): return Double(integer)
        case .number(let number): return number
        default: throw ConfigError("config: \(name) must be a number (got \(value))")
        }
    }
}
