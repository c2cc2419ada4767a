import GrokSimCore
import GrokSimHDF5

/// Starts a `RunDriver` in the scalar type of the config's precision: the one place that chooses it.
public enum RunLauncher {
    /// Trains `config` from step 0.
    public static func run(config: ExperimentConfig, communicator: Communicator, options: RunOptions) throws -> RunSummary {
        switch config.precision {
        case .float64: return try RunDriver<Double>(config: config, communicator: communicator, options: options).run()
        case .float32: return try RunDriver<Float>(config: config, communicator: communicator, options: options).run()
        }
    }

    /// What a resume keeps of the old run file besides the checkpoint.
    public struct ResumeHistory: Sendable {
        public var created: String?
        public var runID: String?
        public var resumedAtSteps: [Int] = []
        public var linkedSteps: [Int] = []

        public init(created: String? = nil, runID: String? = nil, resumedAtSteps: [Int] = [], linkedSteps: [Int] = []) {
            self.created = created
            self.runID = runID
            self.resumedAtSteps = resumedAtSteps
            self.linkedSteps = linkedSteps
        }
    }

    /// Reads this rank's parameters (and optimizer state) from `checkpoint`, lets every rank agree that the read
    /// worked (`agree` gets this rank's problem, or nil, and returns only when no rank has one), then trains.
    public static func resume(config: ExperimentConfig, communicator: Communicator, options: RunOptions,
                              checkpoint: Checkpoint.Info, history: ResumeHistory, agree: (String?) -> Void) throws -> RunSummary {
        switch config.precision {
        case .float64: return try resume(Double.self, config, communicator, options, checkpoint, history, agree)
        case .float32: return try resume(Float.self, config, communicator, options, checkpoint, history, agree)
        }
    }

    private static func resume<Scalar: BLASScalar & HDF5Scalar>(_: Scalar.Type, _ config: ExperimentConfig, _ communicator: Communicator,
                                                                _ options: RunOptions, _ checkpoint: Checkpoint.Info,
                                                                _ history: ResumeHistory, _ agree: (String?) -> Void) throws -> RunSummary {
        let model = ModelRegistry.model(of: config)
        let layout = ShardLayout(arrays: model.parameterArrays(config),
                                 partition: model.partition(config, parts: communicator.size), part: communicator.rank)
        let hasState = DynamicsSettings(config, learningRateKey: model.learningRateKey).optimizer == .adam
        var local: (parameters: [Scalar], first: [Double], second: [Double]) = ([], [], [])
        var problem: String? = nil
        do {
            local = try Checkpoint.readLocal(path: checkpoint.path, layout: layout, optimizerState: hasState, as: Scalar.self)
        } catch {
            problem = "cannot read checkpoint '\(checkpoint.path)': \(String(describing: error).split(separator: "\n").first ?? "")"
        }
        agree(problem)
        var start = ResumeStart<Scalar>(checkpoint: checkpoint, localParameters: local.parameters)
        start.firstMoment = local.first
        start.secondMoment = local.second
        start.created = history.created
        start.runID = history.runID
        start.resumedAtSteps = history.resumedAtSteps
        start.linkedSteps = history.linkedSteps
        return try RunDriver<Scalar>(config: config, communicator: communicator, options: options).run(resume: start)
    }
}
