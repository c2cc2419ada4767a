import _COpenBLAS

/// The linear programs over signed rows z_i = s_i x_i that the margin and separability routines share, solved by
/// column generation on GLPK.
///
/// Why column generation: GLPK keeps every constraint-matrix entry in a linked element of about 50 bytes, so the
/// full dense LP with n = 300 rows and 2d = 2·10^5 split columns would need about 3 GB, while a basic optimum uses
/// at most n columns. Each round solves the LP restricted to a column set J, prices every column at once with one
/// BLAS product Zᵀμ (μ the row duals), and adds the most violated ones; it stops when no column prices out.
struct SignedRowsProgram {
    let points: PointMatrix
    let signs: [Double]
    /// Largest |x_ij|: the scale of the pricing tolerances.
    private let scale: Double

    init(points: PointMatrix, signs: [Double], batch: Int? = nil) {
        precondition(signs.count == points.count, "one sign per point")
        self.batch = batch ?? max(points.count / 2, 50)
        self.points = points
        self.signs = signs
        let largest = points.values.withUnsafeBufferPointer { x in
            x.isEmpty ? 0 : abs(x[Int(cblas_idamax(blasint(x.count), x.baseAddress, 1))])
        }
        scale = max(largest, .leastNormalMagnitude)
    }

    private var n: Int { points.count }
    private var d: Int { points.dimension }
    /// Columns added per pricing round.
    var batch: Int
    /// Up to this many columns the whole problem is put in at once (measured: beyond one batch, generation is
    /// faster even when every column fits, since the simplex then works on far fewer columns).
    private var wholeProblemLimit: Int { batch }

    /// (Zᵀμ)_j = Σ_i μ_i s_i x_ij for every column j.
    func correlations(_ mu: [Double]) -> [Double] {
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n { weights[i] = mu[i] * signs[i] }
        var out = [Double](repeating: 0, count: d)
        points.values.withUnsafeBufferPointer { x in
            cblas_dgemv(CblasRowMajor, CblasTrans, blasint(n), blasint(d), 1, x.baseAddress, blasint(d),
                        weights, 1, 0, &out, 1)
        }
        return out
    }

    /// Z w: the signed scores ⟨w, z_i⟩ = s_i⟨w, x_i⟩.
    func scores(_ w: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        points.values.withUnsafeBufferPointer { x in
            cblas_dgemv(CblasRowMajor, CblasNoTrans, blasint(n), blasint(d), 1, x.baseAddress, blasint(d),
                        w, 1, 0, &out, 1)
        }
        for i in 0..<n { out[i] *= signs[i] }
        return out
    }

    /// Non-zero entries of column j of Z, scaled by `factor`.
    private func column(_ j: Int, factor: Double) -> (rows: [Int32], values: [Double]) {
        var rows: [Int32] = []
        var values: [Double] = []
        for i in 0..<n {
            let v = points.values[i * d + j]
            if v != 0 { rows.append(Int32(i)); values.append(factor * signs[i] * v) }
        }
        return (rows, values)
    }

    /// Columns not yet `present` whose |price| exceeds `threshold`, worst first, at most one batch.
    private func violators(_ prices: [Double], threshold: Double, present: [Bool]) -> [Int] {
        var found: [Int] = []
        prices.withUnsafeBufferPointer { p in
            present.withUnsafeBufferPointer { here in
                for j in 0..<d where !here[j] && abs(p[j]) > threshold { found.append(j) }
            }
        }
        if found.count > batch {
            found.sort { abs(prices[$0]) > abs(prices[$1]) }
            found.removeLast(found.count - batch)
        }
        return found
    }

    /// Outcome of the feasibility problem Z w ≥ 1.
    enum Feasibility {
        /// A w with Z w ≥ 1 (up to the LP tolerance); `columns` are its non-zero coordinates (at most n).
        case feasible(w: [Double], columns: [Int])
        /// Convex weights μ (Σμ = 1, μ ≥ 0) with Zᵀμ ≈ 0: the origin is in the hull of the z_i.
        case infeasible(weights: [Double], residual: Double)
    }

