/// A homogeneous linear classifier f(x) = ⟨w, x⟩ from a margin solver, with its margin under the solver's norm.
public struct MarginSolution: Sendable, Equatable {
    /// The weight vector w, scaled so that min_i y_i⟨w, x_i⟩ = 1 (up to solver tolerance).
    public let weights: [Double]
    /// y_i⟨w, x_i⟩ for every training point.
    public let scores: [Double]
    /// ‖w‖ in the solver's norm (‖w‖₁ or ‖w‖₂).
    public let norm: Double
    /// The normalised margin min_i y_i⟨w, x_i⟩ / ‖w‖.
    public let margin: Double
    /// The intercept the underlying solver fitted, which the homogeneous problem forces to 0; 0 when it fits none.
    public let bias: Double
    /// LP column-generation rounds (L1) or SVM trainings (L2) it took.
    public let rounds: Int

    public init(weights: [Double], scores: [Double], norm: Double, bias: Double, rounds: Int) {
        self.weights = weights
        self.scores = scores
        self.norm = norm
        self.margin = (scores.min() ?? .infinity) / norm
        self.bias = bias
        self.rounds = rounds
    }
}
