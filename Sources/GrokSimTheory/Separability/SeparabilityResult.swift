/// The answer to "is this point set separable from the origin?", with the evidence either way.
public enum SeparabilityResult: Sendable, Equatable {
    /// A direction w with ⟨w, x_i⟩ ≥ 1 for all i (up to the LP tolerance).
    case separable(direction: [Double])
    /// Convex weights μ with ‖Σ μ_i x_i‖_∞ ≤ residual: the origin is in the convex hull.
    case notSeparable(hullWeights: [Double], residual: Double)

    public var isSeparable: Bool {
        if case .separable = self { return true }
        return false
    }
}
