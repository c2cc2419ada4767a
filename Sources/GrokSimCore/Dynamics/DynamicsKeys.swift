/// The keys of the update rule, shared by every model (the learning rate is the model's own key).
public enum DynamicsKeys {
    public static let optimizer = "optimizer"
    public static let weightDecay = "weight_decay"
    public static let decoupledWeightDecay = "decoupled_weight_decay"
    public static let adamBeta1 = "adam_beta1"
    public static let adamBeta2 = "adam_beta2"
    public static let adamEpsilon = "adam_epsilon"
    public static let temperature = "temperature"
    public static let langevinPhases = "langevin_phases"
    public static let langevinPhaseSteps = "langevin_phase_steps"
    public static let langevinTemperatureRatio = "langevin_temperature_ratio"
    public static let gdLossTarget = "gd_loss_target"
    public static let gdMaximumSteps = "gd_max_steps"
    public static let langevinMetricsEvery = "langevin_metrics_every"

    public static let all: [ConfigKey] = [
        .choice(optimizer, Optimizer.allCases.map(\.rawValue), default: Optimizer.gd.rawValue, trajectory: true,
                summary: "\"gd\": full-batch gradient descent theta <- theta - lr (grad + lambda theta); \"adam\": Adam on the same gradient"),
        .number(weightDecay, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                summary: "weight decay lambda on every trainable parameter: theta <- theta - lr (grad + lambda theta)"),
        ConfigKey(decoupledWeightDecay, .boolean, default: .boolean(false), trajectory: true,
                  summary: "with adam: decay theta by lr lambda outside the adaptive step (AdamW) instead of adding lambda theta to the gradient"),
        .number(adamBeta1, default: 0.9, rule: "must be in [0, 1)", check: { $0 >= 0 && $0 < 1 }, trajectory: true,
                summary: "Adam's first-moment decay beta1"),
        .number(adamBeta2, default: 0.999, rule: "must be in [0, 1)", check: { $0 >= 0 && $0 < 1 }, trajectory: true,
                summary: "Adam's second-moment decay beta2"),
        .number(adamEpsilon, default: 1e-8, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                summary: "Adam's epsilon in m / (sqrt(v) + epsilon)"),
        .number(temperature, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                summary: "Langevin temperature T: each step adds sqrt(2 lr T) N(0, 1) to every parameter (0: no noise); with langevin_phases > 0, T_1 of the first sampling phase"),
        .integer(langevinPhases, default: 0, in: 0...64, trajectory: true,
                 summary: "number K of Langevin sampling phases after GD (0: none, the run keeps one temperature); the run ends when phase K does (steps caps it)"),
        .integer(langevinPhaseSteps, default: 1000, in: 1...Int.max, trajectory: true, units: "steps",
                 summary: "steps of each sampling phase"),
        .number(langevinTemperatureRatio, default: 2, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                summary: "phase k samples at T_k = temperature x ratio^(k-1)"),
        .number(gdLossTarget, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true, units: "nats",
                summary: "plain GD runs until the training loss is below this (0: until gd_max_steps)"),
        .integer(gdMaximumSteps, default: 100_000, in: 0...Int.max, trajectory: true, units: "steps",
                 summary: "with langevin_phases > 0: sampling starts at this step at the latest, whatever the loss"),
        .integer(langevinMetricsEvery, default: 1, in: 1...Int.max, trajectory: false, units: "steps",
                 summary: "inside the sampling phases, record metrics every this many steps (and at each phase start)"),
    ]
}
