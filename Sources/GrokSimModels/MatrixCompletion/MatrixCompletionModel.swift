import Foundation
import GrokSimCore

/// Matrix completion of the multiplication table X*_ij = i·j/d² by W = U Uᵀ − V Vᵀ started from U = V = α·I
/// (W = 0), trained by full-batch GD with weight decay on the mean squared error over a random fraction of the
/// entries: Lyu et al. (2024)'s model whose kernel predictor fails and whose late predictor (the minimum
/// nuclear-norm completion) recovers X*.
///
/// U and V are sharded along their inner index k (their columns) in whole tiles, and stored transposed, one
/// row per k, so a rank's block is contiguous. A rank's partial output at an observed entry (i, j) is
/// Σ_{k in its tiles} (U_ik U_jk − V_ik V_jk): a step costs O(n d), never a dense d × d × d product.
public struct MatrixCompletionModel: TiledWidthModel {
    public static let modelName = "matrix-completion"

    /// The model's key names.
    public enum Keys {
        public static let d = "d", observedFraction = "observed_fraction", initScale = "init_scale", initNoise = "init_noise"
        public static let learningRate = "learning_rate"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "matrix completion W = UU^T - VV^T of the multiplication table from U = V = alpha I with weight decay (Lyu et al. 2024)" }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.d, default: 30, in: 2...Int.max, trajectory: true,
                     summary: "size of the d x d table X*_ij = i j / d^2 (the inner index of U and V is sharded over MPI ranks)"),
            .number(Keys.observedFraction, default: 0.2, rule: "must be a number in (0, 1)", check: { $0 > 0 && $0 < 1 }, trajectory: true,
                    summary: "fraction of the d^2 ordered entries observed (training); all others are the test set"),
            .number(Keys.initScale, default: 10, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true, units: "1",
                    summary: "alpha: U = V = alpha I at initialisation"),
            .number(Keys.initNoise, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true, units: "1",
                    summary: "sigma: U = V = alpha I + sigma Z with one Gaussian Z for both (so W = 0 still); the theorem assumes sigma > 0, the code 0"),
            .number(Keys.learningRate, default: 0.1, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "learning rate eta"),
        ]
    }

    public var presets: [Preset] { MatrixCompletionPresets.all(model: name) }

    public var metrics: [Metric] { MatrixCompletionMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (MatrixCompletionMetrics.trainLoss, MatrixCompletionMetrics.testLoss) }
    public var captionKeys: [String] {
        [Keys.d, Keys.observedFraction, Keys.initScale, Keys.initNoise, Keys.learningRate, DynamicsKeys.weightDecay, RunControlKeys.seed]
    }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(MatrixCompletionMetrics.trainLoss, "train"), SummaryColumn(MatrixCompletionMetrics.testLoss, "test"),
         SummaryColumn(MatrixCompletionMetrics.kernelRelativeDistance, "|W-K|/|K|"),
         SummaryColumn(MatrixCompletionMetrics.truthRelativeDistance, "|W-X*|/|X*|"),
         SummaryColumn(MatrixCompletionMetrics.parameterNorm, "||theta||")]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        typealias M = MatrixCompletionMetrics
        return [
            MetricFigure(fileName: "loss.svg", title: "Train and test mean squared error", yLabel: "mean squared error", logY: true,
                         lines: [Line(M.trainLoss, "train (observed)"), Line(M.testLoss, "test (unobserved)")]),
            MetricFigure(fileName: "predictors.svg", title: "Distance to the kernel predictor and to X*", yLabel: "relative Frobenius distance",
                         lines: [Line(M.kernelRelativeDistance, "||W - K|| / ||K||"), Line(M.truthRelativeDistance, "||W - X*|| / ||X*||")]),
            MetricFigure(fileName: "norm.svg", title: "Parameter norm", yLabel: "||(U, V)||_F", logY: true,
                         lines: [Line(M.parameterNorm, "||(U, V)||_F")]),
        ]
    }

    public func validate(_ config: ExperimentConfig) throws {
        let d = config.integer(Keys.d)
        if d.multipliedReportingOverflow(by: d).overflow || d > 46_340 {
            throw ConfigError("config: d must be at most 46340 (the d^2 entries are listed)")
        }
        let count = MatrixCompletionData.observedCount(d: d, fraction: config.number(Keys.observedFraction))
        if count < 1 || count >= d * d {
            throw ConfigError("config: observed_fraction must leave at least one observed and one unobserved entry (round(f d^2) = \(count) of \(d * d))")
        }
    }

    /// The law's transition step (1/(λη)) ln α, or nil without weight decay.
    static func predictedTransition(_ config: ExperimentConfig) -> Double? {
        let lambda = config.number(DynamicsKeys.weightDecay), eta = config.number(Keys.learningRate)
        guard lambda > 0 else { return nil }
        return log(config.number(Keys.initScale)) / (lambda * eta)
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.d) }
    public func widthName(_ config: ExperimentConfig) -> String { "inner index k of U and V (d = \(config.integer(Keys.d)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let d = config.integer(Keys.d)
        return [ParameterArray("U_t", shape: [d, d], sharded: true, "U transposed: row k is column k of U (W = U U^T - V V^T)"),
                ParameterArray("V_t", shape: [d, d], sharded: true, "V transposed: row k is column k of V")]
    }

    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] {
        let data = MatrixCompletionData(config: config)
        let d = data.d
        return [NamedArray("observed_entries", shape: [data.observed.count], values: .float64(data.observed.map(Double.init)),
                           "global indices i d + j of the observed (training) entries, ascending; all others are the test set"),
                NamedArray("truth", shape: [d, d], values: .float64(data.truthMatrix), "the multiplication table X*_ij = i j / d^2"),
                NamedArray("kernel_predictor", shape: [d, d], values: .float64(data.kernelPredictor),
                           "the kernel-regime predictor K: X* on the observed entries and their transposes, 0 elsewhere")]
    }

    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] {
        let data = MatrixCompletionData(config: config)
        let truth = data.truthMatrix, kernel = data.kernelPredictor
        let truthNorm = truth.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let kernelNorm = kernel.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let gap = zip(truth, kernel).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let kernelTestLoss = data.unobserved.reduce(0) { $0 + (kernel[$1] - truth[$1]) * (kernel[$1] - truth[$1]) } / Double(data.unobserved.count)
        var attributes: [(String, AttributeGroup.Value)] = [
            ("alpha", .number(config.number(Keys.initScale))), ("observed_count", .number(Double(data.observed.count))),
            ("truth_norm", .number(truthNorm)), ("kernel_predictor_norm", .number(kernelNorm)),
            ("kernel_predictor_distance_to_truth", .number(gap)), ("kernel_predictor_test_loss", .number(kernelTestLoss)),
        ]
        if let t = Self.predictedTransition(config) { attributes.append(("predicted_transition_step", .number(t))) }
        return [AttributeGroup("theory", description: "Lyu et al. (2024): the law (1/(lambda eta)) ln alpha, and the Frobenius norms of X* and of the kernel predictor K (arrays in /model), their distance and K's test loss (its mean squared error on the unobserved entries)",
                               attributes: attributes)]
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let alpha = config.number(Keys.initScale)
        guard let t = Self.predictedTransition(config) else { return ["alpha = \(alpha); no weight decay: no predicted transition"] }
        return ["alpha = \(alpha); predicted transition (1/(lambda eta)) ln alpha = \(Int(t.rounded())) steps"]
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        let d = config.integer(Keys.d)
        return "d=\(d) observed=\(MatrixCompletionData.observedCount(d: d, fraction: config.number(Keys.observedFraction)))"
    }

    /// Bytes of one rank: its rows of U_t and V_t with the gradient and optimiser buffers, the entry lists, and
    /// the exact accumulators of the train and test outputs (one per entry of the table).
    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        let d = config.integer(Keys.d)
        let parameters = 2 * localWidth * d * config.elementSize * 4
        let entries = d * d * (ExactAccumulator.slotsPerSum * 8 + 3 * 8)
        return ModelMemory(sharedData: 0, perRank: parameters + entries)
    }

    /// The partial outputs and the gradient at the n observed entries: 4 multiply-adds per entry and inner index each.
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        let d = config.integer(Keys.d)
        let n = Double(MatrixCompletionData.observedCount(d: d, fraction: config.number(Keys.observedFraction)))
        return 16 * n * Double(d)
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        MatrixCompletionShard<Scalar>(config: config, partition: partition(config, parts: communicator.size), communicator: communicator)
    }
}
