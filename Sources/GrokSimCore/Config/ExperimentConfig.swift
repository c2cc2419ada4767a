import Foundation

/// Floating-point precision of the data, the parameters and the dense products.
public enum Precision: String, Sendable, CaseIterable {
    case float64, float32
}

/// The complete, resolved settings of one experiment: the model's name and a value for every key that applies.
///
/// Values are keyed by name. The keys of the run control (steps, seed, schedules) and of the dynamics have
/// typed accessors here; a model reads its own keys through `integer(_:)`, `number(_:)` and friends,
/// usually once, into a settings struct of its own.
public struct ExperimentConfig: Sendable, CustomStringConvertible {
    /// The registry name of the model.
    public let model: String
    /// Every set or defaulted key's value, in canonical form (see `ConfigKey.normalize`).
    public private(set) var values: [String: ConfigValue]

    /// A config made of `values` as given; `ConfigLoader.resolve` is the checked way to build one.
    public init(model: String, values: [String: ConfigValue]) {
        self.model = model
        self.values = values
    }

    /// Sets a key's value without checking it (tests, ensembles and benchmarks vary resolved configs).
    public mutating func set(_ key: String, _ value: ConfigValue) {
        values[key] = value
    }

    /// Removes a key (the model's rules may then fill it again when the config is resolved).
    public mutating func remove(_ key: String) {
        values.removeValue(forKey: key)
    }

    public func value(_ key: String) -> ConfigValue? { values[key] }

    public func integer(_ key: String) -> Int {
        if case .integer(let value) = values[key] { return value }
        preconditionFailure("config has no integer '\(key)'")
    }

    public func number(_ key: String) -> Double {
        switch values[key] {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: preconditionFailure("config has no number '\(key)'")
        }
    }

    /// A number key that may be absent.
    public func optionalNumber(_ key: String) -> Double? {
        values[key] == nil ? nil : number(key)
    }

    public func string(_ key: String) -> String {
        if case .string(let value) = values[key] { return value }
        preconditionFailure("config has no string '\(key)'")
    }

    public func boolean(_ key: String) -> Bool {
        if case .boolean(let value) = values[key] { return value }
        preconditionFailure("config has no boolean '\(key)'")
    }

    public func integerList(_ key: String) -> [Int] {
        if case .list(let items) = values[key] {
            return items.map { item in
                if case .integer(let value) = item { return value }
                preconditionFailure("config list '\(key)' holds a non-integer")
            }
        }
        preconditionFailure("config has no list '\(key)'")
    }

    // MARK: Run control

    /// Number of training steps.
    public var steps: Int {
        get { integer(RunControlKeys.steps) }
        set { set(RunControlKeys.steps, .integer(newValue)) }
    }

    /// Seed of every random stream.
    public var seed: UInt64 {
        get { UInt64(integer(RunControlKeys.seed)) }
        set { set(RunControlKeys.seed, .integer(Int(newValue))) }
    }

    public var precision: Precision {
        get { Precision(rawValue: string(RunControlKeys.precision))! }
        set { set(RunControlKeys.precision, .string(newValue.rawValue)) }
    }

    public var checkpointEvery: Int {
        get { integer(RunControlKeys.checkpointEvery) }
        set { set(RunControlKeys.checkpointEvery, .integer(newValue)) }
    }

    public var checkpointSteps: [Int] {
        get { integerList(RunControlKeys.checkpointSteps) }
        set { set(RunControlKeys.checkpointSteps, .list(newValue.map(ConfigValue.integer))) }
    }

    public var checkpointLast: Bool {
        get { boolean(RunControlKeys.checkpointLast) }
        set { set(RunControlKeys.checkpointLast, .boolean(newValue)) }
    }

    public var metricsDenseUntil: Int {
        get { integer(RunControlKeys.metricsDenseUntil) }
        set { set(RunControlKeys.metricsDenseUntil, .integer(newValue)) }
    }

    public var metricsPerDecade: Int {
        get { integer(RunControlKeys.metricsPerDecade) }
        set { set(RunControlKeys.metricsPerDecade, .integer(newValue)) }
    }
    public var blasThreads: Int { integer(RunControlKeys.blasThreads) }

    /// Bytes per floating-point element of the data and parameters.
    public var elementSize: Int { precision == .float64 ? 8 : 4 }

    /// The config as the text of a config file (see `ConfigLoader.render`).
    public var description: String { ConfigLoader.render(self) }

    /// Whether a checkpoint is written at `step`: O(1) whatever `steps` is, so a run of 10^10 steps needs no schedule in memory.
    public func isCheckpointStep(_ step: Int) -> Bool {
        guard step >= 0 && step <= steps else { return false }
        if checkpointLast && step == steps { return true }
        if checkpointEvery > 0 && step % checkpointEvery == 0 { return true }
        return checkpointSteps.contains(step)
    }

    /// Whether metrics are recorded at `step`: every step up to `metricsDenseUntil`, then `metricsPerDecade`
    /// log-spaced steps per decade (step round(first 10^(k / perDecade)) for k >= 1, first = max(1, dense)), and the last.
    public func isMetricsStep(_ step: Int) -> Bool {
        guard step >= 0 && step <= steps else { return false }
        if step <= metricsDenseUntil || step == steps { return true }
        let first = max(1.0, Double(metricsDenseUntil))
        let perDecade = Double(metricsPerDecade)
        let nearest = Int((log10(Double(step) / first) * perDecade).rounded())
        // The rounding of first 10^(k / perDecade) can land a neighbouring k on this step.
        for k in max(1, nearest - 1) ... max(1, nearest + 1) where Int((first * pow(10, Double(k) / perDecade)).rounded()) == step {
            return true
        }
        return false
    }

    /// Steps at which a checkpoint is written, sorted (for tests and small runs: it lists every one).
    public var checkpointSchedule: [Int] {
        var set = Set(checkpointSteps.filter { $0 <= steps })
        if checkpointEvery > 0 {
            set.formUnion(stride(from: 0, through: steps, by: checkpointEvery))
        }
        if checkpointLast { set.insert(steps) }
        return set.sorted()
    }

    /// Steps at which metrics are recorded, sorted (for tests and small runs: it lists every one).
    public var metricsSchedule: [Int] {
        var set = Set(0 ... min(metricsDenseUntil, steps))
        if steps > metricsDenseUntil {
            let first = max(1.0, Double(metricsDenseUntil))
            let decades = log10(Double(steps) / first)
            let points = Int((decades * Double(metricsPerDecade)).rounded(.up))
            if points > 0 {
                for k in 1 ... points {
                    let step = Int((first * pow(10, Double(k) / Double(metricsPerDecade))).rounded())
                    if step <= steps { set.insert(step) }
                }
            }
        }
        set.insert(steps)
        return set.sorted()
    }
}

extension ExperimentConfig: Equatable {
    /// Configs are equal when they run the same experiment: the same model and the same rendered values
    /// (so an unused mu_norm_factor is ignored).
    public static func == (lhs: ExperimentConfig, rhs: ExperimentConfig) -> Bool {
        lhs.model == rhs.model && ConfigLoader.render(lhs) == ConfigLoader.render(rhs)
    }
}
