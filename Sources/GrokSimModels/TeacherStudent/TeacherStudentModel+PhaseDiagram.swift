import GrokSimCore
import GrokSimRun

/// Phase diagrams of the teacher-student model draw the exact Marchenko-Pastur crossing times: the train
/// accuracy's (memorisation) and the test accuracy's (grokking), whose difference is Levi et al.'s delay.
extension TeacherStudentModel: PhaseDiagramModel {
    public func predictedSweepValue(_ name: String, config: ExperimentConfig) -> Double? {
        let theory = TeacherStudentTheory(config)
        guard theory.applies else { return nil }
        switch name {
        case "memorisation_step": return theory.crossing(.train)
        case "grokking_step": return theory.crossing(.generalization)
        default: return nil
        }
    }
}
