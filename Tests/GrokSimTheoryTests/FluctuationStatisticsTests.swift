import Foundation
import XCTest
@testable import GrokSimTheory

/// The fluctuation estimators against series whose answers are known: AR(1) and Langevin on a quadratic well.
final class FluctuationStatisticsTests: XCTestCase {
    /// x_t = rho x_{t-1} + sqrt(1 - rho^2) xi_t, started in its stationary law.
    private func ar1(rho: Double, count: Int, sampler: GaussianSampler) -> [Double] {
        var x = sampler.normal()
        let scale = (1 - rho * rho).squareRoot()
        return (0..<count).map { _ in
            x = rho * x + scale * sampler.normal()
            return x
        }
    }

    func testIntegratedTimeOfAR1() {
        let sampler = GaussianSampler(seed: 7)
        for rho in [0.0, 0.5, 0.9] {
            let truth = (1 + rho) / (1 - rho)
            let time = AutocorrelationTime(ar1(rho: rho, count: 100_000, sampler: sampler))
            XCTAssertTrue(time.converged)
            // Sokal's error of tau is tau sqrt(2 (2M + 1) / N), about 6% at rho = 0.9: allow twice that.
            XCTAssertEqual(time.tau, truth, accuracy: 0.12 * truth + 0.03, "rho = \(rho)")
        }
    }

    func testStandardErrorOfTheMeanOfAR1IsHonest() {
        let sampler = GaussianSampler(seed: 11)
        var covered = 0
        let runs = 200
        for _ in 0..<runs {
            let stats = SeriesFluctuations(ar1(rho: 0.8, count: 2000, sampler: sampler))
            if abs(stats.mean) <= stats.meanError { covered += 1 }
        }
        let fraction = Double(covered) / Double(runs)
        print("AR(1) rho=0.8, N=2000: mean covered \(covered)/\(runs)")
        // 68.3% expected; the binomial spread of 200 runs is 3.3%.
        XCTAssertEqual(fraction, 0.683, accuracy: 0.1)
    }

    func testBurnInDiscardsARelaxingStart() {
        let sampler = GaussianSampler(seed: 3)
        let noise = ar1(rho: 0.5, count: 4000, sampler: sampler)
        // A start 20 standard deviations off that relaxes with time 100 steps.
        let series = noise.enumerated().map { $0.element + 20 * Foundation.exp(-Double($0.offset) / 100) }
        let cut = BurnIn.mser(series)
        XCTAssertGreaterThan(cut, 200)
        XCTAssertLessThan(cut, 1200)
        XCTAssertEqual(BurnIn.mser(noise), 0, accuracy: 400)
    }

    /// Euler-Maruyama Langevin on L = sum h_i x_i^2 / 2 in k dimensions: each coordinate is an AR(1) with
    /// a = 1 - lr h and stationary variance 2 lr T / (1 - a^2) = T / (h (1 - lr h / 2)), so (exactly for the
    /// discrete chain) <L> = sum T / (2 (1 - lr h_i / 2)) and Var L = sum T^2 / (2 (1 - lr h_i / 2)^2): kT/2 and kT^2/2
    /// up to O(lr h). The stated 1-sigma intervals must cover these about 68% of the time.
    func testQuadraticLangevinEquipartitionAndCoverage() {
        let sampler = GaussianSampler(seed: 5)
        let curvatures = [1.0, 2.0, 3.0, 4.0], lr = 0.05, temperature = 0.5
        let trueMean = curvatures.reduce(0) { $0 + temperature / (2 * (1 - lr * $1 / 2)) }
        let trueVariance = curvatures.reduce(0) { $0 + temperature * temperature / (2 * (1 - lr * $1 / 2) * (1 - lr * $1 / 2)) }
        let k = Double(curvatures.count)
        XCTAssertEqual(trueMean, k * temperature / 2, accuracy: 0.07 * k * temperature / 2)
        var meanCovered = 0, varianceCovered = 0
        var dMean = 0.0, dVariance = 0.0
        let runs = 200
        for _ in 0..<runs {
            // Start 3 standard deviations out, so the burn-in rule has something to remove.
            var x = curvatures.map { 3 * (temperature / $0).squareRoot() }
            var losses: [Double] = []
            for _ in 0..<2500 {
                var loss = 0.0
                for i in x.indices { loss += curvatures[i] * x[i] * x[i] / 2 }
                losses.append(loss)
                for i in x.indices {
                    x[i] += -lr * curvatures[i] * x[i] + (2 * lr * temperature).squareRoot() * sampler.normal()
                }
            }
            let cut = BurnIn.mser(losses)
            let stats = SeriesFluctuations(Array(losses[cut...]))
            if abs(stats.mean - trueMean) <= stats.meanError { meanCovered += 1 }
            if abs(stats.variance - trueVariance) <= stats.varianceError { varianceCovered += 1 }
            dMean += 2 * stats.mean / temperature / Double(runs)
            dVariance += 2 * stats.variance / (temperature * temperature) / Double(runs)
        }
        print("quadratic Langevin k=4, T=0.5: D_mean \(dMean), D_var \(dVariance) (truth \(2 * trueMean / temperature), \(2 * trueVariance / (temperature * temperature))); coverage mean \(meanCovered)/\(runs), variance \(varianceCovered)/\(runs)")
        XCTAssertEqual(dMean, 2 * trueMean / temperature, accuracy: 0.05)
        XCTAssertEqual(dVariance, 2 * trueVariance / (temperature * temperature), accuracy: 0.15)
        XCTAssertEqual(Double(meanCovered) / Double(runs), 0.683, accuracy: 0.1, "mean: \(meanCovered)/\(runs) covered")
        XCTAssertEqual(Double(varianceCovered) / Double(runs), 0.683, accuracy: 0.1, "variance: \(varianceCovered)/\(runs) covered")
    }
}
