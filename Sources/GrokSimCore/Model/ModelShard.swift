/// Which data a forward pass runs on.
public enum DataSplit: Sendable {
    case train, test
}

/// One rank's part of a model: its data, its block of the parameters, and the local halves of a step.
///
/// The engine runs every step the same way for every model: each rank adds its contribution to every
/// output into an exact accumulator, one all-reduce makes the outputs whole, the shared `Loss` turns them
/// into dL/df, and each rank then updates its own block alone (by a fused step, or through the gradient
/// and the dynamics). Replicated parameters (a bias every rank holds) are updated identically on every
/// rank: their gradient is a function of the all-reduced outputs only, computed in the same order everywhere,
/// and their contribution to the outputs is added by rank 0's shard alone.
public protocol ModelShard<Scalar>: AnyObject {
    associatedtype Scalar: BLASScalar

    /// The parameters this rank holds, in storage order (see `storageSegments`).
    var parameters: UnsafeMutableBufferPointer<Scalar> { get }
    /// How storage positions map to the canonical local layout (each array's local rows, in order);
    /// nil when the storage already is canonical.
    var storageSegments: [StorageSegment]? { get }
    /// How outputs become a loss: which loss, and the targets of each split.
    var loss: Loss { get }
    /// Outputs per sample (1 for a scalar model, p logits for a p-class one).
    var outputsPerSample: Int { get }
    /// Targets of `split`, one per output for regression and binary losses, one class index per sample for cross-entropy.
    func targets(_ split: DataSplit) -> [Double]
    /// Number of outputs of a forward pass on `split` (samples times outputs per sample).
    func outputCount(_ split: DataSplit) -> Int
    /// Adds this rank's contribution to every output on `split` into `accumulator`, one sum per output.
    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator)
    /// Whether the shard makes its whole outputs itself (`prepareOutputs` then `reduceOutputs`) instead of through
    /// an exact accumulator: for models with too many partial outputs per step to sum exactly (many logits per sample).
    var reducesOwnOutputs: Bool { get }
    /// Computes this rank's share of every output on `split` (local work, no communication), for `reduceOutputs`.
    func prepareOutputs(_ split: DataSplit)
    /// Combines the prepared shares of every rank into the whole outputs on `split` (a collective); the result must not
    /// depend on the rank count unless the user asked otherwise.
    func reduceOutputs(_ split: DataSplit, communicator: Communicator, into outputs: UnsafeMutableBufferPointer<Double>)
    /// Writes dL/dtheta of the local parameters into `gradient` (storage order), given dL/df of every
    /// training output and the activations of the latest training forward pass. Regularisation is the dynamics'.
    func computeGradient(outputGradients: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Scalar>)
    /// Takes theta <- theta - lr (grad + weightDecay theta) in one fused pass if the model has one, and says whether it did.
    func fusedGradientStep(outputGradients: UnsafeBufferPointer<Double>, learningRate: Double, weightDecay: Double) -> Bool
    /// Called before `metrics` with the step the parameters belong to (for models whose rows hold a prediction at that step).
    func willRecordMetrics(step: Int)
    /// The metrics row of the current parameters, in the order of `Model.metrics`.
    ///
    /// `outputs` are the whole outputs on both splits; `sumOverRanks` all-reduces an accumulator (a collective:
    /// every rank calls it the same number of times).
    func metrics(trainOutputs: UnsafeBufferPointer<Double>, testOutputs: UnsafeBufferPointer<Double>,
                 sumOverRanks: (ExactAccumulator) -> Void) -> [Double]
    /// The sampled data as named arrays, for `--save-data` (rank 0 writes them).
    func dataArrays() -> [NamedArray]
}

extension ModelShard {
    public var storageSegments: [StorageSegment]? { nil }
    public var outputsPerSample: Int { 1 }
    public var reducesOwnOutputs: Bool { false }
    public func prepareOutputs(_ split: DataSplit) {}
    public func reduceOutputs(_ split: DataSplit, communicator: Communicator, into outputs: UnsafeMutableBufferPointer<Double>) {
        preconditionFailure("a shard that reduces its own outputs must implement reduceOutputs")
    }
    public func fusedGradientStep(outputGradients: UnsafeBufferPointer<Double>, learningRate: Double, weightDecay: Double) -> Bool {
        false
    }
    public func dataArrays() -> [NamedArray] { [] }
    public func willRecordMetrics(step: Int) {}
}

/// A run of parameters that is contiguous both in a shard's storage and in its canonical local layout.
public struct StorageSegment: Sendable, Equatable {
    public let storageOffset: Int
    public let canonicalOffset: Int
    public let count: Int

    public init(storageOffset: Int, canonicalOffset: Int, count: Int) {
        self.storageOffset = storageOffset
        self.canonicalOffset = canonicalOffset
        self.count = count
    }
}
