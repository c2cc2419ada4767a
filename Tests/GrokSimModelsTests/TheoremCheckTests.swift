import Foundation
import GrokSimHDF5
import XCTest
import GrokSimTestSupport
import GrokSimModels
@testable import GrokSimRun

/// `TheoremCheck` on hand-made metric rows, where every expected number can be read off the rows.
final class TheoremCheckTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    /// Metric columns by name for the given steps; each cluster row lists +mu1, -mu1, +mu2, -mu2.
    private func metrics(train: [Double], test: [Double], clusters: [[Double]], ratio: [Double]) -> [String: [Double]] {
        var columns = ["train_accuracy": train, "test_accuracy": test, "point_weight_ratio": ratio]
        for (k, name) in TheoremCheck.clusterNames.enumerated() { columns["test_accuracy_\(name)"] = clusters.map { $0[k] } }
        return columns
    }

    /// n = 16 (h = 4), steps 0...8. Fits from t = 1, at chance at t = 1 (two clusters right), groks at t = 3.
    private func groksByHorizon() -> TheoremCheck {
        let rows = metrics(train: [0.5, 1, 1, 1, 1, 1, 1, 1, 1],
                           test: [0.5, 0.5, 0.8, 0.96, 0.99, 1, 1, 1, 1],
                           clusters: [[0.5, 0.5, 0.5, 0.5], [1, 0, 0, 1], [1, 0.4, 0.8, 1], [1, 0.9, 0.95, 1]] + Array(repeating: [1, 1, 1, 1], count: 5),
                           // Step 0 (outside the window) and step 6 (after h) carry the largest ratios: they must not count.
                           ratio: [9, 1.001, 1.003, 1.002, 1.0025, 1.004, 7, 1, 1])
        return TheoremCheck(steps: Array(0...8), metrics: rows, n: 16, threshold: 0.95, oneStepAgreement: 0.97)
    }

    /// Never reaches 0.95: three clusters right at t = 1; later three learned and -mu2 lost; the training accuracy dips to 0.9 at t = 2 (inside
    /// 1..h) and to 0.5 at t = 6 (after h, so it does not count).
    private func losesACluster() -> TheoremCheck {
        let rows = metrics(train: [0.5, 1, 0.9, 1, 1, 1, 0.5, 1, 1],
                           test: [0.5, 0.55, 0.6, 0.7, 0.74, 0.75, 0.75, 0.75, 0.75],
                           clusters: [[0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0.6]] + Array(repeating: [1, 1, 1, 0], count: 7),
                           ratio: Array(repeating: 1.01, count: 9))
        return TheoremCheck(steps: Array(0...8), metrics: rows, n: 16, threshold: 0.95, oneStepAgreement: 0.6)
    }

    /// Reaches 0.95 at t = 5 (after h = 4), then falls back and loses +mu1 by the end.
    private func groksLateThenForgets() -> TheoremCheck {
        let rows = metrics(train: Array(repeating: 1, count: 9),
                           test: [0.5, 0.5, 0.6, 0.7, 0.9, 0.95, 0.9, 0.8, 0.74],
                           clusters: [[0.5, 0.5, 0.5, 0.5], [0, 1, 1, 0]] + Array(repeating: [1, 1, 1, 1], count: 5) + [[0.3, 1, 1, 1], [0, 1, 1, 0.9]],
                           ratio: Array(repeating: 1.02, count: 9))
        return TheoremCheck(steps: Array(0...8), metrics: rows, n: 16, threshold: 0.95, oneStepAgreement: 1)
    }

    func testSeedThatGroksWithinTheWindow() {
        let check = groksByHorizon()
        XCTAssertEqual(check.horizon, 4)
        XCTAssertEqual(check.lastStep, 8)
        XCTAssertEqual(check.minTrainAccuracyToHorizon, 1)
        XCTAssertTrue(check.fitsTrainingSetToHorizon)
        XCTAssertEqual(check.testAccuracyAtStep1, 0.5)
        XCTAssertEqual(check.clusterTestAccuracyAtStep1, [1, 0, 0, 1])
        XCTAssertEqual(check.thresholdStep, 3)
        XCTAssertTrue(check.reachesThresholdByHorizon)
        XCTAssertEqual(check.testAccuracyAtHorizon, 0.99)
        XCTAssertEqual(check.testAccuracyAtLastStep, 1)
        XCTAssertEqual(check.clustersBelowHalfAtLastStep, 0)
        XCTAssertEqual(check.maxPointWeightRatioToHorizon, 1.003)
        XCTAssertEqual(check.oneStepAgreement, 0.97)
    }

    func testSeedThatNeverReachesTheThresholdAndLosesACluster() {
        let check = losesACluster()
        XCTAssertEqual(check.minTrainAccuracyToHorizon, 0.9)
        XCTAssertFalse(check.fitsTrainingSetToHorizon)
        XCTAssertEqual(check.testAccuracyAtStep1, 0.55)
        XCTAssertEqual(check.clusterTestAccuracyAtStep1, [1, 0, 1, 0.6])
        XCTAssertTrue(check.thresholdStep.isNaN)
        XCTAssertFalse(check.reachesThreshold)
        XCTAssertFalse(check.reachesThresholdByHorizon)
        XCTAssertEqual(check.testAccuracyAtHorizon, 0.74)
        XCTAssertEqual(check.testAccuracyAtLastStep, 0.75)
        XCTAssertEqual(check.clustersBelowHalfAtLastStep, 1)
    }

    func testReachingTheThresholdAfterTheWindowAndForgetting() {
        let check = groksLateThenForgets()
        XCTAssertEqual(check.thresholdStep, 5)
        XCTAssertTrue(check.reachesThreshold)
        XCTAssertFalse(check.reachesThresholdByHorizon)
        XCTAssertEqual(check.testAccuracyAtLastStep, 0.74)
        XCTAssertEqual(check.clustersBelowHalfAtLastStep, 1, "+mu1 at 0 is lost; -mu2 at 0.9 is not")
    }

    func testUnrecordedStepsGiveNaNNotAPass() {
        // Stopped at t = 2 < h = 4: the window 1..h was not observed, so nothing about it may count as fitted.
        let short = metrics(train: [0.5, 1, 1], test: [0.5, 0.5, 0.6], clusters: Array(repeating: [0.5, 0.5, 0.5, 0.5], count: 3), ratio: [1, 1, 1])
        let stopped = TheoremCheck(steps: [0, 1, 2], metrics: short, n: 16, threshold: 0.95, oneStepAgreement: .nan)
        XCTAssertTrue(stopped.minTrainAccuracyToHorizon.isNaN)
        XCTAssertFalse(stopped.fitsTrainingSetToHorizon)
        XCTAssertTrue(stopped.maxPointWeightRatioToHorizon.isNaN)
        XCTAssertTrue(stopped.testAccuracyAtHorizon.isNaN)
        XCTAssertEqual(stopped.testAccuracyAtStep1, 0.5)

        // Step 1 not recorded (sparse metrics): no value at t = 1, but the window is still judged on the recorded steps.
        let sparse = metrics(train: [0.5, 1, 0.98, 1], test: [0.5, 0.6, 0.97, 0.99], clusters: Array(repeating: [1, 1, 1, 1], count: 4), ratio: [1, 1.1, 1.2, 1])
        let skipped = TheoremCheck(steps: [0, 2, 4, 8], metrics: sparse, n: 16, threshold: 0.95, oneStepAgreement: .nan)
        XCTAssertTrue(skipped.testAccuracyAtStep1.isNaN)
        XCTAssertTrue(skipped.clusterTestAccuracyAtStep1.allSatisfy(\.isNaN))
        XCTAssertEqual(skipped.minTrainAccuracyToHorizon, 0.98)
        XCTAssertEqual(skipped.maxPointWeightRatioToHorizon, 1.2)
        XCTAssertEqual(skipped.thresholdStep, 4)

        // A NaN inside the window (an old file without point_weight_ratio) is not skipped over.
        var missing = sparse
        missing["point_weight_ratio"] = nil
        XCTAssertTrue(TheoremCheck(steps: [0, 2, 4, 8], metrics: missing, n: 16, threshold: 0.95, oneStepAgreement: .nan)
            .maxPointWeightRatioToHorizon.isNaN)
    }

    func testHorizonIsTheIntegerSquareRoot() {
        let rows = metrics(train: [1], test: [1], clusters: [[1, 1, 1, 1]], ratio: [1])
        for (n, h) in [(1, 1), (24, 4), (25, 5), (50, 7), (100, 10), (200, 14), (10_000, 100)] {
            XCTAssertEqual(TheoremCheck(steps: [0], metrics: rows, n: n, threshold: 0.95, oneStepAgreement: .nan).horizon, h, "n = \(n)")
        }
    }

    func testSummaryCountsUnmeasuredSeedsAgainstTheClaim() {
        let checks = [groksByHorizon(), losesACluster(), groksLateThenForgets()]
        let summary = TheoremCheckSummary(checks)
        XCTAssertEqual(summary.seeds, 3)
        XCTAssertEqual(summary.fitsTrainingSetToHorizon, 2)
        XCTAssertEqual(summary.reachesThresholdByHorizon, 1)
        XCTAssertEqual(summary.reachesThreshold, 2)
        XCTAssertEqual(summary.losesCluster, 2)
        XCTAssertEqual(summary.clustersRightAtStep1, [0, 0, 2, 1, 0])
        XCTAssertEqual(summary.testAccuracyAtStep1.median, 0.5)
        XCTAssertEqual(summary.testAccuracyAtStep1.maximum, 0.55)
        XCTAssertEqual(summary.thresholdStep.measured, 2)
        XCTAssertEqual(summary.thresholdStep.median, 4)
        XCTAssertEqual(summary.maxPointWeightRatioToHorizon.maximum, 1.02)
        // 20th percentile of (0.74, 0.75, 1) by linear interpolation: 0.74 + 0.4 * 0.01.
        XCTAssertEqual(summary.testAccuracyAtLastStep.low, 0.744, accuracy: 1e-12)
    }

    func testTableShowsEverySeedAndTheAggregate() {
        let text = TheoremCheckTable.render([(10, groksByHorizon()), (11, losesACluster()), (12, groksLateThenForgets())])
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].contains("n = 16, h = floor(sqrt(n)) = 4"), lines[0])
        let seedLines = lines.filter { $0.hasPrefix("      1") }
        XCTAssertEqual(seedLines.count, 3)
        XCTAssertTrue(seedLines[1].contains("never"), seedLines[1])
        XCTAssertEqual(seedLines[0].split(separator: " ").count, seedLines[1].split(separator: " ").count)
        XCTAssertTrue(text.contains("train accuracy 1 at every step 1..h"))
        XCTAssertTrue(text.contains("2/3 = 0.67"))
        XCTAssertTrue(text.contains("test >= 0.95 by t = h = 4                     1/3 = 0.33"), text)
        XCTAssertTrue(text.contains("k=2: 2, k=3: 1"))
        // A lone run has no aggregate.
        XCTAssertFalse(TheoremCheckTable.render([(nil, groksByHorizon())]).contains("over 1 seeds"))
    }

    func testStoredDatasetsCarryOneEntryPerCheckWithAttributes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("groksim-theorem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("checks.h5").path
        let checks = [groksByHorizon(), losesACluster()]
        let file = try HDF5File.create(path: path)
        try TheoremCheck.write(checks, into: file.root)
        try file.close()

        let reopened = try HDF5File.open(path: path, writable: false)
        defer { try? reopened.close() }
        let group = try reopened.root.openGroup("theorem")
        XCTAssertEqual(try group.attribute("horizon", as: Int.self), 4)
        XCTAssertEqual(try group.attribute("threshold", as: Double.self), 0.95)
        XCTAssertEqual(Set(try group.memberNames()), Set(TheoremCheck.quantities.map(\.name)))
        for quantity in TheoremCheck.quantities {
            let dataset = try group.openDataset(quantity.name)
            XCTAssertFalse(try dataset.attribute("description", as: String.self).isEmpty)
            XCTAssertFalse(try dataset.attribute("units", as: String.self).isEmpty)
        }
        XCTAssertEqual(try group.openDataset("min_train_accuracy_to_horizon").read(as: Double.self), [1, 0.9])
        XCTAssertEqual(try group.openDataset("test_accuracy_minus_mu2_at_step1").read(as: Double.self), [1, 0.6])
        XCTAssertEqual(try group.openDataset("clusters_below_half_at_last_step").read(as: Double.self), [0, 1])
    }
}
