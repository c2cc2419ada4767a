import GrokSimCore

/// The metrics of the modular-arithmetic MLP, in the order of a metrics row.
public enum ModularMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean cross-entropy on the training pairs")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training pairs whose correct logit is the unique largest")
    public static let testLoss = Metric("test_loss", units: "nats", "mean cross-entropy on the test pairs")
    public static let testAccuracy = Metric("test_accuracy", "fraction of test pairs whose correct logit is the unique largest")
    public static let margin = Metric("margin", "unnormalised margin on the training pairs: min_i (correct logit - largest other logit)")
    public static let firstLayerNorm = Metric("w1_norm", "Frobenius norm of the first layer W1 (h x 2p)")
    public static let biasNorm = Metric("b1_norm", "Euclidean norm of the hidden bias b1")
    public static let secondLayerNorm = Metric("w2_norm", "Frobenius norm of the second layer W2 (p x h)")
    public static let parameterNorm = Metric("parameter_norm", "Euclidean norm of every parameter together")
    public static let continuousTime = Metric("continuous_time", "gradient-flow time: the sum of the learning rates of the steps taken")
    public static let fourierCount = Metric("fourier_count_90",
                                            "fewest frequencies k = 1..(p-1)/2 of Z_p that carry 90% of the non-constant power of W1's embedding columns (a and b together)")

    public static let neuronFourierCount = Metric("neuron_fourier_count_90",
                                                  "fewest frequencies carrying 90% of one neuron's a and b embedding power, averaged over neurons weighted by their power: about 1 once each neuron uses one frequency")

    public static let all = [trainLoss, trainAccuracy, testLoss, testAccuracy, margin, firstLayerNorm, biasNorm, secondLayerNorm,
                             parameterNorm, continuousTime, fourierCount, neuronFourierCount]
}
