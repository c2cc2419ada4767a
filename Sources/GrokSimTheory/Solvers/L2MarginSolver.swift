import _CLAPACK
import _COpenBLAS
import _CSVM

/// The max-L2-margin homogeneous linear classifier: min ‖w‖₂ s.t. y_i⟨w, x_i⟩ ≥ 1, by libsvm's hard-margin SVM.
///
/// libsvm always fits an intercept b. On the symmetrised set {(x_i, y_i)} ∪ {(−x_i, −y_i)} the SVM with intercept
/// has its optimum at b = 0 (the problem is convex and invariant under (w, b) → (w, −b)), and there it is exactly the
/// homogeneous problem; the result is checked for |b| ≈ 0 and every constraint ≥ 1 − tolerance. Hard margin is a
/// C-SVM with C far above any dual variable; if a dual variable reaches C anyway, C is raised and the fit repeated.
/// Separability is decided first by the GLPK feasibility LP, so libsvm never runs on a non-separable set. libsvm's
/// answer is then polished in double precision on its support set (see `polish`).
///
/// The kernel is linear: for d ≤ 2n the points go to libsvm as dense vectors; for d > 2n as the precomputed
/// linear-kernel (Gram) matrix XXᵀ from one BLAS product, which keeps libsvm's memory at O(n²) for any d.
/// Measured on the sparse task of `SolverTimingTests` (debug build, one OpenBLAS thread, shared 2 cores), feasibility
/// LP included: n = 256 with d = 10^3, 10^4, 10^5 in 0.2 s, 0.3-0.5 s, 1.4 s; n = 100, d = 10^5 in 0.4 s.
public struct L2MarginSolver: Sendable {
    /// Starting C, in units where the largest point has norm 1 (then every dual variable is at most 1/margin²).
    public var initialC: Double
    /// libsvm's stopping tolerance on the KKT gap, in the same units.
    public var stoppingTolerance: Double
    /// Largest accepted |b| and shortfall of a constraint below 1.
    public var acceptanceTolerance: Double

    public init(initialC: Double = 1e8, stoppingTolerance: Double = 1e-9, acceptanceTolerance: Double = 1e-6) {
        self.initialC = initialC
        self.stoppingTolerance = stoppingTolerance
        self.acceptanceTolerance = acceptanceTolerance
    }

    private static let quiet: Void = { svm_set_print_string_function { _ in } }()

    /// Solves for the points (rows of `points`) with labels ±1.
    public func solve(points: PointMatrix, labels: [Double]) throws -> MarginOutcome {
        try Labels.check(labels, count: points.count)
        let program = SignedRowsProgram(points: points, signs: labels)
        if case let .infeasible(weights, residual) = try program.feasibility() {
            return .notSeparable(hullWeights: weights, residual: residual)
        }
        _ = Self.quiet
        let n = points.count, d = points.dimension
        // Gram matrix G = XXᵀ, scaled so that max_i ‖x_i‖ = 1.
        var gram = [Double](repeating: 0, count: n * n)
        points.values.withUnsafeBufferPointer { x in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(n), blasint(d), 1,
                        x.baseAddress, blasint(d), x.baseAddress, blasint(d), 0, &gram, blasint(n))
        }
        let largest = (0..<n).map { gram[$0 * n + $0] }.max() ?? 0
        guard largest > 0 else { throw SolverError.invalidInput("all points are zero") }
        let precomputed = d > 2 * n

        // Symmetrised problem: point a < n is (x_a, y_a), point a ≥ n is (−x_{a−n}, −y_{a−n}).
        let l = 2 * n
        let side = { (a: Int) -> Double in a < n ? 1 : -1 }
        var nodes: [[svm_node]] = (0..<l).map { a in
            let i = a % n, s = side(a)
            if precomputed {
                // Node 0 carries the point's 1-based serial number; node b + 1 the kernel value K(a, b).
                return [svm_node(index: 0, value: Double(a + 1))]
                    + (0..<l).map { b in svm_node(index: Int32(b + 1), value: s * side(b) * gram[i * n + b % n] / largest) }
                    + [svm_node(index: -1, value: 0)]
            }
            let norm = largest.squareRoot()
            return (0..<d).compactMap { j -> svm_node? in
                let v = points.values[i * d + j]
                return v == 0 ? nil : svm_node(index: Int32(j + 1), value: s * v / norm)
            } + [svm_node(index: -1, value: 0)]
        }
        var targets = (0..<l).map { side($0) * labels[$0 % n] }

