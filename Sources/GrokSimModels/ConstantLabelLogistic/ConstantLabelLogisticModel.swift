import GrokSimCore

/// Logistic regression f(x) = S·x + b on points that all carry the same label: grokking at the edge of linear
/// separability (Beck, Levi and Bar-Sinai, ICML 2025).
///
/// Every training point has the target y = −1 of the engine's binary losses, so the loss is log(1 + e^f) (or
/// e^f), small where f < 0 — the sign convention of the science notes' flow equations. S is sharded along the d
/// input coordinates with `TiledLinearMap`; b is replicated (every rank updates it from the same all-reduced
/// outputs, and rank 0's shard alone adds it to the outputs). The theory of each training set (separability from
/// the origin by a certified Newton test with GLPK as its fallback, its margin, the limiting test accuracy, Wendel's probability) is stored under `/theory`.
public struct ConstantLabelLogisticModel: TiledWidthModel {
    public static let modelName = "constant-label-logistic"

    /// The model's key names.
    public enum Keys {
        public static let task = "task", n = "n", d = "d", nTest = "n_test", sigma = "sigma", mu = "mu"
        public static let sigmaA = "sigma_a", sigmaB = "sigma_b", toyLambda = "toy_lambda", learningRate = "learning_rate"
        public static let loss = "loss", initScale = "init_scale", initBias = "init_bias", theory = "theory"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String {
        "logistic regression f(x) = S.x + b on Gaussian points that all carry the same label (Beck, Levi, Bar-Sinai 2025)"
    }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        let positive: @Sendable (Double) -> Bool = { $0 > 0 }
        let nonNegative: @Sendable (Double) -> Bool = { $0 >= 0 }
        return [
            .choice(Keys.task, ConstantLabelTask.allCases.map(\.rawValue), default: ConstantLabelTask.constantLabel.rawValue, trajectory: true,
                    summary: "\"constant-label\" (the reduced problem), \"two-gaussians\" (the original two-class problem, no bias) or \"toy-1d\" (two fixed points, d = 1, one rank)"),
            .integer(Keys.n, default: 200, in: 1...Int.max, trajectory: true, summary: "number of training points N (ignored by toy-1d: 2)"),
            .integer(Keys.d, default: 80, in: 1...Int.max, trajectory: true, summary: "input dimension d, lambda = d/N (sharded over MPI ranks; ignored by toy-1d: 1)"),
            .integer(Keys.nTest, default: 2000, in: 1...Int.max, trajectory: true, summary: "number of fresh test points"),
            .number(Keys.sigma, default: 1, rule: "must be a finite number > 0", check: positive, trajectory: true,
                    summary: "standard deviation sigma of every coordinate of x (constant-label, toy-1d)"),
            .number(Keys.mu, default: 0.2, rule: "must be a finite number > 0", check: positive, trajectory: true,
                    summary: "two-gaussians: the class means are +-mu e1"),
            .number(Keys.sigmaA, default: 0, rule: "must be a finite number >= 0", check: nonNegative, trajectory: true,
                    summary: "two-gaussians: spread along e1"),
            .number(Keys.sigmaB, default: 1, rule: "must be a finite number > 0", check: positive, trajectory: true,
                    summary: "two-gaussians: spread across e1 (the reduced problem's sigma is sigma_b/mu)"),
            .number(Keys.toyLambda, default: 0.4, rule: "must be in (0, 1)", check: { $0 > 0 && $0 < 1 }, trajectory: true,
                    summary: "toy-1d: lambda of the second point x2 = sigma (1 - 2 lambda)"),
            .number(Keys.learningRate, default: 0.1, rule: "must be a finite number > 0", check: positive, trajectory: true,
                    summary: "learning rate eta"),
            .choice(Keys.loss, ["logistic", "exponential"], default: "logistic", trajectory: true,
                    summary: "\"logistic\" log(1 + exp(f)) or \"exponential\" exp(f) for the constant label (y = -1)"),
            .number(Keys.initScale, default: 0, rule: "must be a finite number >= 0", check: nonNegative, trajectory: true,
                    summary: "standard deviation of each initial coordinate of S"),
            .number(Keys.initBias, default: 0, trajectory: true, summary: "initial bias b (tasks with a bias)"),
            .choice(Keys.theory, ["auto", "on", "off"], default: "auto", trajectory: true,
                    summary: "compute the separability LP and margin of the training set: \"auto\" when N d <= 2.5e5, \"on\" always, \"off\" never"),
        ]
    }

    public var presets: [Preset] { ConstantLabelPresets.all }

