import GrokSimCore

/// The metrics of the diagonal net, in the order of a metrics row.
public enum DiagonalNetMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean loss on the training set")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training points with sign f = y")
    public static let testLoss = Metric("test_loss", units: "nats", "mean loss on the test set")
    public static let testAccuracy = Metric("test_accuracy", "fraction of test points with sign f = y")
    public static let parameterNorm = Metric("parameter_norm", "Euclidean norm ||(u, v)|| of all parameters")
    public static let l2Agreement = Metric("l2_agreement", "fraction of test points where sign f agrees with the max-L2-margin classifier (NaN without predictors)")
    public static let l1Agreement = Metric("l1_agreement", "fraction of test points where sign f agrees with the max-L1-margin classifier (NaN without predictors)")
    public static let l2Cosine = Metric("l2_cosine", "cosine between w = u^L - v^L and the max-L2-margin classifier (NaN while w = 0)")
    public static let l1Cosine = Metric("l1_cosine", "cosine between w = u^L - v^L and the max-L1-margin classifier (NaN while w = 0)")
    public static let l2Margin = Metric("l2_normalized_margin", "min_i y_i f(x_i) / ||w||_2 on the training set (NaN while w = 0)")
    public static let l1Margin = Metric("l1_normalized_margin", "min_i y_i f(x_i) / ||w||_1 on the training set (NaN while w = 0)")

    public static let all = [trainLoss, trainAccuracy, testLoss, testAccuracy, parameterNorm, l2Agreement, l1Agreement,
                             l2Cosine, l1Cosine, l2Margin, l1Margin]
}
