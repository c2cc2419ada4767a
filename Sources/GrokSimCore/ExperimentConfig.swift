import Foundation

/// Floating-point precision of the data, the weights and the dense products.
public enum Precision: String, Sendable, CaseIterable {
    case float64, float32
}

/// How the fixed second-layer weights a_j are drawn.
public enum SecondLayer: String, Sendable, CaseIterable {
    /// a_j i.i.d. uniform on {+1/sqrt(m), -1/sqrt(m)}, as in the paper.
    case iid
    /// Exactly ceil(m/2) positive and floor(m/2) negative signs, in a random order.
    case balanced
}

/// The complete, resolved settings of one experiment, named as in the paper (Xu et al., ICLR 2024).
public struct ExperimentConfig: Equatable, Sendable {
    public var model = "xor-relu"
    /// Number of training points.
    public var n = 200
    /// Input dimension.
    public var p = 40_000
    /// Number of hidden neurons (the width that is sharded over ranks).
    public var m = 1000
    /// Number of clean test points.
    public var nTest = 200
    /// ||mu|| set directly; when nil, ||mu|| = muNormFactor * sqrt(p / n).
    public var muNorm: Double? = nil
    /// Factor c in ||mu|| = c * sqrt(p / n), used when muNorm is not set.
    public var muNormFactor = 2.5
    /// Label-flip probability on the training set.
    public var eta = 0.05
    /// Gradient-descent step size.
    public var alpha = 1e-12
    /// Standard deviation of the initial first-layer weights.
    public var omega = 1e-15
    /// Weight decay lambda: W <- (1 - alpha lambda) W - alpha grad.
    public var weightDecay = 0.0
    /// Number of gradient-descent steps.
    public var steps = 40
    public var seed: UInt64 = 0
    public var precision = Precision.float64
    public var secondLayer = SecondLayer.iid
    /// Write a weight checkpoint every this many steps (0: only the listed steps and the last one).
    public var checkpointEvery = 0
    /// Steps at which a weight checkpoint is written in addition to the periodic ones and the last step.
    public var checkpointSteps: [Int] = [0, 1]
    /// Whether the last step's weights are written (ensembles of many seeds may want metrics only).
    public var checkpointLast = true
    /// Metrics are recorded at every step up to this one.
    public var metricsDenseUntil = 100
    /// After `metricsDenseUntil`, metrics are recorded at this many log-spaced steps per decade.
    public var metricsPerDecade = 20
    /// BLAS threads per rank.
    public var blasThreads = 1
    /// How data and weights are stored; nil chooses automatically (see `Representation.automatic`).
    public var representation: Representation? = nil

    public init() {}

    /// The norm of each cluster mean.
    public var resolvedMuNorm: Double {
        muNorm ?? muNormFactor * (Double(p) / Double(n)).squareRoot()
    }

    /// The representation this config runs in.
    public var resolvedRepresentation: Representation {
        representation ?? Representation.automatic(for: self)
    }

    /// Length of each weight row and test point: p, or min(p, 2 + n + m) in the reduced representation.
    public var weightDimension: Int {
        resolvedRepresentation == .explicit ? p : min(p, 2 + n + m)
    }

    /// Length of each training point: p, or min(p, 2 + n) in the reduced representation (the training
    /// data never reach the basis vectors of the initial weights).
    public var trainDimension: Int {
        resolvedRepresentation == .explicit ? p : min(p, 2 + n)
    }

    /// Bytes per floating-point element of the data and weights.
    public var elementSize: Int { precision == .float64 ? 8 : 4 }

