/// The update rule applied to the gradient.
public enum Optimizer: String, Sendable, CaseIterable {
    case gd
    case adam
}

/// The resolved update rule of a config: optimizer, learning rate, weight decay, Adam's constants and the temperature.
public struct DynamicsSettings: Sendable, Equatable {
    public var optimizer: Optimizer
    public var learningRate: Double
    public var weightDecay: Double
    public var decoupledWeightDecay: Bool
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var temperature: Double
    /// The GD-then-sampling phases, when the config has them.
    public var schedule: LangevinSchedule?

    /// The dynamics of `config`, whose learning rate is the key `learningRateKey`.
    public init(_ config: ExperimentConfig, learningRateKey: String) {
        optimizer = Optimizer(rawValue: config.string(DynamicsKeys.optimizer))!
        learningRate = config.number(learningRateKey)
        weightDecay = config.number(DynamicsKeys.weightDecay)
        decoupledWeightDecay = config.boolean(DynamicsKeys.decoupledWeightDecay)
        beta1 = config.number(DynamicsKeys.adamBeta1)
        beta2 = config.number(DynamicsKeys.adamBeta2)
        epsilon = config.number(DynamicsKeys.adamEpsilon)
        temperature = config.number(DynamicsKeys.temperature)
        schedule = LangevinSchedule(config)
    }

    /// Rules across keys: plain GD's decay factor must stay positive, and Langevin noise counters fit 32 bits of step.
    public func validate(steps: Int, learningRateKey: String) throws {
        if optimizer == .gd && learningRate * weightDecay >= 1 {
            throw ConfigError("config: weight_decay times \(learningRateKey) must be below 1 (got \(weightDecay) x \(learningRate))")
        }
        if let schedule {
            if optimizer != .gd { throw ConfigError("config: langevin_phases > 0 needs optimizer = \"gd\" (Langevin sampling of exp(-L/T) is a GD step plus noise)") }
            if temperature <= 0 { throw ConfigError("config: temperature (T_1 of the sampling phases) must be > 0 when langevin_phases > 0 (got \(temperature))") }
        }
        if (temperature > 0 || schedule != nil) && steps >= 1 << 32 {
            throw ConfigError("config: steps must be below 2^32 with temperature > 0 (the noise counter holds the step in 32 bits) (got \(steps))")
        }
    }
}
