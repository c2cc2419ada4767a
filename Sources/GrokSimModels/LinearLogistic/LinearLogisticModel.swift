import GrokSimCore

/// A linear classifier f(x) = <w, x> + b with logistic (or exponential) loss on Gaussian data labelled by a random teacher.
///
/// The smallest model behind the seam, and the one the constant-label logistic regression will grow from:
/// w is sharded along the d input coordinates, the bias b is replicated (every rank updates it from the same
/// all-reduced outputs, and rank 0's shard alone adds it to the outputs).
public struct LinearLogisticModel: TiledWidthModel {
    public static let modelName = "linear-logistic"

    /// The model's key names.
    public enum Keys {
        public static let n = "n", d = "d", nTest = "n_test", labelNoise = "label_noise", learningRate = "learning_rate"
        public static let loss = "loss", initScale = "init_scale", trainBias = "train_bias"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "linear classifier f(x) = <w, x> + b, logistic loss, Gaussian inputs labelled by a random teacher" }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.n, default: 200, in: 1...Int.max, trajectory: true, summary: "number of training points"),
            .integer(Keys.d, default: 50, in: 1...Int.max, trajectory: true, summary: "input dimension (sharded over MPI ranks)"),
            .integer(Keys.nTest, default: 1000, in: 1...Int.max, trajectory: true, summary: "number of test points"),
            .number(Keys.labelNoise, default: 0, rule: "must be in [0, 0.5)", check: { $0 >= 0 && $0 < 0.5 }, trajectory: true,
                    summary: "probability that a training label is flipped"),
            .number(Keys.learningRate, default: 0.5, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "learning rate"),
            .choice(Keys.loss, ["logistic", "exponential"], default: "logistic", trajectory: true,
                    summary: "\"logistic\" log(1 + exp(-y f)) or \"exponential\" exp(-y f)"),
            .number(Keys.initScale, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "standard deviation of the initial w (b starts at 0)"),
        ]
    }

    public var presets: [Preset] {
        [Preset(name: "linear-logistic-small", model: name,
                summary: "toy second model: n=200, d=50, lr=0.5, 200 steps; test accuracy rises above 0.9 in seconds",
                settings: [(Keys.n, .integer(200)), (Keys.d, .integer(50)), (Keys.nTest, .integer(1000)),
                           (Keys.learningRate, .number(0.5)), (RunControlKeys.steps, .integer(200))])]
    }

    public var metrics: [Metric] { LinearLogisticMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (LinearLogisticMetrics.trainAccuracy, LinearLogisticMetrics.testAccuracy) }
    public var captionKeys: [String] { [Keys.n, Keys.d, Keys.labelNoise, Keys.learningRate, RunControlKeys.seed] }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(LinearLogisticMetrics.trainAccuracy, "train"), SummaryColumn(LinearLogisticMetrics.testAccuracy, "test"),
         SummaryColumn(LinearLogisticMetrics.teacherCosine, "cos(w, w*)"), SummaryColumn(LinearLogisticMetrics.trainLoss, "train loss", decimals: 5)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy", yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(LinearLogisticMetrics.trainAccuracy, "train"), Line(LinearLogisticMetrics.testAccuracy, "test")]),
            MetricFigure(fileName: "loss.svg", title: "Loss", yLabel: "mean loss", logY: true,
                         lines: [Line(LinearLogisticMetrics.trainLoss, "train"), Line(LinearLogisticMetrics.testLoss, "test")]),
            MetricFigure(fileName: "weights.svg", title: "Weight norm and alignment with the teacher", yLabel: "value",
                         lines: [Line(LinearLogisticMetrics.weightNorm, "||w||"), Line(LinearLogisticMetrics.teacherCosine, "cos(w, w*)", dashed: true)]),
        ]
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.d) }
    public func widthName(_ config: ExperimentConfig) -> String { "input coordinates (d = \(config.integer(Keys.d)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        [ParameterArray("w", shape: [config.integer(Keys.d)], sharded: true, "weights w of f(x) = <w, x> + b"),
         ParameterArray("b", shape: [1], sharded: false, "bias b of f(x) = <w, x> + b (replicated on every rank)")]
    }

    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] {
        let teacher = LinearLogisticData.teacher(dimension: config.integer(Keys.d), seed: config.seed)
        return [NamedArray("teacher", shape: [teacher.count], values: .float64(teacher), "teacher direction w*: labels are sign(<w*, x>)")]
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        "n=\(config.integer(Keys.n)) d=\(config.integer(Keys.d))"
    }

    public func validate(_ config: ExperimentConfig) throws {
        let d = config.integer(Keys.d)
        let rows = SizeArithmetic.sum(config.integer(Keys.n), config.integer(Keys.nTest))
        if SizeArithmetic.product(rows, SizeArithmetic.sum(d, 128), 8) == Int.max {
            throw ConfigError("config: n, n_test or d is too large: the arrays' element counts overflow")
        }
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        typealias A = SizeArithmetic
        let rows = A.sum(config.integer(Keys.n), config.integer(Keys.nTest))
        let padded = A.sum(localWidth, 2 * tile(config))
        return ModelMemory(sharedData: 0, perRank: A.sum(A.product(A.sum(A.product(rows, padded), A.product(2, padded), A.product(2, rows)),
                                                                   config.elementSize),
                                                         A.product(rows, ExactAccumulator.slotsPerSum, 8)))
    }

    /// A forward and a backward product over the n x d training data (by tile GEMMs).
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        4 * Double(config.integer(Keys.n)) * Double(config.integer(Keys.d))
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        LinearLogisticShard<Scalar>(config: config, partition: partition(config, parts: communicator.size),
                                    part: communicator.rank)
    }
}
