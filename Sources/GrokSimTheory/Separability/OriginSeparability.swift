import _COpenBLAS

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

    /// The same decision, fast at the N = 1000, d ≈ 500 (about half a second instead of minutes): the finite
    /// Newton method of `SquaredHingeFeasibility`, whose certificate (a separating w, or convex weights with
    /// ‖Σ μ_i x_i‖_∞ ≤ 1e-10 max|x|) is checked on the points; sets it leaves undecided go to the hull-distance LP.
    public static func fastTest(_ points: PointMatrix) throws -> SeparabilityResult {
        if let result = SquaredHingeFeasibility(points: points).solve() { return result }
        return try testByHullDistance(points)
    }

    /// The same decision by the smaller dual formulation (Gordan: separable ⇔ 0 ∉ conv{x_i}), with its answer
    /// verified either way (about 2× faster than `test` at N = 1000, d = 500; still seconds).
    ///
    /// The LP is min ‖Σ λ_i x_i‖₁ over the simplex λ ≥ 0, Σ λ_i = 1: d + 1 equality rows and N + 2d columns,
    /// instead of N rows over N + d columns. Its dual, max y₀ s.t. ⟨y, x_i⟩ + y₀ ≤ 0, |y_j| ≤ 1, hands back the
    /// direction w = −y. The answer is checked directly: separable only when ⟨w, x_i⟩ > 0 for every i (then no
    /// convex combination is 0), not separable only when ‖Σ λ_i x_i‖_∞ ≤ 1e-9 max|x|; if neither holds (a set within
    /// GLPK's tolerances of the boundary) the primal LP of `test` decides.
    public static func testByHullDistance(_ points: PointMatrix) throws -> SeparabilityResult {
        let n = points.count, d = points.dimension
        let lp = LinearProgram()
        lp.addRows(count: d + 1, equalTo: 0)
        lp.setRowValue(d, 1)
        let convexRow = Int32(d)
        for i in 0..<n {
            var rows: [Int32] = [], values: [Double] = []
            for j in 0..<d where points.values[i * d + j] != 0 { rows.append(Int32(j)); values.append(points.values[i * d + j]) }
            rows.append(convexRow)
            values.append(1)
            lp.addColumn(cost: 0, lowerBound: 0, upperBound: nil, rows: rows, values: values)
        }
        // r⁺_j − r⁻_j absorbs coordinate j of the combination, at cost |r_j|.
        for j in 0..<d {
            lp.addColumn(cost: 1, lowerBound: 0, upperBound: nil, rows: [Int32(j)], values: [1])
            lp.addColumn(cost: 1, lowerBound: 0, upperBound: nil, rows: [Int32(j)], values: [-1])
        }
        try lp.solve(dual: true)
        let w = (0..<d).map { -lp.dual(row: $0) }
        let scores = product(points, transposed: false, w)
        if let smallest = scores.min(), smallest > 0 {
            return .separable(direction: w.map { $0 / smallest })
        }
        let weights = (0..<n).map { max(lp.value(column: $0), 0) }
        let total = weights.reduce(0, +)
        if total > 0 {
            let normalised = weights.map { $0 / total }
            let residual = product(points, transposed: true, normalised).lazy.map(abs).max() ?? 0
            let scale = points.values.lazy.map(abs).max() ?? 0
            if residual <= 1e-9 * max(scale, .leastNormalMagnitude) {
                return .notSeparable(hullWeights: normalised, residual: residual)
            }
        }
        return try test(points)
    }

    /// The L2 margin M = max_{‖w‖₂ = 1} min_i ⟨w, x_i⟩ with its maximising unit direction, or nil when not separable.
    public static func margin(_ points: PointMatrix, solver: L2MarginSolver = L2MarginSolver()) throws
        -> (margin: Double, direction: [Double])? {
        guard let solution = try solver.solve(points: points, labels: allPositive(points)).solution else { return nil }
        return (solution.margin, solution.weights.map { $0 / solution.norm })
    }

    private static func allPositive(_ points: PointMatrix) -> [Double] { Array(repeating: 1, count: points.count) }

    /// X v (one score per point) or Xᵀ v (one sum per coordinate).
    private static func product(_ points: PointMatrix, transposed: Bool, _ v: [Double]) -> [Double] {
        let n = points.count, d = points.dimension
        var out = [Double](repeating: 0, count: transposed ? d : n)
        points.values.withUnsafeBufferPointer { x in
            cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasint(n), blasint(d), 1, x.baseAddress,
                        blasint(d), v, 1, 0, &out, 1)
        }
        return out
    }
}
