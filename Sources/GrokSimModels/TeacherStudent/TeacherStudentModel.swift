import GrokSimCore
import GrokSimTheory

/// A linear student S learning a linear teacher T on Gaussian inputs by full-batch GD (Levi, Beck, Bar-Sinai 2024),
/// with the Marchenko-Pastur theory's prediction stored and printed beside every measurement.
///
/// S and T are d_in × d_out; the loss (1/(N d_out)) Σ‖Sᵀx_i − y_i‖² is the shared squared loss, so GD with the
/// dynamics' weight decay γ/d_out is the paper's D_{t+1} = (I − (2η/d_out)Σ_tr)D_t − (ηγ/d_out)(D_t + T). S is
/// sharded along d_in in whole tiles (`TiledLinearMap`); the partial outputs Sᵀx_i are summed exactly over ranks.
public struct TeacherStudentModel: TiledWidthModel {
    public static let modelName = "teacher-student"

    /// The model's key names.
    public enum Keys {
        public static let inputs = "d_in", outputs = "d_out", samples = "n", testSamples = "n_test"
        public static let learningRate = "eta", epsilon = "epsilon", labelNoise = "label_noise"
        public static let initScale = "init_scale", gamma = "gamma"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String {
        "linear student S learning a linear teacher T on Gaussian inputs by GD (Levi et al. 2024), with its Marchenko-Pastur prediction"
    }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.inputs, default: 100, in: 1...Int.max, trajectory: true, summary: "input dimension d_in (rows of S, sharded over MPI ranks)"),
            .integer(Keys.outputs, default: 1, in: 1...Int.max, trajectory: true, summary: "output dimension d_out (columns of S and T)"),
            .integer(Keys.samples, default: 111, in: 1...Int.max, trajectory: true,
                     summary: "number N of training samples (lambda = d_in / N)"),
            .integer(Keys.testSamples, default: 1000, in: 1...Int.max, trajectory: true, summary: "number of fresh test samples"),
            .number(Keys.learningRate, default: 0.01, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "GD step eta"),
            .number(Keys.epsilon, default: 1e-3, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "accuracy tolerance: a sample is correct when its mean squared error per output is below epsilon"),
            .number(Keys.labelNoise, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "standard deviation sigma_delta of Gaussian noise added to every training target"),
            .number(Keys.initScale, default: 1, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "alpha: the student starts at alpha N(0, 1/(2 d_in d_out)) per entry"),
            .number(Keys.gamma, default: 0, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "the paper's weight decay gamma; sets weight_decay = gamma / d_out (set one of the two, not both)"),
        ]
    }

    public var presets: [Preset] { TeacherStudentPresets.all }

    public var metrics: [Metric] { TeacherStudentMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (TeacherStudentMetrics.trainAccuracy, TeacherStudentMetrics.testAccuracy) }
    public var captionKeys: [String] {
        [Keys.inputs, Keys.outputs, Keys.samples, Keys.learningRate, Keys.epsilon, Keys.gamma, RunControlKeys.seed]
    }

    public var summaryColumns: [SummaryColumn] {
        typealias M = TeacherStudentMetrics
        return [SummaryColumn(M.trainAccuracy, "train"), SummaryColumn(M.predictedTrainAccuracy, "train (MP)"),
                SummaryColumn(M.testAccuracy, "test"), SummaryColumn(M.predictedTestAccuracy, "test (MP)"),
                SummaryColumn(M.trainLoss, "L_train", decimals: 7), SummaryColumn(M.predictedTrainLoss, "L_train (MP)", decimals: 7),
                SummaryColumn(M.generalizationLoss, "L_gen", decimals: 7), SummaryColumn(M.predictedGeneralizationLoss, "L_gen (MP)", decimals: 7)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        typealias M = TeacherStudentMetrics
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy, measured and Marchenko-Pastur theory (dashed)",
                         yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(M.trainAccuracy, "train"), Line(M.testAccuracy, "test"),
                                 Line(M.predictedTrainAccuracy, "train (theory)", dashed: true),
                                 Line(M.predictedTestAccuracy, "test (theory)", dashed: true)]),
            MetricFigure(fileName: "loss.svg", title: "Loss per output, measured and Marchenko-Pastur theory (dashed)",
                         yLabel: "loss", logY: true,
                         lines: [Line(M.trainLoss, "L_train"), Line(M.generalizationLoss, "L_gen"),
                                 Line(M.predictedTrainLoss, "L_train (theory)", dashed: true),
                                 Line(M.predictedGeneralizationLoss, "L_gen (theory)", dashed: true)]),
        ]
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.inputs) }
    public func widthName(_ config: ExperimentConfig) -> String { "input rows (d_in = \(config.integer(Keys.inputs)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        [ParameterArray("S", shape: [config.integer(Keys.inputs), config.integer(Keys.outputs)], sharded: true,
                        "student S (d_in x d_out); the prediction is S^T x")]
    }

    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] {
        let d = config.integer(Keys.inputs), c = config.integer(Keys.outputs)
        return [NamedArray("T", shape: [d, c], values: .float64(TeacherStudentData.teacher(inputs: d, outputs: c, seed: config.seed)),
                           "teacher T (d_in x d_out): targets are T^T x (+ label noise on the training set)")]
    }

    public func resolveDerived(_ config: inout ExperimentConfig) {
        let gamma = config.number(Keys.gamma)
        if gamma > 0 && config.number(DynamicsKeys.weightDecay) == 0 {
            config.set(DynamicsKeys.weightDecay, .number(gamma / Double(config.integer(Keys.outputs))))
        }
    }

    public func validate(_ config: ExperimentConfig) throws {
        let d = config.integer(Keys.inputs), c = config.integer(Keys.outputs)
        let counts = [config.integer(Keys.samples), config.integer(Keys.testSamples), c]
        if counts.contains(where: { $0.multipliedReportingOverflow(by: d).overflow || ($0 * d).multipliedReportingOverflow(by: c).overflow }) {
            throw ConfigError("config: n, n_test, d_in or d_out is too large: the arrays' element counts overflow")
        }
        let gamma = config.number(Keys.gamma)
        if gamma > 0 && config.number(DynamicsKeys.weightDecay) != gamma / Double(c) {
            throw ConfigError("config: gamma sets weight_decay = gamma / d_out; set one of them, not both "
                              + "(got gamma = \(gamma), weight_decay = \(config.number(DynamicsKeys.weightDecay)))")
        }
    }

    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] {
        let theory = TeacherStudentTheory(config)
        var attributes: [(String, AttributeGroup.Value)] = theory.values().map { ($0.0, .number($0.1)) }
        attributes.append(("summary", .text(TeacherStudentTheory.line(theory.values()))))
        attributes.append(("evolution", .text(theory.dynamics.evolution == .gradientDescent ? "exact GD (1 - eta a)^t per mode"
                                                                                              : "gradient flow exp(-eta a t) (GD unstable)")))
        return [AttributeGroup("theory", description: "Marchenko-Pastur predictions of Levi, Beck, Bar-Sinai (2024) for this config; "
                               + "times in steps, losses per output, gamma = weight_decay * d_out", attributes: attributes)]
    }

    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] {
        [("lambda", TeacherStudentTheory(config).ratio)]
    }

    public func runAttributes(_ config: ExperimentConfig) -> [(String, String)] {
        [("theory", TeacherStudentTheory.line(TeacherStudentTheory(config).values()))]
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let theory = TeacherStudentTheory(config)
        var lines = ["theory (Marchenko-Pastur, lambda = \(theory.ratio)): " + TeacherStudentTheory.line(theory.values())]
        if !theory.applies { lines.append("note: the theory assumes plain GD, no Langevin noise and noise-free labels; this run differs") }
        return lines
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        "d_in=\(config.integer(Keys.inputs)) d_out=\(config.integer(Keys.outputs)) n=\(config.integer(Keys.samples))"
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        let rows = config.integer(Keys.samples) + config.integer(Keys.testSamples), c = config.integer(Keys.outputs)
        let padded = localWidth + 2 * tile(config)
        return ModelMemory(sharedData: 0, perRank: (rows * padded + 3 * padded * c + 4 * rows * c) * config.elementSize
                           + config.integer(Keys.inputs) * c * 8 + rows * c * ExactAccumulator.slotsPerSum * 8)
    }

    /// A forward and a backward product over the N x d_in training inputs and d_out outputs.
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        4 * Double(config.integer(Keys.samples)) * Double(config.integer(Keys.inputs)) * Double(config.integer(Keys.outputs))
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        TeacherStudentShard<Scalar>(config: config, partition: partition(config, parts: communicator.size), part: communicator.rank)
    }
}