    /// Decides whether some w has ⟨w, z_i⟩ ≥ 1 for all i, by min Σ s_i s.t. Z w + s ≥ 1, s ≥ 0, w free.
    ///
    /// The optimum is 0 when a w exists (scale it up) and at least 1 when not: for convex weights μ with Zᵀμ = 0,
    /// Σ s_i ≥ Σ μ_i s_i ≥ Σ μ_i (1 − ⟨w, z_i⟩) = 1. That gap makes the decision insensitive to round-off.
    func feasibility() throws -> Feasibility {
        let lp = LinearProgram()
        lp.addRows(count: n, lowerBound: 1)
        for i in 0..<n { lp.addColumn(cost: 1, lowerBound: 0, upperBound: nil, rows: [Int32(i)], values: [1]) }
        var columns: [Int] = []
        var present = [Bool](repeating: false, count: d)
        func add(_ js: [Int]) {
            for j in js {
                let entries = column(j, factor: 1)
                lp.addColumn(cost: 0, lowerBound: nil, upperBound: nil, rows: entries.rows, values: entries.values)
                columns.append(j)
                present[j] = true
            }
        }
        if d <= wholeProblemLimit { add(Array(0..<d)) }
        while true {
            try lp.solve()
            if lp.objective < 0.5 {
                var w = [Double](repeating: 0, count: d)
                for (k, j) in columns.enumerated() { w[j] = lp.value(column: n + k) }
                return .feasible(w: w, columns: columns.filter { w[$0] != 0 })
            }
            let mu = (0..<n).map { max(lp.dual(row: $0), 0) }
            let prices = correlations(mu)
            let tolerance = 1e-9 * scale * max(1, mu.max() ?? 0)
            let next = violators(prices, threshold: tolerance, present: present)
            if next.isEmpty {
                let total = mu.reduce(0, +)
                let weights = mu.map { $0 / total }
                let residual = correlations(weights).lazy.map(abs).max() ?? 0
                return .infeasible(weights: weights, residual: residual)
            }
            add(next)
        }
    }

    /// min ‖w‖₁ s.t. Z w ≥ 1, with w = u − v, u, v ≥ 0, starting from columns on which the problem is feasible.
    func minimumL1Norm(startingColumns: [Int]) throws -> (w: [Double], rounds: Int, columns: Int) {
        let lp = LinearProgram()
        lp.addRows(count: n, lowerBound: 1)
        var columns: [Int] = []
        var present = [Bool](repeating: false, count: d)
        func add(_ js: [Int]) {
            for j in js where !present[j] {
                let plus = column(j, factor: 1)
                lp.addColumn(cost: 1, lowerBound: 0, upperBound: nil, rows: plus.rows, values: plus.values)
                lp.addColumn(cost: 1, lowerBound: 0, upperBound: nil, rows: plus.rows, values: plus.values.map { -$0 })
                columns.append(j)
                present[j] = true
            }
        }
        add(d <= wholeProblemLimit ? Array(0..<d) : startingColumns)
        var rounds = 0
        while true {
            rounds += 1
            try lp.solve()
            let mu = (0..<n).map { max(lp.dual(row: $0), 0) }
            // Reduced costs of u_j and v_j are 1 ∓ (Zᵀμ)_j: a column helps only where |Zᵀμ|_j > 1.
            let next = violators(correlations(mu), threshold: 1 + 1e-9, present: present)
            if next.isEmpty { break }
            add(next)
        }
        var w = [Double](repeating: 0, count: d)
        for (k, j) in columns.enumerated() { w[j] = lp.value(column: 2 * k) - lp.value(column: 2 * k + 1) }
        return (w, rounds, columns.count)
    }
}
