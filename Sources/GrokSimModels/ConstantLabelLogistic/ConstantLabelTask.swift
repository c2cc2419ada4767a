import GrokSimCore

/// Which data set the constant-label logistic model trains on.
public enum ConstantLabelTask: String, Sendable, CaseIterable {
    /// The reduced problem: N points x_i ~ N(0, σ² I_d), every one labelled y = −1, f(x) = S·x + b.
    case constantLabel = "constant-label"
    /// The original problem it reduces from: classes y = ±1 at y μ e₁, spread σ_A along e₁ and σ_B across,
    /// f(x) = w·x with no bias (the reduction's bias is −μ w₁).
    case twoGaussians = "two-gaussians"
    /// The 1-D toy model: two fixed points x₁ = −σ, x₂ = σ(1 − 2λ), both labelled y = −1; d = 1.
    case toy1D = "toy-1d"

    /// Whether the model has the trainable bias b (the original two-class problem has none).
    var hasBias: Bool { self != .twoGaussians }
}

/// The resolved settings of one run, read once from the config.
struct ConstantLabelSettings: Sendable {
    typealias Keys = ConstantLabelLogisticModel.Keys
    let task: ConstantLabelTask
    /// Training points and input dimension (2 and 1 for the toy model, whatever the keys say).
    let n: Int
    let d: Int
    let nTest: Int
    let sigma: Double
    let mu: Double
    let sigmaA: Double
    let sigmaB: Double
    let toyLambda: Double
    let initScale: Double
    let initBias: Double
    let loss: Loss
    let theory: String
    let seed: UInt64

    init(_ config: ExperimentConfig) {
        task = ConstantLabelTask(rawValue: config.string(Keys.task))!
        n = task == .toy1D ? 2 : config.integer(Keys.n)
        d = task == .toy1D ? 1 : config.integer(Keys.d)
        nTest = config.integer(Keys.nTest)
        sigma = config.number(Keys.sigma)
        mu = config.number(Keys.mu)
        sigmaA = config.number(Keys.sigmaA)
        sigmaB = config.number(Keys.sigmaB)
        toyLambda = config.number(Keys.toyLambda)
        initScale = config.number(Keys.initScale)
        initBias = config.number(Keys.initBias)
        loss = config.string(Keys.loss) == "exponential" ? .exponential : .logistic
        theory = config.string(Keys.theory)
        seed = config.seed
    }

    /// λ = d/N of the reduced problem (the key `toy_lambda` for the toy model; (d − 1)/N for two Gaussians,
    /// whose reduced problem lives across e₁).
    var lambda: Double {
        switch task {
        case .constantLabel: return Double(d) / Double(n)
        case .twoGaussians: return Double(d - 1) / Double(n)
        case .toy1D: return toyLambda
        }
    }

    /// The noise σ of the reduced problem's points (σ_B/μ for two Gaussians).
    var reducedSigma: Double { task == .twoGaussians ? sigmaB / mu : sigma }

    /// Whether the separability LP and margin are computed for this run (`theory = auto`: N·d ≤ 2.5·10^5, since libsvm's margin takes minutes beyond).
    var computesTheory: Bool {
        theory == "on" || (theory == "auto" && Double(n) * Double(d) <= 2.5e5)
    }
}
