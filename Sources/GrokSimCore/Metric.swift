/// One scalar recorded on the metrics schedule, with the description and units written to the run file.
public struct Metric: Sendable, Equatable {
    public let name: String
    public let description: String
    public let units: String

    /// Every metric, in the order of a metrics row.
    public static let all: [Metric] = [
        Metric(name: "train_loss", description: "mean logistic loss on the training set (with its flipped labels)", units: "nats"),
        Metric(name: "train_accuracy", description: "fraction of training points whose sign of f matches their training label", units: "1"),
        Metric(name: "train_accuracy_flipped", description: "accuracy on the flipped training points, against their flipped labels (NaN if none)", units: "1"),
        Metric(name: "train_accuracy_clean", description: "accuracy on the training points whose labels were not flipped", units: "1"),
        Metric(name: "test_loss", description: "mean logistic loss on the clean test set", units: "nats"),
        Metric(name: "test_accuracy", description: "accuracy on the clean test set", units: "1"),
        Metric(name: "test_accuracy_plus_mu1", description: "clean test accuracy on the cluster at +mu1 (label +1; NaN if empty)", units: "1"),
        Metric(name: "test_accuracy_minus_mu1", description: "clean test accuracy on the cluster at -mu1 (label +1; NaN if empty)", units: "1"),
        Metric(name: "test_accuracy_plus_mu2", description: "clean test accuracy on the cluster at +mu2 (label -1; NaN if empty)", units: "1"),
        Metric(name: "test_accuracy_minus_mu2", description: "clean test accuracy on the cluster at -mu2 (label -1; NaN if empty)", units: "1"),
        Metric(name: "weight_norm", description: "Frobenius norm ||W||_F of the first-layer weights", units: "1"),
        Metric(name: "mean_proj_mu1_positive", description: "mean of <w_j, mu1>/||mu|| over neurons with a_j > 0", units: "1"),
        Metric(name: "mean_proj_mu2_positive", description: "mean of <w_j, mu2>/||mu|| over neurons with a_j > 0", units: "1"),
        Metric(name: "mean_proj_mu1_negative", description: "mean of <w_j, mu1>/||mu|| over neurons with a_j < 0", units: "1"),
        Metric(name: "mean_proj_mu2_negative", description: "mean of <w_j, mu2>/||mu|| over neurons with a_j < 0", units: "1"),
        Metric(name: "mean_abs_proj_mu1_positive", description: "mean of |<w_j, mu1>|/||mu|| over neurons with a_j > 0", units: "1"),
        Metric(name: "mean_abs_proj_mu2_positive", description: "mean of |<w_j, mu2>|/||mu|| over neurons with a_j > 0", units: "1"),
        Metric(name: "mean_abs_proj_mu1_negative", description: "mean of |<w_j, mu1>|/||mu|| over neurons with a_j < 0", units: "1"),
        Metric(name: "mean_abs_proj_mu2_negative", description: "mean of |<w_j, mu2>|/||mu|| over neurons with a_j < 0", units: "1"),
        Metric(name: "point_weight_ratio", description: "max_i g_i / min_i g_i over training points, g_i = sigmoid(-y_i f(x_i)); the proof needs it near 1", units: "1"),
    ]

    /// Position of the metric named `name` in a metrics row.
    public static func index(of name: String) -> Int? {
        all.firstIndex { $0.name == name }
    }
}
