import Foundation
import GrokSimTheory
import XCTest

/// Solver timings on the sparse task of Lyu et al. (x ∈ {±1}^d, y = sign of the sum of the first 3 coordinates);
/// run only with GROKSIM_THEORY_TIMING=1 since the largest size takes seconds.
final class SolverTimingTests: XCTestCase {
    func testTimingsOnTheSparseTask() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["GROKSIM_THEORY_TIMING"] == "1", "timing run not requested")
        let sampler = GaussianSampler(seed: 3)
        for (n, d) in [(256, 1_000), (256, 10_000), (100, 100_000), (256, 100_000)] {
            let values = sampler.signs(n * d)
            let points = PointMatrix(count: n, dimension: d, values: values)
            let labels = (0..<n).map { i in values[i * d] + values[i * d + 1] + values[i * d + 2] > 0 ? 1.0 : -1.0 }
            var start = Date()
            let l1 = try XCTUnwrap(L1MarginSolver().solve(points: points, labels: labels).solution)
            let l1Time = Date().timeIntervalSince(start)
            start = Date()
            let l2 = try XCTUnwrap(L2MarginSolver().solve(points: points, labels: labels).solution)
            let l2Time = Date().timeIntervalSince(start)
            let support = l1.weights.filter { abs($0) > 1e-9 }.count
            let onTruth = l1.weights[0..<3].map { abs($0) }.reduce(0, +) / l1.norm
            print(String(format: "n %d d %d: L1 %.3f s (%d rounds, %d non-zeros, %.3f of ‖w‖₁ on the truth, margin %.4f); L2 %.3f s (margin %.4f, |b| %.1e)",
                         n, d, l1Time, l1.rounds, support, onTruth, l1.margin, l2Time, l2.margin, abs(l2.bias)))
        }
    }
}
