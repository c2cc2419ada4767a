import GrokSimCore
import GrokSimRun

/// Phase diagrams of the XOR network show where each assumption (A1)-(A6) of Xu et al.'s theorem starts to hold (C = 1).
extension XORReLUModel: PhaseDiagramModel {
    public func theoryConditions(_ config: ExperimentConfig) -> [(name: String, holds: Bool)] {
        TheoremAssumptions.evaluate(XORReLUSettings(config), constant: 1).map { ($0.name, $0.holds) }
    }
}
