import Foundation
@testable import GrokSimTheory
import XCTest

final class MarchenkoPasturLawTests: XCTestCase {
    /// Known moments: E[1] = 1 (atom included), E[ν] = 1, E[ν²] = 1 + λ, and for λ < 1 E[1/ν] = 1/(1 − λ),
    /// E[1/ν²] = 1/(1 − λ)³; the continuous part has mass min(1, 1/λ).
    func testMoments() throws {
        for lambda in [0.1, 0.5, 0.9, 1.5, 3.0] {
            let law = MarchenkoPasturLaw(ratio: lambda)
            XCTAssertEqual(try law.expectation { _ in 1 }, 1, accuracy: 1e-12, "λ = \(lambda)")
            XCTAssertEqual(try law.continuousIntegral { _ in 1 }, min(1, 1 / lambda), accuracy: 1e-12)
            XCTAssertEqual(try law.expectation { $0 }, 1, accuracy: 1e-12)
            XCTAssertEqual(try law.expectation { $0 * $0 }, 1 + lambda, accuracy: 1e-12)
            if lambda < 1 {
                XCTAssertEqual(try law.expectation { 1 / $0 }, 1 / (1 - lambda), accuracy: 1e-10)
                XCTAssertEqual(try law.expectation { 1 / ($0 * $0) }, pow(1 - lambda, -3), accuracy: 1e-9 * pow(1 - lambda, -3))
            }
        }
        XCTAssertEqual(MarchenkoPasturLaw(ratio: 1.5).atomAtZero, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(MarchenkoPasturLaw(ratio: 0.5).atomAtZero, 0)
    }

    /// E[ν e^(−cν)] by quadrature against e^(−c(1+λ)) ₀F₁(2; c²λ), c = 4ηt with η = 0.01 and t up to 10^6 steps
    /// (values down to 1e-12, both the ₀F₁ and the scaled-Bessel branch), to 1e-8 relative.
    func testQuadratureAgainstClosedForm() throws {
        let eta = 0.01
        for lambda in [0.1, 0.5, 0.9, 1.5] {
            let law = MarchenkoPasturLaw(ratio: lambda)
            for t in [0.0, 3, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
                let c = 4 * eta * t
                let closed = law.exponentialFirstMoment(rate: c)
                let quadrature = try law.expectation { $0 * exp(-c * $0) }
                if closed < 1e-250 { continue }
                XCTAssertEqual(quadrature, closed, accuracy: 1e-8 * closed, "λ = \(lambda), t = \(t)")
            }
        }
    }

    /// The ₀F₁ and the scaled-Bessel forms agree where both are usable.
    func testBothClosedFormBranchesAgree() {
        for (lambda, c) in [(0.5, 150.0), (0.9, 200.0), (1.5, 120.0)] {
            let hypergeometric = MarchenkoPasturLaw.exponentialFirstMoment(ratio: lambda, rate: c, besselBeyond: .infinity)
            let bessel = MarchenkoPasturLaw.exponentialFirstMoment(ratio: lambda, rate: c, besselBeyond: 0)
            XCTAssertEqual(hypergeometric, bessel, accuracy: 1e-10 * bessel, "λ = \(lambda), c = \(c)")
        }
    }

    /// Averages over the eigenvalues of one sampled Wishart matrix XᵀX/N (LAPACK), against the law.
    /// Smooth linear statistics of the spectrum deviate from their limit by O(1/d) (bias and fluctuation both): the
    /// tolerance is 3/d absolute on quantities of order 1. Later times weight the lower edge, whose position
    /// fluctuates by O(d^(−2/3)); the times stop at c = 4ηt = 12, where c·d^(−2/3) ≲ 0.2, and 5% relative covers that.
    func testAgainstSampledWishartSpectra() throws {
        let sampler = GaussianSampler(seed: 42)
        let eta = 0.01
        for (d, n) in [(500, 1000), (900, 1000), (600, 400)] {
            let lambda = Double(d) / Double(n)
            let x = sampler.points(count: n, dimension: d)
            let spectrum = try SymmetricEigen(matrix: x.secondMoment(), order: d, computeVectors: false).values
            let law = MarchenkoPasturLaw(ratio: lambda)
            let zeros = spectrum.filter { $0 < 1e-9 }.count
            XCTAssertEqual(Double(zeros) / Double(d), law.atomAtZero, accuracy: 0.5 / Double(d))
            var report: [String] = []
            for t in [10.0, 30, 100, 300] {
                let c = 4 * eta * t
                let sampledGen = spectrum.reduce(0) { $0 + exp(-c * max($1, 0)) } / Double(d)
                let sampledTrain = spectrum.reduce(0) { $0 + max($1, 0) * exp(-c * max($1, 0)) } / Double(d)
                let gen = try law.expectation { exp(-c * $0) }
                let train = law.exponentialFirstMoment(rate: c)
                report.append(String(format: "t %.0f: gen %.5f vs %.5f, train %.5f vs %.5f", t, sampledGen, gen, sampledTrain, train))
                XCTAssertEqual(sampledGen, gen, accuracy: 3 / Double(d) * min(1, 10 * gen) + 0.05 * gen, "λ \(lambda) t \(t)")
                XCTAssertEqual(sampledTrain, train, accuracy: 3 / Double(d) * min(1, 10 * train) + 0.05 * train, "λ \(lambda) t \(t)")
            }
            print("Wishart d \(d) N \(n): " + report.joined(separator: "; "))
        }
    }

    /// λ = 1: ρ(ν) = √((4 − ν)ν)/(2πν), so ρ(2) = 1/(2π); zero outside the support; the density integrated directly
    /// (no substitution, so the square-root edges make it slower) gives the continuous mass min(1, 1/λ).
    func testDensityValuesAndMass() throws {
        XCTAssertEqual(MarchenkoPasturLaw(ratio: 1).density(2), 1 / (2 * Double.pi), accuracy: 1e-15)
        XCTAssertEqual(MarchenkoPasturLaw(ratio: 1).density(4.5), 0)
        XCTAssertEqual(MarchenkoPasturLaw(ratio: 0.5).density(0.05), 0)
        for lambda in [0.25, 0.5, 2.0] {
            let law = MarchenkoPasturLaw(ratio: lambda)
            let mass = try Quadrature(relativeTolerance: 1e-10).integrate(from: law.lowerEdge, to: law.upperEdge) { law.density($0) }
            XCTAssertEqual(mass.value, min(1, 1 / lambda), accuracy: 1e-8, "λ = \(lambda)")
        }
    }
}
