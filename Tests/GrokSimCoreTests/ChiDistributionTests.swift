import Foundation
import XCTest
@testable import GrokSimCore

/// The chi sampler's moments from 1 to 2^53 degrees of freedom, with tolerances of five standard errors.
final class ChiDistributionTests: XCTestCase {
    private let draws = 20_000
    private let degrees: [Int] = [1, 2, 3, 4, 7, 10, 100, 10_000, 1_000_000, 1_000_000_000, 1_000_000_000_000,
                                  1_000_000_000_000_000, ChiDistribution.maximumDegreesOfFreedom]

    private func sample(_ k: Int, seed: UInt64 = 7) -> [Double] {
        let stream = RandomStream(seed: seed, stream: RandomStreamID(rawValue: 7))
        return (0..<draws).map { ChiDistribution.sample(degreesOfFreedom: k, stream: stream, index: UInt64($0)) }
    }

    /// E[chi_k] and Var[chi_k]: exact through lgamma for moderate k, the asymptotic series beyond (where
    /// k - E^2 would cancel in floating point).
    private func chiMoments(_ k: Int) -> (mean: Double, variance: Double) {
        let kd = Double(k)
        if k <= 1_000_000 {
            let mean = 2.0.squareRoot() * exp(lgamma((kd + 1) / 2) - lgamma(kd / 2))
            return (mean, kd - mean * mean)
        }
        return (kd.squareRoot() * (1 - 1 / (4 * kd) + 1 / (32 * kd * kd)), 0.5 - 1 / (8 * kd))
    }

    /// The largest standardised deviation of the sample's chi and chi^2 means and chi^2 variance, in standard errors.
    private func worstDeviation(_ values: [Double], assumedDegrees k: Int) -> Double {
        let n = Double(values.count), kd = Double(k)
        // chi^2 standardised: mean 0, variance 1, excess kurtosis 12/k.
        let z = values.map { ($0 * $0 - kd) / (2 * kd).squareRoot() }
        let zMean = z.reduce(0, +) / n
        let zVariance = z.reduce(0) { $0 + ($1 - zMean) * ($1 - zMean) } / (n - 1)
        let (mean, variance) = chiMoments(k)
        let chiMean = values.reduce(0, +) / n
        return max(abs(zMean) / (1 / n.squareRoot()),
                   abs(zVariance - 1) / ((2 + 12 / kd) / n).squareRoot(),
                   abs(chiMean - mean) / (variance / n).squareRoot())
    }

    func testMomentsMatchFromOneToTwoToThe53DegreesOfFreedom() {
        for k in degrees {
            let values = sample(k)
            XCTAssertTrue(values.allSatisfy { $0.isFinite && $0 >= 0 }, "k = \(k)")
            XCTAssertLessThan(worstDeviation(values, assumedDegrees: k), 5, "k = \(k)")
        }
    }

    /// The tolerance has power: degrees of freedom off by sqrt(k) (0.7 standard deviations of chi^2) are caught.
    func testToleranceDetectsWrongDegreesOfFreedom() {
        for k in [100, 10_000, 1_000_000_000_000_000] {
            let wrong = k + Int(Double(k).squareRoot())
            XCTAssertGreaterThan(worstDeviation(sample(wrong), assumedDegrees: k), 5, "k = \(k)")
        }
    }

    func testDrawsDependOnlyOnSeedStreamAndIndex() {
        let stream = RandomStream(seed: 3, stream: RandomStreamID(rawValue: 7))
        let a = ChiDistribution.sample(degreesOfFreedom: 1_000_000_000, stream: stream, index: 5)
        XCTAssertEqual(a, ChiDistribution.sample(degreesOfFreedom: 1_000_000_000, stream: stream, index: 5))
        XCTAssertNotEqual(a, ChiDistribution.sample(degreesOfFreedom: 1_000_000_000, stream: stream, index: 6))
        XCTAssertNotEqual(a, ChiDistribution.sample(degreesOfFreedom: 1_000_000_000, stream: RandomStream(seed: 4, stream: RandomStreamID(rawValue: 7)), index: 5))
    }

    func testLogOnePlusMinusIsAccurateForTinyArguments() {
        // log1p(e) - e = -e^2/2 + e^3/3 - ...; at e = 1e-8 a direct evaluation keeps only about half the digits.
        for e in [1e-8, -3e-6] {
            let series = -e * e / 2 + e * e * e / 3 - e * e * e * e / 4
            XCTAssertEqual(ChiDistribution.logOnePlusMinus(e), series, accuracy: 1e-14 * abs(series), "e = \(e)")
        }
        // Where the direct form loses few digits, the series branch and it must agree.
        for e in [0.009, -0.009, 0.02, -0.5] {
            XCTAssertEqual(ChiDistribution.logOnePlusMinus(e), log1p(e) - e, accuracy: 1e-11 * abs(log1p(e) - e), "e = \(e)")
        }
    }
}
