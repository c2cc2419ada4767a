/// The max-L1-margin homogeneous linear classifier: min ‖w‖₁ s.t. y_i⟨w, x_i⟩ ≥ 1, as a GLPK linear program.
///
/// The late-phase predictor of a diagonal linear net (Lyu et al. 2024). Solved by column generation (see
/// `SignedRowsProgram`): a feasibility phase finds a column set on which the constraints can be met, then the
/// L1 program with w = u − v grows that set until no coordinate prices out. Memory is the caller's n × d matrix plus
/// O(n · columns used) for GLPK. Measured on the sparse task (x ∈ {±1}^d, y = sign of the sum of the first 3
/// coordinates; `SolverTimingTests`), debug build, one OpenBLAS thread, shared 2-core machine; GLPK's simplex
/// (about 1 ms per pivot at n = 256) dominates: n = 256 with d = 10^3, 10^4, 10^5 in 0.6 s, 1.0 s, 1.8 s
/// (6-8 rounds); n = 100, d = 10^5 in 0.5 s.
public struct L1MarginSolver: Sendable {
    public init() {}

    /// Solves for the points (rows of `points`) with labels ±1.
    public func solve(points: PointMatrix, labels: [Double]) throws -> MarginOutcome {
        try Labels.check(labels, count: points.count)
        let program = SignedRowsProgram(points: points, signs: labels)
        switch try program.feasibility() {
        case let .infeasible(weights, residual):
            return .notSeparable(hullWeights: weights, residual: residual)
        case let .feasible(_, columns):
            let (w, rounds, _) = try program.minimumL1Norm(startingColumns: columns)
            let scores = program.scores(w)
            guard let worst = scores.min(), worst > 1 - 1e-6 else {
                throw SolverError.notConverged("L1 solution violates a margin constraint: min score \(scores.min() ?? .nan)")
            }
            return .separable(MarginSolution(weights: w, scores: scores, norm: w.reduce(0) { $0 + abs($1) },
                                             bias: 0, rounds: rounds))
        }
    }
}
