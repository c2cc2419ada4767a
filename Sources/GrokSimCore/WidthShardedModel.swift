/// Which data a forward pass runs on.
public enum DataSplit: Sendable {
    case train, test
}

/// A model whose parameters are split along a width dimension, and whose output is the sum of the
/// partial outputs of the width blocks.
///
/// This is the pattern every model GrokSim hosts follows: the hidden neurons of a two-layer network,
/// the coordinates of a diagonal linear network or of a linear estimator, the rank dimension of a
/// factorised matrix. Each rank owns one block, computes its partial outputs, and the driver adds them
/// over ranks with one all-reduce; the loss derivative then lets each rank update its own block alone.
public protocol WidthShardedModel: AnyObject {
    /// How the width is split, and which block this rank owns.
    var partition: WidthPartition { get }
    var part: Int { get }
    /// Number of outputs of a forward pass on `split` (samples times outputs per sample).
    func outputCount(_ split: DataSplit) -> Int
    /// Adds this rank's contribution to every output on `split` into `accumulator`, one sum per output.
    func accumulatePartialOutputs(_ split: DataSplit, into accumulator: ExactAccumulator)
    /// Takes one gradient step on the local block, given dL/df for every training output.
    ///
    /// Uses the activations of the latest forward pass on the training split.
    func applyGradientStep(outputGradients: UnsafeBufferPointer<Double>)
}
