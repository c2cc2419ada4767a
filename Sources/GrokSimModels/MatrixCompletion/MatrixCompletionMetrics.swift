import GrokSimCore

/// The metrics of matrix completion, in the order of a metrics row.
public enum MatrixCompletionMetrics {
    public static let trainLoss = Metric("train_loss", units: "1", "mean squared error (W_ij - X*_ij)^2 over the observed entries")
    public static let testLoss = Metric("test_loss", units: "1", "mean squared error over all unobserved entries")
    public static let parameterNorm = Metric("parameter_norm", "Frobenius norm ||(U, V)|| of all parameters")
    public static let kernelDistance = Metric("distance_to_kernel", "||W - K||_F, K the kernel-regime predictor (X* on the observed entries and their transposes, 0 elsewhere)")
    public static let truthDistance = Metric("distance_to_truth", "||W - X*||_F, X* the multiplication table")
    public static let kernelRelativeDistance = Metric("relative_distance_to_kernel", "||W - K||_F / ||K||_F")
    public static let truthRelativeDistance = Metric("relative_distance_to_truth", "||W - X*||_F / ||X*||_F")

    public static let all = [trainLoss, testLoss, parameterNorm, kernelDistance, truthDistance, kernelRelativeDistance,
                             truthRelativeDistance]
}
