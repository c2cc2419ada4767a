import GrokSimCore

/// The metrics of the constant-label logistic model, in the order of a metrics row.
///
/// For two Gaussians, S is w without its first coordinate and b is the reduction's bias −μ w₁.
public enum ConstantLabelMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean loss on the training set")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training points classified correctly (f < 0 for the constant label)")
    public static let testLoss = Metric("test_loss", units: "nats", "mean loss on fresh test points from the same law")
    public static let testAccuracy = Metric("test_accuracy", "fraction of fresh test points classified correctly")
    public static let populationLoss = Metric("population_loss", units: "nats",
                                              "expected loss over the data law, E l(f(x)), by quadrature over the 1-D law of f (the generalisation loss)")
    public static let populationAccuracy = Metric("population_accuracy", "probability over the data law that a point is classified correctly (closed form)")
    public static let weightNorm = Metric("s_norm", "||S|| (two Gaussians: norm of w across e1)")
    public static let bias = Metric("bias", "the bias b (two Gaussians: -mu w_1)")
    public static let biasOverNorm = Metric("bias_over_norm", "b/||S|| (NaN while S = 0)")
    public static let predictedAccuracy = Metric("predicted_accuracy",
                                                 "the theory's limiting test accuracy for this training set: 1/2[1 + erf(1/(sigma M sqrt 2))] if separable with margin M, else 1 (NaN if not computed)")

    public static let all = [trainLoss, trainAccuracy, testLoss, testAccuracy, populationLoss, populationAccuracy,
                             weightNorm, bias, biasOverNorm, predictedAccuracy]
}
