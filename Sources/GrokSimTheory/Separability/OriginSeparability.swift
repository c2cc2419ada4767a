/// Whether a point set lies in an open half-space through the origin (some w with ⟨w, x_i⟩ > 0 for all i), and
/// with what margin: the reduced problem of Beck, Levi, Bar-Sinai (2025), where all labels are equal.
public enum OriginSeparability {
    /// Decides separability from the origin by a GLPK feasibility LP (⟨w, x_i⟩ ≥ 1 for all i, w free).
    ///
    /// Not separable comes with convex weights μ with Σ μ_i x_i ≈ 0: the origin is in the convex hull.
    public static func test(_ points: PointMatrix) throws -> SeparabilityResult {
        switch try SignedRowsProgram(points: points, signs: allPositive(points)).feasibility() {
        case let .feasible(w, _): return .separable(direction: w)
        case let .infeasible(weights, residual): return .notSeparable(hullWeights: weights, residual: residual)
        }
    }

    /// The L2 margin M = max_{‖w‖₂ = 1} min_i ⟨w, x_i⟩ with its maximising unit direction, or nil when not separable.
    public static func margin(_ points: PointMatrix, solver: L2MarginSolver = L2MarginSolver()) throws
        -> (margin: Double, direction: [Double])? {
        guard let solution = try solver.solve(points: points, labels: allPositive(points)).solution else { return nil }
        return (solution.margin, solution.weights.map { $0 / solution.norm })
    }

    private static func allPositive(_ points: PointMatrix) -> [Double] { Array(repeating: 1, count: points.count) }
}
