/// The keys every model shares: what to run for how long, which seed, and what to record when.
public enum RunControlKeys {
    public static let model = "model"
    public static let steps = "steps"
    public static let seed = "seed"
    public static let precision = "precision"
    public static let checkpointEvery = "checkpoint_every"
    public static let checkpointSteps = "checkpoint_steps"
    public static let checkpointLast = "checkpoint_last"
    public static let metricsDenseUntil = "metrics_dense_until"
    public static let metricsPerDecade = "metrics_per_decade"
    public static let blasThreads = "blas_threads"

    /// The key that names the model (always written first).
    public static let modelKey = ConfigKey(model, .string, default: nil, trajectory: true,
                                           summary: "model to train (see 'groksim presets'); its keys follow")

    /// Every run-control key; `steps` and `seed` defaults are replaced by the model's where it declares them.
    public static let all: [ConfigKey] = [
        .integer(steps, default: 40, in: 1...Int.max, trajectory: false, units: "steps", summary: "number of training steps"),
        .integer(seed, default: 0, in: 0...Int.max, rule: "must be an integer in [0, 2^63)", trajectory: true,
                 summary: "seed of every random stream (data, labels, initial parameters, noise)"),
        .choice(precision, Precision.allCases.map(\.rawValue), default: Precision.float64.rawValue, trajectory: true,
                summary: "\"float64\" (default) or \"float32\" for data, parameters and products"),
        .integer(checkpointEvery, default: 0, in: 0...Int.max, trajectory: false, units: "steps",
                 summary: "write the parameters every this many steps (0: only checkpoint_steps and the last step)"),
        ConfigKey(checkpointSteps, .integerList, default: .list([.integer(0), .integer(1)]), trajectory: false, units: "steps",
                  rule: "entries must be integers >= 0", accepts: { value in
                      if case .integer(let step) = value { return step >= 0 }
                      return true
                  }, summary: "list of steps whose parameters are written (and the last, see checkpoint_last)"),
        ConfigKey(checkpointLast, .boolean, default: .boolean(true), trajectory: false,
                  summary: "write the parameters of the last step (true, the default, or false)"),
        .integer(metricsDenseUntil, default: 100, in: 0...Int.max, trajectory: false, units: "steps",
                 summary: "record metrics at every step up to this one"),
        .integer(metricsPerDecade, default: 20, in: 1...1000, trajectory: false,
                 summary: "after that, record metrics at this many log-spaced steps per decade"),
        .integer(blasThreads, default: 1, in: 1...1024, trajectory: false, summary: "BLAS threads per MPI rank"),
    ]
}
