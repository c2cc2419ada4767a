import GrokSimCore
import GrokSimRun

/// Phase diagrams of the XOR network show where each assumption (A1)-(A6) of Xu et al.'s theorem starts to hold (C = 1).
extension XORReLUModel: PhaseDiagramModel {
    public func theoryConditions(_ config: ExperimentConfig) -> [(name: String, holds: Bool)] {
        TheoremAssumptions.evaluate(XORReLUSettings(config), constant: 1).map { ($0.name, $0.holds) }
    }

    public var sweepQuantities: [SweepQuantity] {
        [SweepQuantity(name: "clusters_lost", description: "clusters (of the four) whose test accuracy is below 1/2 at the last step", units: "1"),
         SweepQuantity(name: "clusters_lost_max", description: "most clusters below 1/2 test accuracy at any recorded step after step 1",
                       units: "1"),
         SweepQuantity(name: "clusters_recovered", description: "clusters below 1/2 at some recorded step after step 1 but at or above 1/2 "
                       + "at the last step", units: "1")]
    }

    public func sweepValues(steps: [Int], metrics: [String: [Double]]) -> [Double] {
        let columns = XORMetrics.clusterAccuracy.compactMap { metrics[$0.name] }
        guard columns.count == 4, let last = steps.indices.last else { return [.nan, .nan, .nan] }
        let later = steps.indices.filter { steps[$0] > 1 }
        let lost = columns.filter { $0[last] < 0.5 }.count
        let maxLost = later.map { row in columns.filter { $0[row] < 0.5 }.count }.max() ?? lost
        let recovered = columns.filter { column in later.contains { column[$0] < 0.5 } && column[last] >= 0.5 }.count
        return [Double(lost), Double(maxLost), Double(recovered)]
    }
}
