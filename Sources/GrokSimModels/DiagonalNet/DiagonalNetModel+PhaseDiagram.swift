import GrokSimCore
import GrokSimRun

/// Phase diagrams of the diagonal network draw Lyu et al.'s law t = ln(alpha)/(lambda eta) over the grokking step.
extension DiagonalNetModel: PhaseDiagramModel {
    public func predictedSweepValue(_ name: String, config: ExperimentConfig) -> Double? {
        name == "grokking_step" ? Self.predictedTransition(config) : nil
    }
}
