import GrokSimCore

/// The metrics of the linear logistic model, in the order of a metrics row.
public enum LinearLogisticMetrics {
    public static let trainLoss = Metric("train_loss", units: "nats", "mean loss on the training set")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training points with sign f = y")
    public static let testLoss = Metric("test_loss", units: "nats", "mean loss on the clean test set")
    public static let testAccuracy = Metric("test_accuracy", "fraction of clean test points with sign f = y")
    public static let weightNorm = Metric("weight_norm", "Euclidean norm ||w||")
    public static let bias = Metric("bias", "the bias b")
    public static let teacherCosine = Metric("teacher_cosine", "cosine between w and the teacher w* (NaN while w = 0)")

    public static let all = [trainLoss, trainAccuracy, testLoss, testAccuracy, weightNorm, bias, teacherCosine]
}
