import Foundation
import GrokSimCore
import GrokSimRun
import GrokSimHDF5

/// The theorem's claims for one run, measured on its recorded metrics rather than assumed.
///
/// Xu et al.'s theorem says, with probability 1 - o(1): train accuracy 1 (flipped labels included) for
/// 1 <= t <= sqrt(n); clean test accuracy 1/2 ± o(1) at t = 1; near-perfect test accuracy later but still by
/// sqrt(n); and its proof keeps g_i = sigmoid(-y_i f(x_i)) nearly equal over the training points. A finite-n
/// seed can miss any of these, so each is recorded as it happened, never as a pass/fail against the claim.
///
/// The horizon h is floor(sqrt(n)). "Up to h" means over the recorded steps 1 <= t <= h, and such values are
/// NaN when the run has no recorded step h (it stopped earlier), because a partial window proves nothing.
/// Steps are those of `/metrics/step`; a value at a step that was not recorded is NaN.
public struct TheoremCheck: Sendable, Equatable {
    /// Cluster suffixes of the per-cluster test metrics, in cluster-code order (0 = +mu1, ..., 3 = -mu2).
    public static let clusterNames = ["plus_mu1", "minus_mu1", "plus_mu2", "minus_mu2"]

    public let n: Int
    /// floor(sqrt(n)), the end of the theorem's window.
    public let horizon: Int
    /// Test accuracy that counts as having generalised.
    public let threshold: Double
    public let lastStep: Int
    public let minTrainAccuracyToHorizon: Double
    public let maxPointWeightRatioToHorizon: Double
    public let testAccuracyAtStep1: Double
    /// Test accuracy at t = 1 on each cluster, in the order of `clusterNames`.
    public let clusterTestAccuracyAtStep1: [Double]
    /// First recorded step with test accuracy >= threshold; NaN if never.
    public let thresholdStep: Double
    public let testAccuracyAtHorizon: Double
    public let testAccuracyAtLastStep: Double
    /// Clusters whose test accuracy is below 1/2 at the last step (a cluster the network has lost); NaN if none was measured.
    public let clustersBelowHalfAtLastStep: Double
    /// Agreement at t = 1 with the one-step linear classifier (from `RunAnalysis`; NaN without a checkpoint at t = 1).
    public let oneStepAgreement: Double

    /// Every training label fitted at every recorded step 1..h.
    public var fitsTrainingSetToHorizon: Bool { minTrainAccuracyToHorizon == 1 }
    public var reachesThresholdByHorizon: Bool { thresholdStep <= Double(horizon) }
    public var reachesThreshold: Bool { !thresholdStep.isNaN }

    /// Measures the checks on metric rows: `steps` as in `/metrics/step` and each metric column by name.
    /// Missing columns give NaN for what they feed.
    public init(steps: [Int], metrics: [String: [Double]], n: Int, threshold: Double, oneStepAgreement: Double) {
        self.n = n
        self.threshold = threshold
        self.oneStepAgreement = oneStepAgreement
        // Integer square root, exact even where the floating-point one rounds up.
        var horizon = Int(Double(n).squareRoot())
        while horizon * horizon > n { horizon -= 1 }
        while (horizon + 1) * (horizon + 1) <= n { horizon += 1 }
        self.horizon = horizon
        lastStep = steps.last ?? 0

        func column(_ name: String) -> [Double] { metrics[name] ?? [Double](repeating: .nan, count: steps.count) }
        func value(_ name: String, at step: Int) -> Double {
            steps.firstIndex(of: step).map { column(name)[$0] } ?? .nan
        }
        let train = column("train_accuracy"), test = column("test_accuracy"), ratio = column("point_weight_ratio")
        let window = steps.indices.filter { steps[$0] >= 1 && steps[$0] <= horizon }
        let windowComplete = steps.contains(horizon) && !window.isEmpty
        // A NaN inside the window must not vanish into min/max: it makes the result NaN.
        func extreme(_ values: [Double], _ pick: (Double, Double) -> Double) -> Double {
            guard windowComplete else { return .nan }
            let inWindow = window.map { values[$0] }
            return inWindow.contains(where: \.isNaN) ? .nan : inWindow.dropFirst().reduce(inWindow[0], pick)
        }
        minTrainAccuracyToHorizon = extreme(train, min)
        maxPointWeightRatioToHorizon = extreme(ratio, max)
        testAccuracyAtStep1 = value("test_accuracy", at: 1)
        clusterTestAccuracyAtStep1 = Self.clusterNames.map { value("test_accuracy_\($0)", at: 1) }
        thresholdStep = steps.indices.first { test[$0] >= threshold }.map { Double(steps[$0]) } ?? .nan
        testAccuracyAtHorizon = value("test_accuracy", at: horizon)
        testAccuracyAtLastStep = steps.isEmpty ? .nan : test[steps.count - 1]
        let lastClusters = Self.clusterNames.map { steps.isEmpty ? .nan : column("test_accuracy_\($0)")[steps.count - 1] }.filter { !$0.isNaN }
        clustersBelowHalfAtLastStep = lastClusters.isEmpty ? .nan : Double(lastClusters.filter { $0 < 0.5 }.count)
    }

