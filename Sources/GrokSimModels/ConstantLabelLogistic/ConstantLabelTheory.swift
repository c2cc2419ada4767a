import Foundation
import GrokSimCore
import GrokSimTheory

/// What the theory of Beck, Levi and Bar-Sinai (2025) predicts for one training set, computed by real solvers.
///
/// The reduced problem generalises (S → S_∞, b → −∞) iff its points are NOT separable from the origin; when they
/// are, with L2 margin M, the flow converges in direction to the extended max-margin solution, for which
/// −b/‖S‖ → 1/M and the test accuracy tends to ½[1 + erf(1/(σ M √2))].
struct ConstantLabelTheory: Sendable {
    /// Whether the LP and the margin were computed (nil fields otherwise).
    let computed: Bool
    let separable: Bool?
    /// The L2 margin of the reduced points (in the units of x), 0 when not separable.
    let margin: Double
    /// ½[1 + erf(1/(σ M √2))], or 1 when not separable; NaN when not computed.
    let predictedAccuracy: Double
    /// Wendel's P(separable) for (N, d) (NaN for the toy model, whose points are not random).
    let wendel: Double

    /// Every quantity of the theory for `settings`, computed once per process and config (the run file is
    /// rewritten at every publish, and the shards and the banner ask too).
    static func of(_ settings: ConstantLabelSettings) -> ConstantLabelTheory {
        let key = "\(settings.task.rawValue) n=\(settings.n) d=\(settings.d) sigma=\(settings.sigma) mu=\(settings.mu) "
            + "sa=\(settings.sigmaA) sb=\(settings.sigmaB) lambda=\(settings.toyLambda) seed=\(settings.seed) theory=\(settings.theory)"
        return cache.value(key) { compute(settings) }
    }

    private static let cache = TheoryCache()

    private static func compute(_ settings: ConstantLabelSettings) -> ConstantLabelTheory {
        let dimension = settings.task == .twoGaussians ? settings.d - 1 : settings.d
        let wendel = settings.task == .toy1D ? Double.nan : WendelProbability.probability(points: settings.n, dimension: dimension)
        guard settings.computesTheory else {
            return ConstantLabelTheory(computed: false, separable: nil, margin: .nan, predictedAccuracy: .nan, wendel: wendel)
        }
        let points = reducedPoints(settings)
        do {
            guard try OriginSeparability.fastTest(points).isSeparable else {
                return ConstantLabelTheory(computed: true, separable: false, margin: 0, predictedAccuracy: 1, wendel: wendel)
            }
            let margin = try OriginSeparability.margin(points)?.margin ?? .nan
            return ConstantLabelTheory(computed: true, separable: true, margin: margin,
                                       predictedAccuracy: limitingAccuracy(sigma: settings.reducedSigma, margin: margin), wendel: wendel)
        } catch {
            return ConstantLabelTheory(computed: false, separable: nil, margin: .nan, predictedAccuracy: .nan, wendel: wendel)
        }
    }

    /// ½[1 + erf(1/(σ M √2))]: the probability that u·x < 1/M for x ~ N(0, σ² I) and a unit u.
    static func limitingAccuracy(sigma: Double, margin: Double) -> Double {
        0.5 * (1 + erf(1 / (sigma * margin * 2.0.squareRoot())))
    }

    /// The training points of the reduced problem: x_i itself, or y_i x_i across e₁ divided by μ for two
    /// Gaussians (exactly the reduced problem when σ_A = 0).
    static func reducedPoints(_ settings: ConstantLabelSettings) -> PointMatrix {
        let labels = ConstantLabelData.targets(settings, test: false)
        if settings.task == .twoGaussians {
            let k = settings.d - 1
            var values = [Double](repeating: 0, count: settings.n * k)
            for i in 0..<settings.n {
                for j in 0..<k {
                    values[i * k + j] = labels[i] * ConstantLabelData.coordinate(settings, test: false, point: i, coordinate: j + 1, label: labels[i]) / settings.mu
                }
            }
            return PointMatrix(count: settings.n, dimension: k, values: values)
        }
        var values = [Double](repeating: 0, count: settings.n * settings.d)
        for i in 0..<settings.n {
            for j in 0..<settings.d {
                values[i * settings.d + j] = ConstantLabelData.coordinate(settings, test: false, point: i, coordinate: j, label: -1)
            }
        }
        return PointMatrix(count: settings.n, dimension: settings.d, values: values)
    }
}

/// Closed forms of the 1-D toy model (x₁ = −σ, x₂ = σ(1 − 2λ)) from the science notes' table.
enum ToyModelTheory {
    /// S_∞ = log(1/(1 − 2λ)) / (2σ(1 − λ)) for λ < ½ (NaN otherwise).
    static func limitingS(lambda: Double, sigma: Double) -> Double {
        lambda < 0.5 ? log(1 / (1 - 2 * lambda)) / (2 * sigma * (1 - lambda)) : .nan
    }

    /// Late-time slopes d b/d log t and d‖S‖/d log t (for λ = ½: d‖S‖/d log log t, the table's σ = 1 row).
    ///
    /// For λ > ½ the flow tends to the max-margin direction of the extended points (x_i, 1): with the margin in the
    /// units of x, M = σ(2λ − 1), −b/‖S‖ → 1/M and ‖(S, b)‖ ≈ log t/√(1 + M²), so b ≈ −log t/(1 + M²) and
    /// ‖S‖ ≈ M log t/(1 + M²) (the table's row at σ = 1).
    static func lateSlopes(lambda: Double, sigma: Double) -> (bias: Double, norm: Double, normAgainstLogLog: Bool) {
        if lambda < 0.5 { return (-1, 0, false) }
        if lambda == 0.5 { return (-1, 1, true) }
        // The margin of the points in the units of x: M = σ(2λ − 1); −b/‖S‖ → 1/M and ‖(S, b)‖ ≈ log t/√(1 + M²).
        let margin = sigma * (2 * lambda - 1)
        return (-1 / (1 + margin * margin), margin / (1 + margin * margin), false)
    }
}

/// A lock-protected memo of the theory per config.
private final class TheoryCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: ConstantLabelTheory] = [:]

    func value(_ key: String, compute: () -> ConstantLabelTheory) -> ConstantLabelTheory {
        lock.lock()
        defer { lock.unlock() }
        if let value = values[key] { return value }
        let value = compute()
        values[key] = value
        return value
    }
}
