import GrokSimCore
import GrokSimRun

/// Phase diagrams of the constant-label model mark lambda = d/N = 1/2, below which N points are separable
/// from the origin with high probability (Beck, Levi, Bar-Sinai 2025).
extension ConstantLabelLogisticModel: PhaseDiagramModel {
    public func theoryConditions(_ config: ExperimentConfig) -> [(name: String, holds: Bool)] {
        [("lambda < 1/2", ConstantLabelSettings(config).lambda < 0.5)]
    }
}
