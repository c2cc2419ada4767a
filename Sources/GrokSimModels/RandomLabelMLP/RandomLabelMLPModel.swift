import GrokSimCore

/// A fully connected ReLU network with one hidden layer fitted to randomly labelled Gaussian points, whose
/// low-loss region Langevin dynamics then explores (Jules, Brener, Kachman, Levi, Bar-Sinai 2023).
///
/// f(x) = (1/sqrt m) sum_j v_j relu(<w_j, x> / sqrt d + b_j) with logistic loss; the m hidden units (w_j, b_j, v_j)
/// are sharded over ranks on whole tiles of units. Labels carry no information about the inputs, so fitting
/// them is pure memorisation and test accuracy stays near 1/2. The paper's network sizes are not known to us;
/// one hidden layer is our choice (a second layer is left out).
public struct RandomLabelMLPModel: TiledWidthModel {
    public static let modelName = "random-label-mlp"

    /// The model's key names.
    public enum Keys {
        public static let n = "n", d = "d", width = "width", nTest = "n_test", learningRate = "learning_rate"
        public static let initScale = "init_scale", boundaryMargin = "boundary_margin"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "one-hidden-layer ReLU network fitted to randomly labelled Gaussian points, logistic loss (Langevin exploration of its low-loss region)" }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.n, default: 32, in: 1...Int.max, trajectory: true, summary: "number of training points (random labels)"),
            .integer(Keys.d, default: 8, in: 1...Int.max, trajectory: true, summary: "input dimension"),
            .integer(Keys.width, default: 64, in: 1...Int.max, trajectory: true, summary: "hidden units m (sharded over MPI ranks)"),
            .integer(Keys.nTest, default: 100, in: 1...Int.max, trajectory: true, summary: "number of fresh randomly labelled test points"),
            .number(Keys.learningRate, default: 0.5, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "learning rate eta of GD and of the Langevin steps"),
            .number(Keys.initScale, default: 1, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "standard deviation of the initial output weights v_j (w_j ~ N(0, I_d), b_j = 0)"),
            .number(Keys.boundaryMargin, default: 4, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: false,
                    summary: "a training point is near the decision boundary when its margin y f(x) is below this (4: its loss log(1 + e^-4) = 0.018 exceeds the mean loss at the GD target of the presets)"),
        ]
    }

    public var presets: [Preset] { RandomLabelMLPPresets.all(self) }

    public var metrics: [Metric] { RandomLabelMLPMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (RandomLabelMLPMetrics.trainAccuracy, RandomLabelMLPMetrics.testAccuracy) }
    public var captionKeys: [String] {
        [Keys.n, Keys.d, Keys.width, Keys.learningRate, DynamicsKeys.temperature, DynamicsKeys.weightDecay, RunControlKeys.seed]
    }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(RandomLabelMLPMetrics.trainAccuracy, "train"), SummaryColumn(RandomLabelMLPMetrics.testAccuracy, "test"),
         SummaryColumn(RandomLabelMLPMetrics.trainLoss, "train loss", decimals: 5),
         SummaryColumn(RandomLabelMLPMetrics.nearBoundary, "near boundary", decimals: 0)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy", yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(RandomLabelMLPMetrics.trainAccuracy, "train"), Line(RandomLabelMLPMetrics.testAccuracy, "test")]),
            MetricFigure(fileName: "loss.svg", title: "Loss", yLabel: "mean loss", logY: true,
                         lines: [Line(RandomLabelMLPMetrics.trainLoss, "train"), Line(RandomLabelMLPMetrics.testLoss, "test")]),
            MetricFigure(fileName: "boundary.svg", title: "Training points near the decision boundary", yLabel: "points",
                         lines: [Line(RandomLabelMLPMetrics.nearBoundary, "margin < boundary_margin")]),
        ]
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.width) }
    public func widthName(_ config: ExperimentConfig) -> String { "hidden units (width = \(config.integer(Keys.width)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let m = config.integer(Keys.width), d = config.integer(Keys.d)
        return [ParameterArray("w", shape: [m, d], sharded: true, "hidden weights w_j (one row per unit) of f(x) = (1/sqrt m) sum_j v_j relu(<w_j, x>/sqrt d + b_j)"),
                ParameterArray("b", shape: [m], sharded: true, "hidden biases b_j"),
                ParameterArray("v", shape: [m], sharded: true, "output weights v_j")]
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        "n=\(config.integer(Keys.n)) d=\(config.integer(Keys.d)) width=\(config.integer(Keys.width)) parameters=\(parameterCount(config))"
    }

    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] {
        [("parameter_count", Double(parameterCount(config)))]
    }

    public func validate(_ config: ExperimentConfig) throws {
        let d = config.integer(Keys.d), m = config.integer(Keys.width)
        let rows = SizeArithmetic.sum(config.integer(Keys.n), config.integer(Keys.nTest))
        if SizeArithmetic.product(rows, SizeArithmetic.sum(d, m), 8) == Int.max || SizeArithmetic.product(m, d + 2, 8) == Int.max {
            throw ConfigError("config: n, n_test, d or width is too large: the arrays' element counts overflow")
        }
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        typealias A = SizeArithmetic
        let rows = A.sum(config.integer(Keys.n), config.integer(Keys.nTest)), d = config.integer(Keys.d)
        return ModelMemory(sharedData: 0, perRank: A.sum(A.product(rows, A.sum(d, 1), 8), A.product(localWidth, A.sum(d, 2), 8 + config.elementSize),
                                                         A.product(config.integer(Keys.n), localWidth, 8),
                                                         A.product(rows, ExactAccumulator.slotsPerSum, 8)))
    }

    /// Forward and backward through the n x m x d first layer.
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        4 * Double(config.integer(Keys.n)) * Double(config.integer(Keys.width)) * Double(config.integer(Keys.d))
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        RandomLabelMLPShard<Scalar>(config: config, partition: partition(config, parts: communicator.size), part: communicator.rank)
    }
}
