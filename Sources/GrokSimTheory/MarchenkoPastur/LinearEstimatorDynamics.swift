import Foundation

/// Train and generalisation loss of a linear student S learning a linear teacher T by full-batch GD, in the limit
/// d_in, N → ∞ at λ = d_in/N, where the training covariance's spectrum is Marchenko-Pastur (Levi, Beck, Bar-Sinai
/// 2024; section 4 of the science notes).
///
/// Conventions (the notes'): S₀, T ~ N(0, 1/(2 d_in d_out)) elementwise, D = S − T, L_train = Tr(DᵀΣD)/d_out,
/// L_gen = ‖D‖²/d_out, D_{t+1} = (I − (2η/d_out)Σ) D_t − (ηγ/d_out)(D_t + T); t counts GD steps. In an eigenmode
/// of Σ with eigenvalue ν and rate a = 2ν + γ the deviation relaxes to D* = −γT/a as r = e^(−η' a t) (or (1 − η'a)^t
/// for plain GD), η' = η/d_out, so the expected mode loss is
/// m(ν, t) = (α²/2) r² + (1/2) ((γ + 2ν r)/a)², with α the init scale (S₀ → αS₀).
/// Then L_gen = E_ν[m]/d_out and L_train = E_ν[ν m]/d_out; with γ = 0, α = 1, d_out = 1 these are the notes'
/// E_ν[e^(−4ηνt)] and E_ν[ν e^(−4ηνt)].
public struct LinearEstimatorDynamics: Sendable {
    /// Which loss a quantity refers to.
    public enum Split: Sendable, Equatable { case train, generalization }

    /// λ = d_in/N.
    public var ratio: Double
    /// GD step η.
    public var learningRate: Double
    /// d_out: the dynamics run at η/d_out and the losses are divided by d_out.
    public var outputs: Int
    /// Weight decay γ.
    public var weightDecay: Double
    /// α: the student starts at αS₀.
    public var initScale: Double
    /// Gradient flow (the notes' convention) or exact discrete GD.
    public var evolution: TimeEvolution
    /// The quadrature used for the Marchenko-Pastur averages.
    public var quadrature: Quadrature

    public init(ratio: Double, learningRate: Double, outputs: Int = 1, weightDecay: Double = 0, initScale: Double = 1,
                evolution: TimeEvolution = .gradientFlow, quadrature: Quadrature = Quadrature()) {
        precondition(learningRate > 0 && outputs >= 1 && weightDecay >= 0, "need η > 0, d_out ≥ 1, γ ≥ 0")
        self.ratio = ratio
        self.learningRate = learningRate
        self.outputs = outputs
        self.weightDecay = weightDecay
        self.initScale = initScale
        self.evolution = evolution
        self.quadrature = quadrature
    }

    public var law: MarchenkoPasturLaw { MarchenkoPasturLaw(ratio: ratio) }

    /// The step the per-mode dynamics see: η/d_out.
    private var effectiveStep: Double { learningRate / Double(outputs) }

    /// m(ν, t): the expected loss of one eigenmode after t steps, before the 1/d_out normalisation; t may be ∞.
    public func modeLoss(eigenvalue nu: Double, steps t: Double) -> Double {
        let gamma = weightDecay
        let rate = 2 * nu + gamma
        let r: Double
        if rate == 0 {
            r = 1  // a null mode without weight decay never moves
        } else {
            switch evolution {
            case .gradientFlow: r = exp(-effectiveStep * rate * t)
            case .gradientDescent: r = pow(1 - effectiveStep * rate, t)
            }
        }
        let teacherPart = rate == 0 ? 1 : (gamma + 2 * nu * r) / rate
        return 0.5 * initScale * initScale * r * r + 0.5 * teacherPart * teacherPart
    }

    /// L_train(t) by quadrature over the Marchenko-Pastur law.
    public func trainLoss(steps t: Double) throws -> Double { try loss(.train, steps: t) }

    /// L_gen(t) by quadrature over the Marchenko-Pastur law, atom included.
    public func generalizationLoss(steps t: Double) throws -> Double { try loss(.generalization, steps: t) }

    /// Either loss after t steps (t = ∞ gives the limit).
    public func loss(_ split: Split, steps t: Double) throws -> Double {
        if evolution == .gradientDescent {
            guard effectiveStep * (2 * law.upperEdge + weightDecay) < 1 else {
                throw SolverError.invalidInput("GD with η/d_out = \(effectiveStep) is unstable on the top of the spectrum")
            }
        }
        let total: Double
        switch split {
        case .train: total = try law.expectation(quadrature) { nu in nu * modeLoss(eigenvalue: nu, steps: t) }
        case .generalization: total = try law.expectation(quadrature) { nu in modeLoss(eigenvalue: nu, steps: t) }
        }
        return total / Double(outputs)
    }

    /// L_train(t) from the closed form e^(−4η'(λ+1)t) ₀F₁(2; 16η'²t²λ), scaled by (1 + α²)/2 and 1/d_out;
    /// gradient flow without weight decay only.
    public func closedFormTrainLoss(steps t: Double) -> Double {
        precondition(weightDecay == 0 && evolution == .gradientFlow, "the closed form is for γ = 0 gradient flow")
        return (1 + initScale * initScale) / 2 * law.exponentialFirstMoment(rate: 4 * effectiveStep * t) / Double(outputs)
    }

    /// The accuracy of `split` after t steps at tolerance ε.
    public func accuracy(_ split: Split, steps t: Double, epsilon: Double) throws -> Double {
        SquaredErrorAccuracy.accuracy(loss: try loss(split, steps: t), epsilon: epsilon, outputs: outputs)
    }

    /// The first t at which the accuracy of `split` reaches `threshold`, by GSL's Brent solver on a bracket found
    /// by doubling; nil if the t → ∞ limit stays below the threshold (for example L_gen's plateau for λ > 1).
    public func crossingTime(_ split: Split, epsilon: Double, threshold: Double = 0.95) throws -> Double? {
        let gap = { (t: Double) throws -> Double in try self.accuracy(split, steps: t, epsilon: epsilon) - threshold }
        guard try gap(.infinity) >= 0 else { return nil }
        if try gap(0) >= 0 { return 0 }
        var upper = 1.0
        while try gap(upper) < 0 {
            upper *= 2
            guard upper < 1e30 else { throw SolverError.notConverged("no crossing below 1e30 steps") }
        }
        let lower = upper == 1 ? 0 : upper / 2
        // The solver's callback cannot throw: a failed quadrature becomes NaN and is reported after the search.
        var failure: Error?
        let root = try BracketingRootFinder(relativeTolerance: 1e-11).root(between: lower, and: upper) { t in
            do { return try gap(t) } catch { failure = error; return .nan }
        }
        if let failure { throw failure }
        return root
    }

    /// The grokking delay Δt = t*_gen − t*_train at tolerance ε, or nil if either crossing never happens.
    public func grokkingDelay(epsilon: Double, threshold: Double = 0.95) throws -> Double? {
        guard let train = try crossingTime(.train, epsilon: epsilon, threshold: threshold),
              let generalization = try crossingTime(.generalization, epsilon: epsilon, threshold: threshold)
        else { return nil }
        return generalization - train
    }
}
