import GrokSimCore

/// The metrics of the teacher-student model, in the order of a metrics row: what was measured, then what the
/// Marchenko-Pastur theory predicts at the same step.
public enum TeacherStudentMetrics {
    public static let trainLoss = Metric("train_loss", "mean squared error per output on the training set, (1/(N d_out)) sum ||S^T x_i - y_i||^2")
    public static let generalizationLoss = Metric("gen_loss", "population loss ||S - T||_F^2 / d_out (exact, no test sample)")
    public static let testLoss = Metric("test_loss", "mean squared error per output on the fresh test set")
    public static let trainAccuracy = Metric("train_accuracy", "fraction of training samples whose mean squared error per output is below epsilon")
    public static let testAccuracy = Metric("test_accuracy", "fraction of test samples whose mean squared error per output is below epsilon")
    public static let predictedTrainLoss = Metric("predicted_train_loss", "Marchenko-Pastur prediction of L_train at this step")
    public static let predictedGeneralizationLoss = Metric("predicted_gen_loss", "Marchenko-Pastur prediction of L_gen at this step")
    public static let predictedTrainAccuracy = Metric("predicted_train_accuracy", "training accuracy implied by predicted_train_loss")
    public static let predictedTestAccuracy = Metric("predicted_test_accuracy", "test accuracy implied by predicted_gen_loss")

    public static let all = [trainLoss, generalizationLoss, testLoss, trainAccuracy, testAccuracy,
                             predictedTrainLoss, predictedGeneralizationLoss, predictedTrainAccuracy, predictedTestAccuracy]
}
