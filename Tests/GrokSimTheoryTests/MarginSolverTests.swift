import GrokSimTheory
import XCTest

final class MarginSolverTests: XCTestCase {
    private func solution(_ outcome: MarginOutcome, file: StaticString = #filePath, line: UInt = #line) throws
        -> MarginSolution {
        try XCTUnwrap(outcome.solution, "expected a separable set", file: file, line: line)
    }

    private func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: tolerance, file: file, line: line) }
    }

    /// One point x = (2, 1): the L2 solution is x/‖x‖² (margin ‖x‖₂ = √5), the L1 solution the axis of the largest
    /// coordinate, w = (½, 0) (margin ‖x‖_∞ = 2): dense against sparse.
    func testSinglePointL1PicksTheAxisAndL2ThePoint() throws {
        let points = PointMatrix(rows: [[2, 1]])
        let l1 = try solution(L1MarginSolver().solve(points: points, labels: [1]))
        assertClose(l1.weights, [0.5, 0], 1e-12)
        XCTAssertEqual(l1.margin, 2, accuracy: 1e-12)
        let l2 = try solution(L2MarginSolver().solve(points: points, labels: [1]))
        assertClose(l2.weights, [0.4, 0.2], 1e-7)
        XCTAssertEqual(l2.margin, 5.0.squareRoot(), accuracy: 1e-7)
        XCTAssertEqual(l2.bias, 0, accuracy: 1e-6)
    }

    /// x₁ = e₁ labelled +1, x₂ = e₂ labelled −1: both solutions are w = (1, −1); margins 1/√2 (L2) and ½ (L1).
    func testTwoOrthogonalPointsWithOppositeLabels() throws {
        let points = PointMatrix(rows: [[1, 0], [0, 1]])
        let l1 = try solution(L1MarginSolver().solve(points: points, labels: [1, -1]))
        assertClose(l1.weights, [1, -1], 1e-12)
        XCTAssertEqual(l1.margin, 0.5, accuracy: 1e-12)
        let l2 = try solution(L2MarginSolver().solve(points: points, labels: [1, -1]))
        assertClose(l2.weights, [1, -1], 1e-7)
        XCTAssertEqual(l2.margin, 0.5.squareRoot(), accuracy: 1e-7)
    }

    /// Sparse truth: x ∈ {±1}^60, y = x₁ on 20 points. The L1 solution is e₁ exactly (margin 1, the largest any
    /// direction can have since ‖x‖_∞ = 1); the L2 solution is dense and has a larger L2 margin than e₁'s 1.
    func testSparseTruthIsRecoveredByL1AndNotByL2() throws {
        let sampler = GaussianSampler(seed: 7)
        let n = 20, d = 60
        let values = sampler.signs(n * d)
        let points = PointMatrix(count: n, dimension: d, values: values)
        let labels = (0..<n).map { values[$0 * d] }
        let l1 = try solution(L1MarginSolver().solve(points: points, labels: labels))
        assertClose(l1.weights, [1] + Array(repeating: 0, count: d - 1), 1e-9)
        XCTAssertEqual(l1.margin, 1, accuracy: 1e-9)
        let l2 = try solution(L2MarginSolver().solve(points: points, labels: labels))
        XCTAssertGreaterThan(l2.margin, 1.2)
        let l1Norm = l2.weights.reduce(0) { $0 + abs($1) }
        XCTAssertGreaterThan(l1Norm / l2.norm, 3, "L2 solution should be spread over many coordinates")
    }

    /// z = (1, 0), (−1, 1), (−1, −1) contain the origin in their hull with weights (½, ¼, ¼); with all labels +1
    /// (or the same points negated with labels −1) neither solver may return a classifier.
    func testNonSeparableSetIsReportedWithItsHullWeights() throws {
        let rows: [[Double]] = [[1, 0], [-1, 1], [-1, -1]]
        for (points, labels) in [(PointMatrix(rows: rows), [1.0, 1, 1]),
                                 (PointMatrix(rows: rows.map { $0.map { -$0 } }), [-1.0, -1, -1])] {
            for outcome in [try L1MarginSolver().solve(points: points, labels: labels),
                            try L2MarginSolver().solve(points: points, labels: labels)] {
                guard case let .notSeparable(weights, residual) = outcome else {
                    return XCTFail("separable reported for a set whose hull contains the origin")
                }
                assertClose(weights, [0.5, 0.25, 0.25], 1e-9)
                XCTAssertLessThan(residual, 1e-9)
            }
        }
    }

    /// Random separable sets, both libsvm input paths (dense d ≤ 2n and Gram d > 2n) and a set with n > d labelled
    /// by a teacher: every constraint holds, b ≈ 0, and no other feasible direction tried has a larger margin in
    /// the solver's own norm.
    func testRandomSeparableSetsAreOptimalAgainstOtherFeasibleDirections() throws {
        let sampler = GaussianSampler(seed: 11)
        for (n, d, teacher) in [(40, 60, false), (30, 200, false), (80, 8, true)] {
            let points = sampler.points(count: n, dimension: d)
            let labels: [Double]
            if teacher {
                let wStar = sampler.normals(d)
                labels = (0..<n).map { i in (0..<d).reduce(0) { $0 + wStar[$1] * points[point: i, coordinate: $1] } >= 0 ? 1 : -1 }
            } else {
                labels = sampler.signs(n)
            }
            let l2 = try solution(L2MarginSolver().solve(points: points, labels: labels))
            let l1 = try solution(L1MarginSolver().solve(points: points, labels: labels))
            XCTAssertGreaterThanOrEqual(l2.scores.min()!, 1 - 1e-6)
            XCTAssertGreaterThanOrEqual(l1.scores.min()!, 1 - 1e-6)
            XCTAssertEqual(l2.bias, 0, accuracy: 1e-6)

            func margins(_ w: [Double]) -> (l1: Double, l2: Double)? {
                let scores = (0..<n).map { i in labels[i] * (0..<d).reduce(0) { $0 + w[$1] * points[point: i, coordinate: $1] } }
                guard let worst = scores.min(), worst > 0 else { return nil }
                return (worst / w.reduce(0) { $0 + abs($1) }, worst / w.reduce(0) { $0 + $1 * $1 }.squareRoot())
            }
            var candidates = [l1.weights, l2.weights]
            for _ in 0..<20 {
                let g = sampler.normals(d)
                let gNorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                for (base, norm) in [(l2.weights, l2.norm), (l1.weights, l1.norm)] {
                    candidates.append(zip(base, g).map { $0 + 0.05 * norm * $1 / gNorm })
                }
            }
            var feasible = 0
            for w in candidates {
                guard let m = margins(w) else { continue }
                feasible += 1
                XCTAssertLessThanOrEqual(m.l2, l2.margin * (1 + 1e-7), "n \(n) d \(d): a direction beats the L2 optimum")
                XCTAssertLessThanOrEqual(m.l1, l1.margin * (1 + 1e-7), "n \(n) d \(d): a direction beats the L1 optimum")
            }
            XCTAssertGreaterThan(feasible, 10)
            if !teacher { XCTAssertGreaterThan(l2.margin, margins(l1.weights)!.l2 * (1 + 1e-6)) }
        }
    }
}
