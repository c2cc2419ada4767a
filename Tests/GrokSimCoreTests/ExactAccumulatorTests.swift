import XCTest
@testable import GrokSimCore

final class ExactAccumulatorTests: XCTestCase {
    func testCancellationIsExact() {
        let sums = ExactAccumulator(count: 3)
        for value in [1e16, 1, -1e16] { sums.add(value, to: 0) }
        for value in [0.1, 0.2, -0.3] { sums.add(value, to: 1) }
        XCTAssertEqual(sums.value(0), 1)
        // The doubles 0.1, 0.2 and -0.3 add up exactly to 2^-55; plain left-to-right addition gives 2^-54.
        XCTAssertEqual(sums.value(1), 0x1p-55)
        XCTAssertEqual((0.1 as Double) + 0.2 - 0.3, 0x1p-54)
        XCTAssertEqual(sums.value(2), 0)
    }

    /// The sum of the same terms split over 1, 2 or 3 "ranks" in any order, limbs added as integers, is bit-identical.
    func testPartitionAndOrderIndependence() {
        var generator = SystemRandomNumberGenerator()
        let terms = (0..<5000).map { _ in
            Double.random(in: -1...1, using: &generator) * pow(10, Double(Int.random(in: -40...40, using: &generator)))
        }
        var results: [Double] = []
        for parts in 1...3 {
            let total = ExactAccumulator(count: 1)
            for part in 0..<parts {
                let local = ExactAccumulator(count: 1)
                for (index, term) in terms.enumerated().reversed() where index % parts == part { local.add(term, to: 0) }
                for slot in 0..<ExactAccumulator.slotsPerSum { total.storage[slot] &+= local.storage[slot] }
            }
            results.append(total.value(0))
        }
        XCTAssertEqual(results[0].bitPattern, results[1].bitPattern)
        XCTAssertEqual(results[0].bitPattern, results[2].bitPattern)
        // A plain double sum differs from the exact one on such terms, which is why this exists.
        let naive = terms.reduce(0, +)
        XCTAssertEqual(results[0], naive, accuracy: abs(naive) * 1e-6 + 1e-30)
    }

    func testAgreesWithExactRationalOnIntegers() {
        let sums = ExactAccumulator(count: 1)
        var expected: Int64 = 0
        for k in 0..<1000 {
            let value = Int64((k * 7919) % 100_003) - 50_000
            expected += value
            sums.add(Double(value), to: 0)
        }
        XCTAssertEqual(sums.value(0), Double(expected))
    }

    func testTinyTermsDropAndHugeOrNonFiniteGiveNaN() {
        let sums = ExactAccumulator(count: 4)
        sums.add(1e-200, to: 0)
        sums.add(2, to: 0)
        XCTAssertEqual(sums.value(0), 2)
        sums.add(1e200, to: 1)
        XCTAssertTrue(sums.value(1).isNaN)
        sums.add(.infinity, to: 2)
        XCTAssertTrue(sums.value(2).isNaN)
        sums.add(.nan, to: 3)
        XCTAssertTrue(sums.value(3).isNaN)
        sums.reset()
        XCTAssertEqual(sums.value(1), 0)
    }

    func testRoundTripsSingleValuesAcrossTheWindow() {
        let sums = ExactAccumulator(count: 1)
        for value in [1.0, -1.0, 3.141592653589793, -2.5e-150, 1.7e150, 1e-160, 123456789.123456789] {
            sums.reset()
            sums.add(value, to: 0)
            XCTAssertEqual(sums.value(0), value, "value \(value)")
        }
    }
}
