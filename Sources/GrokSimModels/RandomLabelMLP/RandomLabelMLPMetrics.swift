import GrokSimCore

/// The metrics of the random-label network, in the order of a metrics row.
public enum RandomLabelMLPMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean logistic loss on the training set (the Langevin potential, without the weight decay)")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training points with sign f = y")
    public static let testLoss = Metric("test_loss", units: "nats", "mean loss on fresh randomly labelled points (no generalisation is possible: about log 2 or more)")
    public static let testAccuracy = Metric("test_accuracy", "fraction of fresh randomly labelled points classified right (about 1/2)")
    public static let parameterNorm = Metric("parameter_norm", "Euclidean norm of every parameter together")
    public static let nearBoundary = Metric("near_boundary", "number of training points with margin y f(x) below boundary_margin")
    public static let minimumMargin = Metric("minimum_margin", "smallest training margin y_i f(x_i)")

    public static let all = [trainLoss, trainAccuracy, testLoss, testAccuracy, parameterNorm, nearBoundary, minimumMargin]
}
