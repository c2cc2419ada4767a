/// What a margin solver found: a max-margin classifier, or a proof that the labelled set is not separable.
public enum MarginOutcome: Sendable, Equatable {
    /// The set is linearly separable through the origin; the max-margin classifier.
    case separable(MarginSolution)
    /// No w has y_i⟨w, x_i⟩ > 0 for all i. `hullWeights` are convex weights μ with Σ μ_i y_i x_i ≈ 0 (to within
    /// `residual` in the max norm): the origin lies in the convex hull of the signed points, a Gordan certificate.
    case notSeparable(hullWeights: [Double], residual: Double)

    /// The solution, or nil when not separable.
    public var solution: MarginSolution? {
        if case let .separable(solution) = self { return solution }
        return nil
    }

    public var isSeparable: Bool { solution != nil }
}
