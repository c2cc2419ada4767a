import GrokSimCore

/// The metrics of the XOR model, declared once; a metrics row holds them in the order of `all`.
public enum XORMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean logistic loss on the training set (with its flipped labels)")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training points whose sign of f matches their training label")
    public static let trainAccuracyFlipped = Metric("train_accuracy_flipped", "accuracy on the flipped training points, against their flipped labels (NaN if none)")
    public static let trainAccuracyClean = Metric("train_accuracy_clean", "accuracy on the training points whose labels were not flipped")
    public static let testLoss = Metric("test_loss", units: "nats", "mean logistic loss on the clean test set")
    public static let testAccuracy = Metric("test_accuracy", "accuracy on the clean test set")
    /// Clean test accuracy per cluster, in cluster order (+mu1, -mu1, +mu2, -mu2).
    public static let clusterAccuracy: [Metric] = [
        Metric("test_accuracy_plus_mu1", "clean test accuracy on the cluster at +mu1 (label +1; NaN if empty)"),
        Metric("test_accuracy_minus_mu1", "clean test accuracy on the cluster at -mu1 (label +1; NaN if empty)"),
        Metric("test_accuracy_plus_mu2", "clean test accuracy on the cluster at +mu2 (label -1; NaN if empty)"),
        Metric("test_accuracy_minus_mu2", "clean test accuracy on the cluster at -mu2 (label -1; NaN if empty)"),
    ]
    public static let weightNorm = Metric("weight_norm", "Frobenius norm ||W||_F of the first-layer weights")
    /// Means of <w_j, mu_k>/||mu|| by sign group, in the order of `WeightStatistic.projMu1Positive` onwards.
    public static let projections: [Metric] = [
        Metric("mean_proj_mu1_positive", "mean of <w_j, mu1>/||mu|| over neurons with a_j > 0"),
        Metric("mean_proj_mu2_positive", "mean of <w_j, mu2>/||mu|| over neurons with a_j > 0"),
        Metric("mean_proj_mu1_negative", "mean of <w_j, mu1>/||mu|| over neurons with a_j < 0"),
        Metric("mean_proj_mu2_negative", "mean of <w_j, mu2>/||mu|| over neurons with a_j < 0"),
    ]
    public static let absoluteProjections: [Metric] = [
        Metric("mean_abs_proj_mu1_positive", "mean of |<w_j, mu1>|/||mu|| over neurons with a_j > 0"),
        Metric("mean_abs_proj_mu2_positive", "mean of |<w_j, mu2>|/||mu|| over neurons with a_j > 0"),
        Metric("mean_abs_proj_mu1_negative", "mean of |<w_j, mu1>|/||mu|| over neurons with a_j < 0"),
        Metric("mean_abs_proj_mu2_negative", "mean of |<w_j, mu2>|/||mu|| over neurons with a_j < 0"),
    ]
    public static let pointWeightRatio = Metric("point_weight_ratio",
                                                "max_i g_i / min_i g_i over training points, g_i = sigmoid(-y_i f(x_i)); the proof needs it near 1")

    /// Every metric, in the order of a metrics row.
    public static let all: [Metric] = [trainLoss, trainAccuracy, trainAccuracyFlipped, trainAccuracyClean, testLoss, testAccuracy]
        + clusterAccuracy + [weightNorm] + projections + absoluteProjections + [pointWeightRatio]
}
