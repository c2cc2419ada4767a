import GrokSimCore
import GrokSimModels

/// The models this program knows: one line per model, the first is the default.
enum Models {
    static let all: [any Model] = [
        XORReLUModel(),
        LinearLogisticModel(),
        TeacherStudentModel(),
        DiagonalNetModel(),
        MatrixCompletionModel(),
        ConstantLabelLogisticModel(),
        RandomLabelMLPModel(),
        ModularMLPModel(),
    ]
}
