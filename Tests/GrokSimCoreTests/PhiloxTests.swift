import XCTest
@testable import GrokSimCore

final class PhiloxTests: XCTestCase {
    /// Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
    func testKnownAnswers() {
        let zero = Philox(key: 0).block((0, 0, 0, 0))
        XCTAssertEqual([zero.0, zero.1, zero.2, zero.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Philox(key: 0xFFFF_FFFF_FFFF_FFFF).block((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF))
        XCTAssertEqual([ones.0, ones.1, ones.2, ones.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Philox(key: 0x299f_31d0_a409_3822).block((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344))
        XCTAssertEqual([pi.0, pi.1, pi.2, pi.3], [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    func testSameIndexSameNumberAndStreamsDiffer() {
        let a = RandomStream(seed: 7, stream: RandomStreamID(rawValue: 2))
        let b = RandomStream(seed: 7, stream: RandomStreamID(rawValue: 4))
        let c = RandomStream(seed: 8, stream: RandomStreamID(rawValue: 2))
        XCTAssertEqual(a.normal(12345), RandomStream(seed: 7, stream: RandomStreamID(rawValue: 2)).normal(12345))
        XCTAssertNotEqual(a.normal(12345), b.normal(12345))
        XCTAssertNotEqual(a.normal(12345), c.normal(12345))
    }

    /// Filling any sub-range gives the same numbers as drawing each index alone: what rank independence needs.
    func testFillMatchesElementwiseAtAnyOffset() {
        let stream = RandomStream(seed: 3, stream: RandomStreamID(rawValue: 6))
        for (start, count) in [(0, 10), (1, 10), (5, 1), (7, 8), (1_000_000_001, 3)] {
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            defer { buffer.deallocate() }
            stream.fillNormals(buffer, start: UInt64(start), scale: 2)
            for k in 0..<count {
                XCTAssertEqual(buffer[k], 2 * stream.normal(UInt64(start + k)), "start \(start) element \(k)")
            }
        }
    }

    /// Moments of 200 000 normals: each tolerance is about 5 standard errors of the estimate.
    func testNormalMoments() {
        let count = 200_000
        let stream = RandomStream(seed: 11, stream: RandomStreamID(rawValue: 2))
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        for i in 0..<count {
            let z = stream.normal(UInt64(i))
            s1 += z; s2 += z * z; s3 += z * z * z; s4 += z * z * z * z
        }
        let n = Double(count)
        XCTAssertEqual(s1 / n, 0, accuracy: 5 / n.squareRoot())
        XCTAssertEqual(s2 / n, 1, accuracy: 5 * 2.0.squareRoot() / n.squareRoot())
        XCTAssertEqual(s3 / n, 0, accuracy: 5 * 15.0.squareRoot() / n.squareRoot())
        XCTAssertEqual(s4 / n, 3, accuracy: 5 * 96.0.squareRoot() / n.squareRoot())
    }

    /// Uniforms lie in (0, 1] with mean 1/2 and variance 1/12, and neighbouring values are uncorrelated.
    func testUniformRangeAndMoments() {
        let count = 100_000
        let stream = RandomStream(seed: 5, stream: RandomStreamID(rawValue: 1))
        var sum = 0.0, sumSquares = 0.0, lagged = 0.0
        var previous = stream.uniform(0)
        for i in 0..<count {
            let u = stream.uniform(UInt64(i))
            XCTAssertTrue(u > 0 && u <= 1)
            sum += u; sumSquares += u * u
            if i > 0 { lagged += (u - 0.5) * (previous - 0.5) }
            previous = u
        }
        let n = Double(count)
        XCTAssertEqual(sum / n, 0.5, accuracy: 5 * (1.0 / 12).squareRoot() / n.squareRoot())
        XCTAssertEqual(sumSquares / n - (sum / n) * (sum / n), 1.0 / 12, accuracy: 0.002)
        XCTAssertEqual(lagged / n, 0, accuracy: 5 * (1.0 / 144) / n.squareRoot() * 1.5)
    }
}
