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
}
