import _CGSL

/// Accuracy of a linear estimator whose per-output errors are Gaussian with variance L: the probability that a
/// sample's mean squared error over its d_out outputs is below ε (Levi, Beck, Bar-Sinai 2024).
public enum SquaredErrorAccuracy {
    /// A(L) = P(d_out/2, d_out ε/(2L)), GSL's regularised lower incomplete gamma; for d_out = 1 it is
    /// erf(√(ε/(2L))), computed with GSL's erf.
    public static func accuracy(loss: Double, epsilon: Double, outputs: Int = 1) -> Double {
        precondition(loss >= 0 && epsilon > 0 && outputs >= 1, "need L ≥ 0, ε > 0, d_out ≥ 1")
        if loss == 0 { return 1 }
        GSL.prepare()
        if outputs == 1 { return gsl_sf_erf((epsilon / (2 * loss)).squareRoot()) }
        let half = Double(outputs) / 2
        return gsl_sf_gamma_inc_P(half, half * epsilon / loss)
    }

    /// erf(√2) ≈ 0.9545: the d_out = 1 accuracy at L = ε/4, where the science notes place the "95%" points; with
    /// this threshold the crossing times reproduce the notes' Δt values.
    public static var quarterEpsilonLevel: Double { gsl_sf_erf(2.0.squareRoot()) }
}