        var c = initialC
        for round in 1...4 {
            let fit = try train(nodes: &nodes, targets: &targets, precomputed: precomputed, c: c)
            if fit.atBound {
                c *= 1e3
                continue
            }
            // α_a y_a for each symmetrised point folds back to a coefficient on x_i (w = Σ_i coefficient_i x_i),
            // in the original units: the libsvm fit saw the points divided by √largest.
            var coefficients = [Double](repeating: 0, count: n)
            for (a, alphaY) in fit.alphaY { coefficients[a % n] += alphaY * side(a) / largest }
            if let polished = polish(coefficients: coefficients, labels: labels, gram: gram, program: program) {
                coefficients = polished
            }
            let w = combination(points, coefficients)
            let scores = program.scores(w)
            let worst = scores.min() ?? .nan
            guard abs(fit.bias) <= acceptanceTolerance, worst >= 1 - acceptanceTolerance else {
                throw SolverError.notConverged("libsvm hard margin: bias \(fit.bias), min score \(worst)")
            }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return .separable(MarginSolution(weights: w, scores: scores, norm: norm, bias: fit.bias, rounds: round))
        }
        throw SolverError.notConverged("dual variables still at the bound C = \(c / 1e3)")
    }

    /// Σ_i coefficient_i x_i.
    private func combination(_ points: PointMatrix, _ coefficients: [Double]) -> [Double] {
        var w = [Double](repeating: 0, count: points.dimension)
        points.values.withUnsafeBufferPointer { x in
            cblas_dgemv(CblasRowMajor, CblasTrans, blasint(points.count), blasint(points.dimension), 1,
                        x.baseAddress, blasint(points.dimension), coefficients, 1, 0, &w, 1)
        }
        return w
    }

    /// Re-solves the KKT system on libsvm's support set in double precision: y_i⟨w, x_i⟩ = 1 for i ∈ S with
    /// w = Σ_{j ∈ S} α_j y_j x_j, that is (y_i y_j G_ij) α = 1, by LAPACK's Cholesky solver.
    ///
    /// Why: libsvm caches kernel values in single precision, which leaves constraint errors of order 1e-5 at hard
    /// margin. Returns nil (keep libsvm's answer) unless the solve succeeds with α ≥ 0 and all constraints ≥ 1.
    private func polish(coefficients: [Double], labels: [Double], gram: [Double], program: SignedRowsProgram)
        -> [Double]? {
        let n = labels.count
        let alpha = (0..<n).map { coefficients[$0] * labels[$0] }
        let largestAlpha = alpha.max() ?? 0
        let support = (0..<n).filter { alpha[$0] > 1e-8 * largestAlpha }
        var m = Int32(support.count)
        guard m > 0 else { return nil }
        var system = [Double](repeating: 0, count: support.count * support.count)
        for (a, i) in support.enumerated() {
            for (b, j) in support.enumerated() { system[a * support.count + b] = labels[i] * labels[j] * gram[i * n + j] }
        }
        var rhs = [Double](repeating: 1, count: support.count)
        var one: Int32 = 1
        var info: Int32 = 0
        dposv_("L", &m, &one, &system, &m, &rhs, &m, &info, 1)
        guard info == 0, rhs.allSatisfy({ $0 >= 0 }) else { return nil }
        var polished = [Double](repeating: 0, count: n)
        for (a, i) in support.enumerated() { polished[i] = rhs[a] * labels[i] }
        let scores = program.scores(combination(program.points, polished))
        guard let worst = scores.min(), worst >= 1 - 1e-9 else { return nil }
        return polished
    }

    /// One libsvm C-SVM training; returns (point index, α y) pairs, the intercept b in our label convention and
    /// whether some α reached C.
    private func train(nodes: inout [[svm_node]], targets: inout [Double], precomputed: Bool, c: Double) throws
        -> (alphaY: [(Int, Double)], bias: Double, atBound: Bool) {
        var parameter = svm_parameter()
        parameter.svm_type = Int32(C_SVC)
        parameter.kernel_type = Int32(precomputed ? PRECOMPUTED : LINEAR)
        parameter.cache_size = 200
        parameter.eps = stoppingTolerance
        parameter.C = c
        parameter.shrinking = 1
        parameter.probability = 0
        parameter.nr_weight = 0
        let l = targets.count
        return try targets.withUnsafeMutableBufferPointer { y in
            // libsvm keeps pointers into the problem's rows inside the model: both live only inside this closure.
            var rows: [UnsafeMutablePointer<svm_node>?] = []
            var buffers: [UnsafeMutableBufferPointer<svm_node>] = []
            defer { buffers.forEach { $0.deallocate() } }
            for row in nodes {
                let buffer = UnsafeMutableBufferPointer<svm_node>.allocate(capacity: row.count)
                _ = buffer.initialize(from: row)
                buffers.append(buffer)
                rows.append(buffer.baseAddress)
            }
            return try rows.withUnsafeMutableBufferPointer { x in
                var problem = svm_problem(l: Int32(l), y: y.baseAddress, x: x.baseAddress)
                if let message = svm_check_parameter(&problem, &parameter) {
                    throw SolverError.library(name: "svm_check_parameter", code: -1, message: String(cString: message))
                }
                var model: UnsafeMutablePointer<svm_model>? = svm_train(&problem, &parameter)
                guard let m = model?.pointee else {
                    throw SolverError.library(name: "svm_train", code: -1, message: "no model")
                }
                defer { svm_free_and_destroy_model(&model) }
                // libsvm's decision value is positive for its first label; flip if that label is −1.
                let orientation = Double(m.label[0])
                var alphaY: [(Int, Double)] = []
                var atBound = false
                for k in 0..<Int(m.l) {
                    let coefficient = m.sv_coef[0]![k]
                    alphaY.append((Int(m.sv_indices[k]) - 1, orientation * coefficient))
                    if abs(coefficient) >= c * (1 - 1e-9) { atBound = true }
                }
                return (alphaY, -orientation * m.rho[0], atBound)
            }
        }
    }
}