    /// One stored quantity: its dataset name, attributes, and how to read it from a check.
    public struct Quantity: Sendable {
        public let name: String
        public let description: String
        public let units: String
        public let value: @Sendable (TheoremCheck) -> Double
    }

    /// The datasets of `/analysis/theorem`, in table order. The grokking step and the one-step agreement are
    /// not repeated here: they are `/analysis/grokking_step` and `/analysis/one_step_agreement`.
    public static let quantities: [Quantity] = [
        Quantity(name: "min_train_accuracy_to_horizon", description: "minimum train accuracy (noisy labels) over the recorded steps 1 <= t <= floor(sqrt(n)); NaN if step floor(sqrt(n)) was not recorded",
                 units: "1", value: \.minTrainAccuracyToHorizon),
        Quantity(name: "test_accuracy_at_step1", description: "clean test accuracy at t = 1 (NaN if not recorded)", units: "1", value: \.testAccuracyAtStep1),
    ] + clusterNames.enumerated().map { index, cluster in
        Quantity(name: "test_accuracy_\(cluster)_at_step1", description: "clean test accuracy on the cluster at \(cluster.hasPrefix("plus") ? "+" : "-")\(cluster.suffix(3)) at t = 1",
                 units: "1", value: { $0.clusterTestAccuracyAtStep1[index] })
    } + [
        Quantity(name: "test_accuracy_at_horizon", description: "clean test accuracy at t = floor(sqrt(n)) (NaN if not recorded)", units: "1", value: \.testAccuracyAtHorizon),
        Quantity(name: "test_accuracy_at_last_step", description: "clean test accuracy at the last recorded step", units: "1", value: \.testAccuracyAtLastStep),
        Quantity(name: "last_step", description: "last recorded step", units: "steps", value: { Double($0.lastStep) }),
        Quantity(name: "clusters_below_half_at_last_step", description: "number of the four test clusters with accuracy below 1/2 at the last recorded step",
                 units: "1", value: \.clustersBelowHalfAtLastStep),
        Quantity(name: "max_point_weight_ratio_to_horizon", description: "maximum of max_i g_i / min_i g_i over the recorded steps 1 <= t <= floor(sqrt(n)); the proof needs it near 1",
                 units: "1", value: \.maxPointWeightRatioToHorizon),
    ]

    /// Writes one dataset per quantity into a new group `name` of `parent`, one entry per check (one per seed
    /// in an ensemble index, a single entry in a run file). The checks must share n and threshold.
    @discardableResult
    public static func write(_ checks: [TheoremCheck], into parent: HDF5Group, name: String = "theorem") throws -> HDF5Group {
        let group = try parent.createGroup(name)
        try group.setAttribute("description", "the theorem's claims measured on /metrics (see TheoremCheck); the grokking step and the one-step agreement are the datasets next to this group")
        if let first = checks.first {
            try group.setAttribute("n", first.n)
            try group.setAttribute("horizon", first.horizon)
            try group.setAttribute("threshold", first.threshold)
        }
        for quantity in quantities {
            let dataset = try group.createDataset(quantity.name, of: Double.self, shape: [checks.count])
            try dataset.write(checks.map(quantity.value))
            try dataset.setAttribute("description", quantity.description)
            try dataset.setAttribute("units", quantity.units)
        }
        return group
    }
}
