import Foundation
import GrokSimCore
import GrokSimRun

/// The printed "theorem checks" table of `groksim analyze`: one line per seed, then the aggregate over seeds.
public enum TheoremCheckTable {
    /// The table for `rows` (seed, or nil for a lone run file). The aggregate is printed for two or more rows.
    public static func render(_ rows: [(seed: UInt64?, check: TheoremCheck)]) -> String {
        guard let first = rows.first?.check else { return "theorem checks: no runs" }
        let pad = TableCell.padded, format = TableCell.number
        let checks = rows.map(\.check)
        let lastSteps = Set(checks.map(\.lastStep))
        let lastStepText = lastSteps.count == 1 ? "t = \(first.lastStep)" : "each run's last step"
        let thresholdText = format(first.threshold, "%g")
        var lines = [
            "theorem checks: n = \(first.n), h = floor(sqrt(n)) = \(first.horizon), threshold \(thresholdText); "
                + "min train and max g ratio over the recorded steps 1..h; '-': not recorded",
            "    seed  min train  test t=1    +mu1    -mu1    +mu2    -mu2  >=\(thresholdText) at  test t=h  test last  clusters<1/2  agreement  max g ratio-1",
        ]
        for (seed, check) in rows {
            let clusters = check.clusterTestAccuracyAtStep1.map { pad(format($0, "%.3f"), 7) }
            let reached = check.thresholdStep.isNaN ? "never" : String(format: "%.0f", check.thresholdStep)
            lines.append(([pad(seed.map(String.init) ?? "-", 8), pad(format(check.minTrainAccuracyToHorizon, "%.3f"), 10),
                           pad(format(check.testAccuracyAtStep1, "%.3f"), 9)] + clusters
                          + [pad(reached, 9 + thresholdText.count), pad(format(check.testAccuracyAtHorizon, "%.3f"), 9),
                             pad(format(check.testAccuracyAtLastStep, "%.3f"), 10), pad(format(check.clustersBelowHalfAtLastStep, "%.0f"), 13),
                             pad(format(check.oneStepAgreement, "%.3f"), 10), pad(format(check.maxPointWeightRatioToHorizon - 1, "%.2e"), 14)])
                .joined(separator: " "))
        }
        guard rows.count > 1 else { return lines.joined(separator: "\n") }

        let summary = TheoremCheckSummary(checks)
        func fraction(_ count: Int) -> String {
            String(format: "%d/%d = %.2f", count, summary.seeds, Double(count) / Double(summary.seeds))
        }
        func spread(_ s: TheoremCheckSummary.Spread, _ form: String, noteUnmeasured: Bool = true) -> String {
            guard s.measured > 0 else { return "not measured" }
            let missing = noteUnmeasured && s.measured < summary.seeds ? " (\(s.measured) of \(summary.seeds) measured)" : ""
            return "median \(format(s.median, form)), 20-80% \(format(s.low, form))-\(format(s.high, form)), "
                + "range \(format(s.minimum, form))-\(format(s.maximum, form))\(missing)"
        }
        func line(_ label: String, _ text: String) -> String {
            "  " + label + String(repeating: " ", count: max(1, 46 - label.count)) + text
        }
        lines.append("over \(summary.seeds) seeds (a fraction counts a seed only if it was measured and the condition holds):")
        lines += [
            line("train accuracy 1 at every step 1..h", fraction(summary.fitsTrainingSetToHorizon)),
            line("min train accuracy over 1..h", spread(summary.minTrainAccuracyToHorizon, "%.3f")),
            line("test accuracy at t = 1", spread(summary.testAccuracyAtStep1, "%.3f")),
            line("seeds with k clusters >= 1/2 at t = 1", (0...4).map { "k=\($0): \(summary.clustersRightAtStep1[$0])" }.joined(separator: ", ")),
            line("one-step agreement at t = 1", spread(summary.oneStepAgreement, "%.3f")),
            line("test >= \(thresholdText) by t = h = \(summary.horizon)", fraction(summary.reachesThresholdByHorizon)),
            line("test >= \(thresholdText) by \(lastStepText)", fraction(summary.reachesThreshold)),
            line("first step with test >= \(thresholdText)",
                 summary.reachesThreshold == 0 ? "no seed reaches it" : spread(summary.thresholdStep, "%.0f", noteUnmeasured: false)
                    + " over the \(summary.reachesThreshold) seeds reaching it"),
            line("test accuracy at t = h", spread(summary.testAccuracyAtHorizon, "%.3f")),
            line("test accuracy at \(lastStepText)", spread(summary.testAccuracyAtLastStep, "%.3f")),
            line("a test cluster below 1/2 at \(lastStepText)", fraction(summary.losesCluster)),
            line("max over 1..h of max g_i / min g_i, minus 1", spread(summary.maxPointWeightRatioToHorizon.shifted(by: -1), "%.2e")),
        ]
        return lines.joined(separator: "\n")
    }
}
