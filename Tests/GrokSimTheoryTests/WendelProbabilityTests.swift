import GrokSimTheory
import XCTest

final class WendelProbabilityTests: XCTestCase {
    func testExactlyOneHalfAtHalfTheDimension() {
        for n in stride(from: 2, through: 4000, by: 2) {
            XCTAssertEqual(WendelProbability.probability(points: n, dimension: n / 2), 0.5, "N = \(n)")
        }
    }

    /// Against the exact rational value for N ≤ 50: the binomial sums are integers below 2^49, exact in a Double,
    /// and dividing by 2^(N−1) is exact.
    func testSmallNAgainstExactIntegerSums() {
        var worst = 0.0
        for n in 1...50 {
            var row: [UInt64] = [1]  // row N − 1 of Pascal's triangle
            for _ in 0..<(n - 1) { row = zip([0] + row, row + [0]).map { $0 + $1 } }
            var partial: UInt64 = 0
            for d in 0...(n + 2) {
                let exact = Double(partial) / pow(2, Double(n - 1))
                let p = WendelProbability.probability(points: n, dimension: d)
                // The terms carry a relative rounding error of about N·ε (see WendelProbability).
                XCTAssertEqual(p, exact, accuracy: Double(n) * 1e-15 * exact, "N = \(n), d = \(d)")
                if exact > 0 { worst = max(worst, abs(p - exact) / exact / Double(n)) }
                if d < row.count { partial += row[d] }
            }
        }
        print("Wendel small N: largest relative error / N = \(worst)")
    }

    func testTableOfTheScienceNotesAtN1000() {
        let table: [(Double, Double, Double)] = [(0.45, 0.0008, 0.00005), (0.48, 0.103, 0.0005), (0.495, 0.376, 0.0005),
                                                 (0.5, 0.5, 0), (0.505, 0.624, 0.0005), (0.55, 0.9992, 0.00005)]
        for (lambda, value, halfUnit) in table {
            let p = WendelProbability.probability(points: 1000, dimension: Int((lambda * 1000).rounded()))
            XCTAssertEqual(p, value, accuracy: halfUnit, "λ = \(lambda)")
        }
    }

    /// P(N, d) + P(N, N − d) = 1: the Binomial(N − 1, ½) distribution is symmetric (to the terms' N·ε accuracy).
    func testComplementSymmetry() {
        for n in [999, 1000, 1001] {
            for d in 0...n {
                let sum = WendelProbability.probability(points: n, dimension: d)
                    + WendelProbability.probability(points: n, dimension: n - d)
                XCTAssertEqual(sum, 1, accuracy: 1e-12, "N = \(n), d = \(d)")
            }
        }
    }

    /// Brute force: the fraction of 300 Gaussian sets that the LP finds separable from the origin, against
    /// P(N, d), within 4 binomial standard errors √(P(1 − P)/300).
    func testAgainstLinearProgramCountsOnGaussianSets() throws {
        let sampler = GaussianSampler(seed: 2025)
        let trials = 300
        var report: [String] = []
        for n in [10, 20, 40] {
            for d in [n / 4, n / 2 - 1, n / 2, n / 2 + 1, 3 * n / 4] {
                var separable = 0
                for _ in 0..<trials where try OriginSeparability.test(sampler.points(count: n, dimension: d)).isSeparable {
                    separable += 1
                }
                let p = WendelProbability.probability(points: n, dimension: d)
                let fraction = Double(separable) / Double(trials)
                let bound = 4 * (p * (1 - p) / Double(trials)).squareRoot()
                report.append("N \(n) d \(d): LP \(fraction) Wendel \(String(format: "%.4f", p)) ±\(String(format: "%.3f", bound))")
                XCTAssertEqual(fraction, p, accuracy: max(bound, 1.0 / Double(trials)), "N = \(n), d = \(d)")
            }
        }
        print(report.joined(separator: "\n"))
    }
}
