/// One configuration key: its name as in the paper, its meaning, and how it reads and writes the config.
public struct ConfigKey: Sendable {
    public let name: String
    public let summary: String
    /// Units of the value ("1" for dimensionless counts and ratios).
    public let units: String
    let apply: @Sendable (inout ExperimentConfig, ConfigValue) throws -> Void
    let read: @Sendable (ExperimentConfig) -> ConfigValue?

    /// The value of this key in `config`, or nil where it is not set (mu_norm when the factor rules).
    public func value(in config: ExperimentConfig) -> ConfigValue? {
        read(config)
    }

    /// Every key, in the order they are documented and written.
    public static let all: [ConfigKey] = [
        text("model", "model to train (only \"xor-relu\": two-layer ReLU on XOR clusters)", \.model),
        integer("n", "number of training points", \.n),
        integer("p", "input dimension", \.p),
        integer("m", "number of hidden neurons (sharded over MPI ranks)", \.m),
        integer("n_test", "number of clean test points", \.nTest),
        ConfigKey(name: "mu_norm", summary: "norm ||mu|| of each cluster mean (overrides mu_norm_factor)", units: "1",
                  apply: { config, value in config.muNorm = try number(value, "mu_norm") },
                  read: { config in config.muNorm.map(ConfigValue.number) }),
        ConfigKey(name: "mu_norm_factor", summary: "c in ||mu|| = c * sqrt(p / n), used when mu_norm is not set", units: "1",
                  apply: { config, value in config.muNormFactor = try number(value, "mu_norm_factor") },
                  read: { config in config.muNorm == nil ? .number(config.muNormFactor) : nil }),
        number("eta", "probability that a training label is flipped", \.eta),
        number("alpha", "gradient-descent step size", \.alpha),
        number("omega", "standard deviation of the initial first-layer weights", \.omega),
        number("weight_decay", "weight decay lambda: W <- (1 - alpha lambda) W - alpha grad", \.weightDecay),
        integer("steps", "number of gradient-descent steps", \.steps, units: "steps"),
        ConfigKey(name: "seed", summary: "seed of every random stream (data, labels, signs, initial weights)", units: "1",
                  apply: { config, value in
                      let seed = try integer(value, "seed")
                      guard seed >= 0 else { throw ConfigError("config: seed must be an integer in [0, 2^63) (got \(seed))") }
                      config.seed = UInt64(seed)
                  },
                  read: { .integer(Int($0.seed)) }),
        ConfigKey(name: "precision", summary: "\"float64\" (default) or \"float32\" for data, weights and products", units: "1",
                  apply: { config, value in config.precision = try choice(value, "precision") },
                  read: { .string($0.precision.rawValue) }),
        ConfigKey(name: "second_layer", summary: "\"iid\" random signs (paper) or \"balanced\" (exactly half positive)", units: "1",
                  apply: { config, value in config.secondLayer = try choice(value, "second_layer") },
                  read: { .string($0.secondLayer.rawValue) }),
        integer("checkpoint_every", "write weights every this many steps (0: only checkpoint_steps and the last step)",
                \.checkpointEvery, units: "steps"),
        ConfigKey(name: "checkpoint_steps", summary: "list of steps whose weights are written (and the last, see checkpoint_last)",
                  units: "steps",
                  apply: { config, value in
                      guard case .list(let items) = value else {
                          throw ConfigError("config: checkpoint_steps must be a list of steps like [0, 1, 15] (got \(value))")
                      }
                      config.checkpointSteps = try items.map { try integer($0, "checkpoint_steps") }
                  },
                  read: { .list($0.checkpointSteps.map(ConfigValue.integer)) }),
        ConfigKey(name: "checkpoint_last", summary: "write the weights of the last step (true, the default, or false)", units: "1",
                  apply: { config, value in
                      guard case .boolean(let flag) = value else {
                          throw ConfigError("config: checkpoint_last must be true or false (got \(value))")
                      }
                      config.checkpointLast = flag
                  },
                  read: { .boolean($0.checkpointLast) }),
        integer("metrics_dense_until", "record metrics at every step up to this one", \.metricsDenseUntil, units: "steps"),
        integer("metrics_per_decade", "after that, record metrics at this many log-spaced steps per decade",
                \.metricsPerDecade),
        integer("blas_threads", "BLAS threads per MPI rank", \.blasThreads),
        ConfigKey(name: "representation",
                  summary: "\"explicit\" (vectors in R^p) or \"exact-reduced\" (same law in dimension min(p, 2+n+m), any p up to 2^53); "
                      + "default: explicit while data and weights fit in 4 GiB, else exact-reduced",
                  units: "1",
                  apply: { config, value in config.representation = try choice(value, "representation") },
                  read: { .string($0.resolvedRepresentation.rawValue) }),
    ]

    /// The key named `name`, or nil.
    public static func named(_ name: String) -> ConfigKey? {
        all.first { $0.name == name }
    }

    private static func integer(_ name: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, Int> & Sendable,
                                units: String = "1") -> ConfigKey {
        ConfigKey(name: name, summary: summary, units: units,
                  apply: { config, value in config[keyPath: path] = try integer(value, name) },
                  read: { .integer($0[keyPath: path]) })
    }

    private static func number(_ name: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, Double> & Sendable) -> ConfigKey {
        ConfigKey(name: name, summary: summary, units: "1",
                  apply: { config, value in config[keyPath: path] = try number(value, name) },
                  read: { .number($0[keyPath: path]) })
    }

    private static func text(_ name: String, _ summary: String, _ path: WritableKeyPath<ExperimentConfig, String> & Sendable) -> ConfigKey {
        ConfigKey(name: name, summary: summary, units: "1",
                  apply: { config, value in
                      guard case .string(let text) = value else { throw ConfigError("config: \(name) must be a string (got \(value))") }
                      config[keyPath: path] = text
                  },
                  read: { .string($0[keyPath: path]) })
    }

    static func integer(_ value: ConfigValue, _ name: String) throws -> Int {
        switch value {
        case .integer(let integer): return integer
        case .number(let number) where number.isFinite && number == number.rounded() && abs(number) < 9e15:
            return Int(number)
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

    static func choice<T: RawRepresentable & CaseIterable>(_ value: ConfigValue, _ name: String) throws -> T where T.RawValue == String {
        if case .string(let text) = value, let choice = T(rawValue: text) { return choice }
        let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
        throw ConfigError("config: \(name) must be \(allowed) (got \(value))")
    }
}
