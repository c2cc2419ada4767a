import Foundation
import GrokSimTheory
import XCTest

final class SeparabilityTests: XCTestCase {
    func testHandMadeSeparableSetsAndTheirMargins() throws {
        let quadrant = PointMatrix(rows: [[1, 0], [0, 1], [1, 1]])
        guard case let .separable(w) = try OriginSeparability.test(quadrant) else { return XCTFail("separable") }
        for i in 0..<3 { XCTAssertGreaterThan(zip(w, quadrant.point(i)).reduce(0) { $0 + $1.0 * $1.1 }, 0.999) }
        // Margin of {e₁, e₂, e₁ + e₂}: direction (1, 1)/√2, M = 1/√2 (e₁ + e₂ is further out).
        let m = try XCTUnwrap(OriginSeparability.margin(quadrant))
        XCTAssertEqual(m.margin, 0.5.squareRoot(), accuracy: 1e-7)
        XCTAssertEqual(m.direction[0], 0.5.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(m.direction[1], 0.5.squareRoot(), accuracy: 1e-6)
        // (3, ±1): direction e₁, M = 3.
        let pair = try XCTUnwrap(OriginSeparability.margin(PointMatrix(rows: [[3, 1], [3, -1]])))
        XCTAssertEqual(pair.margin, 3, accuracy: 1e-6)
        XCTAssertEqual(pair.direction[0], 1, accuracy: 1e-6)
    }

    func testHandMadeNonSeparableSets() throws {
        let sets: [[[Double]]] = [
            [[1, 0], [-1, 1], [-1, -1]],       // origin inside the triangle
            [[1, 0], [-2, 0]],                  // origin on the segment: no open half-space holds both
            [[0, 0, 0], [1, 2, 3]],             // a point at the origin
            [[1, 1, 0], [-1, 0, 1], [0, -1, -1], [5, 5, 5]],  // hull of the first three contains 0
        ]
        for rows in sets {
            let points = PointMatrix(rows: rows)
            guard case let .notSeparable(weights, residual) = try OriginSeparability.test(points) else {
                XCTFail("\(rows) reported separable"); continue
            }
            XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-12)
            XCTAssertTrue(weights.allSatisfy { $0 >= 0 })
            XCTAssertLessThan(residual, 1e-9)
            XCTAssertNil(try OriginSeparability.margin(points))
        }
    }

    /// The hull-distance LP and the fast test decide every set as the primal LP does: 1200 Gaussian sets at N = 10..40 around
    /// d = N/2 (both answers occur), the hand-made sets, and sets with a point at the origin or a duplicated point.
    func testHullDistanceAgreesWithThePrimalLP() throws {
        let sampler = GaussianSampler(seed: 77)
        var counts = [0, 0]
        for n in [10, 20, 30, 40] {
            for d in [n / 2 - 2, n / 2, n / 2 + 2] {
                for _ in 0..<100 {
                    let points = sampler.points(count: n, dimension: d)
                    let primal = try OriginSeparability.test(points).isSeparable
                    for (name, result) in [("hull", try OriginSeparability.testByHullDistance(points)),
                                           ("fast", try OriginSeparability.fastTest(points))] {
                        XCTAssertEqual(result.isSeparable, primal, "\(name): N = \(n), d = \(d)")
                        switch result {
                        case let .separable(w):
                            for i in 0..<n { XCTAssertGreaterThanOrEqual(zip(w, points.point(i)).reduce(0) { $0 + $1.0 * $1.1 }, 1 - 1e-12) }
                        case let .notSeparable(weights, residual):
                            XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-12)
                            XCTAssertTrue(weights.allSatisfy { $0 >= 0 })
                            XCTAssertLessThan(residual, 1e-9)
                        }
                    }
                    counts[primal ? 1 : 0] += 1
                }
            }
        }
        XCTAssertGreaterThan(counts.min()!, 300, "both answers occur often: \(counts)")
        let handMade: [([[Double]], Bool)] = [
            ([[1, 0], [0, 1], [1, 1]], true), ([[3, 1], [3, -1]], true), ([[1, 0], [-1, 1], [-1, -1]], false),
            ([[1, 0], [-2, 0]], false), ([[0, 0, 0], [1, 2, 3]], false), ([[1, 1, 0], [-1, 0, 1], [0, -1, -1], [5, 5, 5]], false),
            ([[1, 2], [1, 2], [2, 1]], true), ([[1, 0], [-1, 0], [0, 1], [0, -1]], false),
        ]
        for (rows, separable) in handMade {
            for result in [try OriginSeparability.testByHullDistance(PointMatrix(rows: rows)),
                           try OriginSeparability.fastTest(PointMatrix(rows: rows))] {
                XCTAssertEqual(result.isSeparable, separable, "\(rows)")
                if case let .notSeparable(weights, residual) = result {
                    XCTAssertEqual(weights.reduce(0, +), 1, accuracy: 1e-12)
                    XCTAssertLessThan(residual, 1e-9)
                }
            }
        }
    }

    /// Timing of both formulations at the issue's N = 1000 (opt-in: GROKSIM_THEORY_TIMING=1).
    func testHullDistanceTiming() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["GROKSIM_THEORY_TIMING"] == "1", "timing run not requested")
        let sampler = GaussianSampler(seed: 5)
        for (n, d) in [(100, 50), (1000, 480), (1000, 500), (1000, 520)] {
            let points = sampler.points(count: n, dimension: d)
            var start = Date()
            let fast = try OriginSeparability.fastTest(points).isSeparable
            let fastTime = Date().timeIntervalSince(start)
            start = Date()
            let hull = try OriginSeparability.testByHullDistance(points).isSeparable
            print(String(format: "N %d d %d: fast %.3f s, hull LP %.3f s, separable %@ / %@", n, d, fastTime, Date().timeIntervalSince(start),
                         fast ? "yes" : "no", hull ? "yes" : "no"))
        }
    }
}
