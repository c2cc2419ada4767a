import Foundation

/// Closed-form limits of the linear-estimator grokking theory (Levi, Beck, Bar-Sinai 2024), d_out = 1; for
/// d_out > 1 pass η/d_out as the learning rate and divide losses by d_out.
public enum GrokkingAsymptotes {
    /// The ε → 0 grokking delay for γ = 0: Δt ≈ log(1/(1 − √λ)) / (2η(1 − √λ)²), λ < 1. It overestimates at finite ε.
    public static func delayAsEpsilonVanishes(ratio: Double, learningRate eta: Double) -> Double {
        precondition(ratio > 0 && ratio < 1, "defined for 0 < λ < 1")
        let gap = 1 - ratio.squareRoot()
        return log(1 / gap) / (2 * eta * gap * gap)
    }

    /// The small-γ grokking delay with weight decay as the science notes state it: Δt ≈ log(1 + √λ) / (2η(1 − √λ)²),
    /// λ < 1. Not reproduced by `LinearEstimatorDynamics` at the notes' settings: at η = 0.01, ε = 1e-3 or 1e-5 and
    /// γ from 1e-5 to 1e-2 the exact delay is at least the γ = 0 one (λ = 0.5: 431 to 752, formula 312), so the
    /// regime it describes is not pinned down here.
    public static func weightDecayDelay(ratio: Double, learningRate eta: Double) -> Double {
        precondition(ratio > 0 && ratio < 1, "defined for 0 < λ < 1")
        let gap = 1 - ratio.squareRoot()
        return log(1 + ratio.squareRoot()) / (2 * eta * gap * gap)
    }

    /// The γ = 0 generalisation-loss plateau 1 − 1/λ for λ > 1 (the null space of Σ never learns), 0 otherwise.
    public static func generalizationPlateau(ratio: Double) -> Double { ratio > 1 ? 1 - 1 / ratio : 0 }

    /// The late-time ratio L_gen/L_train → 1/(1 − √λ)² (λ < 1, γ = 0): both are then dominated by the lower edge λ₋.
    public static func lateLossRatio(ratio: Double) -> Double {
        let gap = 1 - ratio.squareRoot()
        return 1 / (gap * gap)
    }

    /// Small-γ limit of L_train with weight decay, λ < 1: v_T γ²/(4(1 − λ)), v_T = d_in d_out Var(T_ij).
    ///
    /// The notes' form γ²/(4(1 − λ)) is v_T = 1; their initialisation T ~ N(0, 1/(2 d_in d_out)) is v_T = ½, the
    /// default here and the value `LinearEstimatorDynamics` (and a direct simulation, see its tests) reproduce.
    public static func weightDecayTrainPlateau(ratio: Double, weightDecay gamma: Double, teacherVariance: Double = 0.5)
        -> Double {
        precondition(ratio < 1, "defined for λ < 1")
        return teacherVariance * gamma * gamma / (4 * (1 - ratio))
    }

    /// Small-γ limit of L_gen with weight decay, λ < 1: v_T γ²/(4(1 − λ)³) (see ``weightDecayTrainPlateau``).
    public static func weightDecayGeneralizationPlateau(ratio: Double, weightDecay gamma: Double,
                                                        teacherVariance: Double = 0.5) -> Double {
        precondition(ratio < 1, "defined for λ < 1")
        return teacherVariance * gamma * gamma / (4 * (1 - ratio) * (1 - ratio) * (1 - ratio))
    }

    /// The init-scale rule: starting from αS₀ multiplies every γ = 0 loss by (1 + α²)/2, which is the same as
    /// keeping α = 1 and using tolerance 2ε/(1 + α²).
    public static func equivalentEpsilon(_ epsilon: Double, initScale alpha: Double) -> Double {
        2 * epsilon / (1 + alpha * alpha)
    }
}