    public var metrics: [Metric] { ConstantLabelMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (ConstantLabelMetrics.trainAccuracy, ConstantLabelMetrics.testAccuracy) }
    public var captionKeys: [String] { [Keys.task, Keys.n, Keys.d, Keys.sigma, Keys.learningRate, RunControlKeys.seed] }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(ConstantLabelMetrics.trainAccuracy, "train"), SummaryColumn(ConstantLabelMetrics.testAccuracy, "test"),
         SummaryColumn(ConstantLabelMetrics.predictedAccuracy, "predicted limit"), SummaryColumn(ConstantLabelMetrics.weightNorm, "||S||"),
         SummaryColumn(ConstantLabelMetrics.bias, "b"), SummaryColumn(ConstantLabelMetrics.trainLoss, "train loss", decimals: 5)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        typealias M = ConstantLabelMetrics
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Accuracy, with the theory's limiting test accuracy", yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(M.trainAccuracy, "train"), Line(M.testAccuracy, "test"), Line(M.populationAccuracy, "population"),
                                 Line(M.predictedAccuracy, "predicted limit", dashed: true)]),
            MetricFigure(fileName: "loss.svg", title: "Loss", yLabel: "mean loss", logY: true,
                         lines: [Line(M.trainLoss, "train"), Line(M.testLoss, "test"), Line(M.populationLoss, "population (generalisation)")]),
            MetricFigure(fileName: "weights.svg", title: "||S|| and the bias b", yLabel: "value",
                         lines: [Line(M.weightNorm, "||S||"), Line(M.bias, "b"), Line(M.biasOverNorm, "b/||S||", dashed: true)]),
        ]
    }

    public func width(_ config: ExperimentConfig) -> Int { ConstantLabelSettings(config).d }
    public func widthName(_ config: ExperimentConfig) -> String { "input coordinates (d = \(width(config)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let settings = ConstantLabelSettings(config)
        let weights = ParameterArray("S", shape: [settings.d], sharded: true,
                                     settings.task == .twoGaussians ? "weights w of f(x) = w.x" : "weights S of f(x) = S.x + b")
        guard settings.task.hasBias else { return [weights] }
        return [weights, ParameterArray("b", shape: [1], sharded: false, "bias b of f(x) = S.x + b (replicated on every rank)")]
    }

    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] {
        let settings = ConstantLabelSettings(config)
        let theory = ConstantLabelTheory.of(settings)
        var attributes: [(String, AttributeGroup.Value)] = [
            ("computed", .integer(theory.computed ? 1 : 0)),
            ("separable", .integer(theory.separable.map { $0 ? 1 : 0 } ?? -1)),
            ("margin", .number(theory.margin)),
            ("predicted_test_accuracy", .number(theory.predictedAccuracy)),
            ("wendel_probability", .number(theory.wendel)),
            ("lambda", .number(settings.lambda)),
            ("reduced_sigma", .number(settings.reducedSigma)),
        ]
        if settings.task == .toy1D {
            let slopes = ToyModelTheory.lateSlopes(lambda: settings.toyLambda, sigma: settings.sigma)
            attributes += [("toy_s_infinity", .number(ToyModelTheory.limitingS(lambda: settings.toyLambda, sigma: settings.sigma))),
                           ("toy_bias_slope", .number(slopes.bias)), ("toy_norm_slope", .number(slopes.norm)),
                           ("toy_norm_slope_against", .text(slopes.normAgainstLogLog ? "log log t" : "log t"))]
        }
        return [AttributeGroup("theory", description: """
            the theory of this training set (Beck, Levi, Bar-Sinai 2025): computed (1 if the LP ran), separable (1, 0; -1 if not \
            computed) from the origin (certified finite Newton test, GLPK LP where undecided), margin (the L2 margin M of the reduced points, units of x; 0 if not separable), \
            predicted_test_accuracy (1/2[1 + erf(1/(sigma M sqrt 2))], 1 if not separable; dimensionless), wendel_probability \
            (P(separable) for N points in the reduced dimension; dimensionless), lambda, reduced_sigma (units of x); for toy-1d \
            toy_s_infinity (units of 1/x) and the predicted late slopes of b and ||S|| against log t (or log log t)
            """, attributes: attributes)]
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let settings = ConstantLabelSettings(config)
        let theory = ConstantLabelTheory.of(settings)
        var line = "theory: lambda = \(format(settings.lambda))"
        if !theory.wendel.isNaN { line += ", Wendel P(separable) = \(format(theory.wendel))" }
        if let separable = theory.separable {
            line += separable ? ", this set IS separable from the origin (margin \(format(theory.margin))), predicted limiting test accuracy \(format(theory.predictedAccuracy))"
                : ", this set is not separable from the origin: predicted limiting test accuracy 1"
        } else {
            line += ", separability not computed (theory = \(settings.theory))"
        }
        return [line]
    }

    private func format(_ value: Double) -> String { String(format: "%.4g", value) }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        let settings = ConstantLabelSettings(config)
        return "task=\(settings.task.rawValue) n=\(settings.n) d=\(settings.d)"
    }

    public func validate(_ config: ExperimentConfig) throws {
        let settings = ConstantLabelSettings(config)
        if [settings.n, settings.nTest].contains(where: { $0.multipliedReportingOverflow(by: settings.d).overflow }) {
            throw ConfigError("config: n, n_test or d is too large: the arrays' element counts overflow")
        }
        if settings.task == .twoGaussians && settings.d < 2 {
            throw ConfigError("config: d must be >= 2 with task = \"two-gaussians\" (the reduced problem lives across e1)")
        }
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        let settings = ConstantLabelSettings(config)
        let rows = settings.n + settings.nTest
        let padded = localWidth + 2 * tile(config)
        let theory = settings.computesTheory ? 3 * settings.n * settings.d * 8 : 0
        return ModelMemory(sharedData: 0, perRank: (rows * padded + 2 * padded + 2 * rows) * config.elementSize
                           + rows * ExactAccumulator.slotsPerSum * 8 + theory)
    }

    /// A forward and a backward product over the N x d training data (by tile GEMMs).
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        let settings = ConstantLabelSettings(config)
        return 4 * Double(settings.n) * Double(settings.d)
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        ConstantLabelShard<Scalar>(settings: ConstantLabelSettings(config), partition: partition(config, parts: communicator.size),
                                   part: communicator.rank, tile: tile(config))
    }
}
