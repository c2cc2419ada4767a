import Foundation
import GrokSimCore

/// A diagonal linear network f(x) = <u^L - v^L, x> started from u = v (so f = 0) at a large scale α, trained by
/// full-batch GD with weight decay: Lyu et al. (2024)'s model of grokking and misgrokking.
///
/// u and v are sharded along the d input coordinates in whole tiles; a step is one all-reduce of the n partial
/// outputs and local work otherwise. The max-L2- and max-L1-margin classifiers of the training set (the early
/// kernel predictor and the late KKT solution) are solved once and compared with w along the run.
public struct DiagonalNetModel: TiledWidthModel {
    public static let modelName = "diagonal-net"

    /// The model's key names.
    public enum Keys {
        public static let task = "task", n = "n", d = "d", nTest = "n_test", k = "k", gamma = "gamma", depth = "depth"
        public static let learningRate = "learning_rate", loss = "loss", initNorm = "init_norm", initScale = "init_scale"
        public static let predictors = "predictors"
    }

    /// Default α when neither convention is given (the paper's init norm).
    static let defaultInitNorm = 128.0

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "diagonal linear net f(x) = <u^L - v^L, x> from a large init with weight decay (Lyu et al. 2024)" }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .choice(Keys.task, ["sparse-linear", "l2-margin"], default: "sparse-linear", trajectory: true,
                    summary: "\"sparse-linear\" (x in {±1}^d, y = sign of k coordinates: grokking) or \"l2-margin\" (Gaussian, L2 margin gamma: misgrokking)"),
            .integer(Keys.n, default: 64, in: 1...Int.max, trajectory: true, summary: "number of training points"),
            .integer(Keys.d, default: 500, in: 1...Int.max, trajectory: true, summary: "input dimension (sharded over MPI ranks)"),
            .integer(Keys.nTest, default: 2000, in: 1...Int.max, trajectory: true,
                     summary: "number of test points (regenerated at each evaluation, never stored)"),
            .integer(Keys.k, default: 3, in: 1...Int.max, rule: "must be an odd integer >= 1", trajectory: true,
                     summary: "sparse-linear: number of relevant coordinates (odd, so sums never tie)"),
            .number(Keys.gamma, default: 25, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "l2-margin: L2 margin gamma of the data along w*"),
            .integer(Keys.depth, default: 2, in: 2...16, trajectory: true, summary: "depth L of w = u^L - v^L"),
            .number(Keys.learningRate, default: 0.05, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "learning rate eta"),
            .choice(Keys.loss, ["logistic", "exponential"], default: "logistic", trajectory: true,
                    summary: "\"logistic\" (Lyu et al.'s code) or \"exponential\" (their theory)"),
            .number(Keys.initNorm, default: nil, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true, units: "1",
                    summary: "alpha as the total norm ||(u, v)||_2 at init: u = v = alpha/sqrt(2d) (the code's and figures' convention; 128 if neither is set)"),
            .number(Keys.initScale, default: nil, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true, units: "1",
                    summary: "alpha per coordinate: u = v = alpha (the theorems' convention); not together with init_norm"),
            ConfigKey(Keys.predictors, .boolean, default: .boolean(true), trajectory: true,
                      summary: "solve the max-L2- and max-L1-margin classifiers at the start and record agreement with them"),
        ]
    }

    public var presets: [Preset] { DiagonalNetPresets.all(model: name) }

    public var metrics: [Metric] { DiagonalNetMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (DiagonalNetMetrics.trainAccuracy, DiagonalNetMetrics.testAccuracy) }
    public var captionKeys: [String] {
        [Keys.task, Keys.n, Keys.d, Keys.initNorm, Keys.initScale, Keys.learningRate, DynamicsKeys.weightDecay, RunControlKeys.seed]
    }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(DiagonalNetMetrics.trainAccuracy, "train"), SummaryColumn(DiagonalNetMetrics.testAccuracy, "test"),
         SummaryColumn(DiagonalNetMetrics.l2Agreement, "agree L2"), SummaryColumn(DiagonalNetMetrics.l1Agreement, "agree L1"),
         SummaryColumn(DiagonalNetMetrics.parameterNorm, "||theta||")]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        typealias M = DiagonalNetMetrics
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy", yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(M.trainAccuracy, "train"), Line(M.testAccuracy, "test")]),
            MetricFigure(fileName: "loss.svg", title: "Loss", yLabel: "mean loss", logY: true,
                         lines: [Line(M.trainLoss, "train"), Line(M.testLoss, "test")]),
            MetricFigure(fileName: "predictors.svg", title: "Agreement with and cosine to the max-margin classifiers", yLabel: "value",
                         yRange: -0.02...1.02,
                         lines: [Line(M.l2Agreement, "test agreement, L2"), Line(M.l1Agreement, "test agreement, L1"),
                                 Line(M.l2Cosine, "cos(w, w_L2)", dashed: true), Line(M.l1Cosine, "cos(w, w_L1)", dashed: true)]),
            MetricFigure(fileName: "margins.svg", title: "Normalised training margins", yLabel: "margin",
                         lines: [Line(M.l2Margin, "min y f / ||w||_2"), Line(M.l1Margin, "min y f / ||w||_1", dashed: true)]),
        ]
    }

    public func resolveDerived(_ config: inout ExperimentConfig) {
        if config.value(Keys.initNorm) == nil && config.value(Keys.initScale) == nil {
            config.set(Keys.initNorm, .number(Self.defaultInitNorm))
        }
    }

    public func validate(_ config: ExperimentConfig) throws {
        let n = config.integer(Keys.n), d = config.integer(Keys.d), nTest = config.integer(Keys.nTest), k = config.integer(Keys.k)
        if config.value(Keys.initNorm) != nil && config.value(Keys.initScale) != nil {
            throw ConfigError("config: set init_norm (total norm) or init_scale (per coordinate), not both")
        }
        if k % 2 == 0 { throw ConfigError("config: k must be an odd integer >= 1 (got \(k))") }
        if config.string(Keys.task) == "sparse-linear" && k > d {
            throw ConfigError("config: k must be at most d (got k = \(k), d = \(d))")
        }
        if [n, nTest].contains(where: { $0.multipliedReportingOverflow(by: d).overflow }) {
            throw ConfigError("config: n, n_test or d is too large: the arrays' element counts overflow")
        }
    }

    /// The per-coordinate initial value of u and v.
    static func initialCoordinate(_ config: ExperimentConfig) -> Double {
        if let norm = config.optionalNumber(Keys.initNorm) { return norm / (2 * Double(config.integer(Keys.d))).squareRoot() }
        return config.optionalNumber(Keys.initScale) ?? defaultInitNorm / (2 * Double(config.integer(Keys.d))).squareRoot()
    }

    /// The α of the convention the config used, and that convention's name.
    static func alpha(_ config: ExperimentConfig) -> (value: Double, convention: String) {
        if let scale = config.optionalNumber(Keys.initScale) { return (scale, "init_scale (per coordinate)") }
        return (config.optionalNumber(Keys.initNorm) ?? defaultInitNorm, "init_norm (total norm ||(u, v)||)")
    }

    /// The law's transition step (1/(λη)) ln α, or nil without weight decay.
    static func predictedTransition(_ config: ExperimentConfig) -> Double? {
        let lambda = config.number(DynamicsKeys.weightDecay), eta = config.number(Keys.learningRate)
        guard lambda > 0 else { return nil }
        return log(alpha(config).value) / (lambda * eta)
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.d) }
    public func widthName(_ config: ExperimentConfig) -> String { "input coordinates (d = \(config.integer(Keys.d)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let d = config.integer(Keys.d)
        return [ParameterArray("u", shape: [d], sharded: true, "u of w = u^L - v^L"),
                ParameterArray("v", shape: [d], sharded: true, "v of w = u^L - v^L")]
    }

    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] {
        let data = DiagonalNetData(config: config)
        var arrays = [NamedArray("teacher", shape: [data.teacher.count], values: .float64(data.teacher),
                                 data.task == .sparseLinear ? "signs s_j of the relevant coordinates: y = sign(sum_j s_j x_j)"
                                     : "unit direction w*: y = sign<z, w*>, x = z + y (gamma/2) w*")]
        if config.boolean(Keys.predictors), let predictors = try? DiagonalNetPredictors.shared(config) {
            arrays.append(NamedArray("l2_predictor", shape: [predictors.l2.count], values: .float64(predictors.l2),
                                     "max-L2-margin linear classifier of the training set, min ||w||_2 s.t. y_i <w, x_i> >= 1 (libsvm)"))
            arrays.append(NamedArray("l1_predictor", shape: [predictors.l1.count], values: .float64(predictors.l1),
                                     "max-L1-margin linear classifier of the training set, min ||w||_1 s.t. y_i <w, x_i> >= 1 (GLPK)"))
        }
        return arrays
    }

    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] {
        var attributes: [(String, AttributeGroup.Value)] = [
            ("alpha", .number(Self.alpha(config).value)), ("alpha_convention", .text(Self.alpha(config).convention)),
            ("initial_coordinate", .number(Self.initialCoordinate(config))),
        ]
        if let t = Self.predictedTransition(config) { attributes.append(("predicted_transition_step", .number(t))) }
        if config.boolean(Keys.predictors), let predictors = try? DiagonalNetPredictors.shared(config) {
            attributes += [("l2_margin", .number(predictors.l2Margin)), ("l1_margin", .number(predictors.l1Margin))]
        }
        return [AttributeGroup("theory", description: "Lyu et al. (2024): the law (1/(lambda eta)) ln alpha in the config's alpha convention, and the margins min_i y_i <w, x_i> / ||w|| of the max-L2 (early, kernel) and max-L1 (late, KKT) classifiers (arrays in /model)",
                               attributes: attributes)]
    }

    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] {
        [("initial_coordinate", Self.initialCoordinate(config))]
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let (alpha, convention) = Self.alpha(config)
        guard let t = Self.predictedTransition(config) else { return ["alpha = \(alpha) (\(convention)); no weight decay: no predicted transition"] }
        return ["alpha = \(alpha) (\(convention)); predicted transition (1/(lambda eta)) ln alpha = \(Int(t.rounded())) steps"]
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        "task=\(config.string(Keys.task)) n=\(config.integer(Keys.n)) d=\(config.integer(Keys.d)) n_test=\(config.integer(Keys.nTest))"
    }

    /// Bytes of one rank: the training rows (bytes for signs, doubles for Gaussian inputs), one test chunk, the
    /// parameters and buffers, and the exact accumulators of the train, test and predictor outputs.
    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        let n = config.integer(Keys.n), nTest = config.integer(Keys.nTest)
        let padded = localWidth + 2 * tile(config)
        let element = config.string(Keys.task) == "sparse-linear" ? 1 : 8
        let data = (n + DiagonalNetShard<Double>.testChunk) * padded * element
        let buffers = 2 * padded * config.elementSize * 4 + 6 * padded * 8
        return ModelMemory(sharedData: 0, perRank: data + buffers + (n + 3 * nTest) * ExactAccumulator.slotsPerSum * 8 + 8 * (n + 3 * nTest))
    }

    /// The forward product and the gradient over the n x d training data, and the elementwise work on u and v.
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        let n = Double(config.integer(Keys.n)), d = Double(config.integer(Keys.d))
        return 4 * n * d + 8 * d
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        DiagonalNetShard<Scalar>(config: config, partition: partition(config, parts: communicator.size), communicator: communicator)
    }
}