    /// Checks every value; the error names the key and the allowed range.
    public func validate() throws {
        func require(_ condition: Bool, _ key: String, _ rule: String, _ value: CustomStringConvertible) throws {
            if !condition { throw ConfigError("config: \(key) \(rule) (got \(value))") }
        }
        try require(model == "xor-relu", "model", "must be \"xor-relu\" (the only model so far)", "\"\(model)\"")
        try require(n >= 1, "n", "must be a positive integer", n)
        try require(p >= 2, "p", "must be an integer >= 2 (the two means need two orthogonal directions)", p)
        try require(m >= 1, "m", "must be a positive integer", m)
        try require(nTest >= 1, "n_test", "must be a positive integer", nTest)
        if let muNorm {
            try require(muNorm.isFinite && muNorm >= 0, "mu_norm", "must be a finite number >= 0", muNorm)
        } else {
            try require(muNormFactor.isFinite && muNormFactor >= 0, "mu_norm_factor", "must be a finite number >= 0", muNormFactor)
        }
        try require(eta.isFinite && eta >= 0 && eta < 0.5, "eta", "must be in [0, 0.5)", eta)
        try require(alpha.isFinite && alpha > 0, "alpha", "must be a finite number > 0", alpha)
        try require(omega.isFinite && omega > 0, "omega", "must be a finite number > 0", omega)
        try require(weightDecay.isFinite && weightDecay >= 0, "weight_decay", "must be a finite number >= 0", weightDecay)
        try require(alpha * weightDecay < 1, "weight_decay", "times alpha must be below 1", weightDecay)
        try require(steps >= 1, "steps", "must be a positive integer", steps)
        try require(seed < 1 << 63, "seed", "must be an integer in [0, 2^63)", seed)
        try require(checkpointEvery >= 0, "checkpoint_every", "must be an integer >= 0", checkpointEvery)
        for step in checkpointSteps {
            try require(step >= 0 && step <= steps, "checkpoint_steps", "entries must lie in [0, steps = \(steps)]", step)
        }
        try require(metricsDenseUntil >= 0, "metrics_dense_until", "must be an integer >= 0", metricsDenseUntil)
        try require(metricsPerDecade >= 1 && metricsPerDecade <= 1000, "metrics_per_decade", "must be in [1, 1000]", metricsPerDecade)
        try require(blasThreads >= 1 && blasThreads <= 1024, "blas_threads", "must be in [1, 1024]", blasThreads)
        if resolvedRepresentation == .exactReduced {
            try require(p <= ChiDistribution.maximumDegreesOfFreedom, "p", "must be at most 2^53 = 9007199254740992 (chi draws are exact up to there)", p)
        }
        let d = weightDimension
        let (_, overflow1) = n.multipliedReportingOverflow(by: d)
        let (_, overflow2) = m.multipliedReportingOverflow(by: d)
        let (_, overflow3) = nTest.multipliedReportingOverflow(by: d)
        try require(!(overflow1 || overflow2 || overflow3), "n, m, n_test or p", "is too large: the arrays' element counts overflow", "\(n), \(m), \(nTest), \(p)")
    }

    /// Configs are equal when they run the same experiment: every key's resolved value agrees, so an
    /// absent `representation` equals the one it resolves to, and an unused mu_norm_factor is ignored.
    public static func == (lhs: ExperimentConfig, rhs: ExperimentConfig) -> Bool {
        ConfigLoader.render(lhs) == ConfigLoader.render(rhs)
    }

    /// Steps at which a checkpoint is written, sorted.
    public var checkpointSchedule: [Int] {
        var set = Set(checkpointSteps.filter { $0 <= steps })
        if checkpointEvery > 0 {
            set.formUnion(stride(from: 0, through: steps, by: checkpointEvery))
        }
        if checkpointLast { set.insert(steps) }
        return set.sorted()
    }

    /// Steps at which metrics are recorded: every step up to `metricsDenseUntil`, then log-spaced, and the last.
    public var metricsSchedule: [Int] {
        var set = Set(0 ... min(metricsDenseUntil, steps))
        if steps > metricsDenseUntil {
            let first = max(1.0, Double(metricsDenseUntil))
            let decades = log10(Double(steps) / first)
            let points = Int((decades * Double(metricsPerDecade)).rounded(.up))
            if points > 0 {
                for k in 1 ... points {
                    let step = Int((first * pow(10, Double(k) / Double(metricsPerDecade))).rounded())
                    if step <= steps { set.insert(step) }
                }
            }
        }
        set.insert(steps)
        return set.sorted()
    }
}
