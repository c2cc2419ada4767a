import GrokSimCore

/// A two-layer ReLU MLP f(x) = W2 ReLU(W1 x + b1) on one-hot(a) ++ one-hot(b) with p logits and cross-entropy, trained
/// by full-batch GD with weight decay on a op b mod p (Lyu et al. 2024, Figure 2; grokking as first seen by Power et al.).
///
/// The hidden width h is sharded over ranks on whole tiles of neurons; the logits are combined by a reproducible
/// fixed-grid sum (see `FixedGridSum`), so any rank count gives the same bits.
public struct ModularMLPModel: Model {
    public static let modelName = "modular-mlp"

    /// The model's key names.
    public enum Keys {
        public static let p = "p", hidden = "hidden", operation = "operation", trainFraction = "train_fraction"
        public static let initScale = "init_scale", lastLayerZeroInit = "last_layer_zero_init", learningRate = "learning_rate"
        public static let reduction = "reduction"
    }

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "two-layer ReLU MLP on a op b mod p (one-hot pairs, p logits, cross-entropy), Lyu et al. 2024 Fig. 2" }
    public var learningRateKey: String { Keys.learningRate }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.p, default: 97, in: 3...2039, rule: "must be a prime in [3, 2039]", trajectory: true,
                     summary: "the modulus p (prime): inputs are pairs of Z_p, outputs p logits"),
            .integer(Keys.hidden, default: 1024, in: 1...Int.max, trajectory: true, summary: "hidden width h (sharded over MPI ranks)"),
            .choice(Keys.operation, ModularData.Operation.allCases.map(\.rawValue), default: "add", trajectory: true,
                    summary: "the task: \"add\" a + b, \"subtract\" a - b, \"multiply\" a b or \"divide\" a / b mod p (b != 0)"),
            .number(Keys.trainFraction, default: 0.4, rule: "must be in (0, 1)", check: { $0 > 0 && $0 < 1 }, trajectory: true,
                    summary: "share of the pairs used for training (the rest is the test set)"),
            .number(Keys.initScale, default: 1, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "factor on the Kaiming-normal initial weights (alpha of Lyu et al.)"),
            ConfigKey(Keys.lastLayerZeroInit, .boolean, default: .boolean(false), trajectory: true,
                      summary: "start W2 at zero (used with a large init_scale, so the initial logits vanish)"),
            .number(Keys.learningRate, default: 0.002, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "learning rate"),
            .choice(Keys.reduction, ["exact", "fast"], default: "exact", trajectory: true,
                    summary: "\"exact\": logits bit-identical for any rank count (fixed-grid sums); \"fast\": one floating-point all-reduce, reproducible for a fixed rank count only"),
        ]
    }

    public var presets: [Preset] { ModularPresets.all }

    public var metrics: [Metric] { ModularMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (ModularMetrics.trainAccuracy, ModularMetrics.testAccuracy) }
    public var captionKeys: [String] {
        [Keys.p, Keys.hidden, Keys.operation, Keys.trainFraction, Keys.initScale, Keys.learningRate, DynamicsKeys.weightDecay, RunControlKeys.seed]
    }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(ModularMetrics.trainAccuracy, "train"), SummaryColumn(ModularMetrics.testAccuracy, "test"),
         SummaryColumn(ModularMetrics.margin, "margin"), SummaryColumn(ModularMetrics.parameterNorm, "||theta||"),
         SummaryColumn(ModularMetrics.neuronFourierCount, "freqs/neuron", decimals: 2)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy", yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(ModularMetrics.trainAccuracy, "train"), Line(ModularMetrics.testAccuracy, "test")]),
            MetricFigure(fileName: "loss.svg", title: "Cross-entropy", yLabel: "mean loss (nats)", logY: true,
                         lines: [Line(ModularMetrics.trainLoss, "train"), Line(ModularMetrics.testLoss, "test")]),
            MetricFigure(fileName: "margin.svg", title: "Unnormalised margin on the training pairs", yLabel: "min_i (f_y - max_{c != y} f_c)",
                         lines: [Line(ModularMetrics.margin, "margin")]),
            MetricFigure(fileName: "norms.svg", title: "Parameter norms", yLabel: "norm",
                         lines: [Line(ModularMetrics.firstLayerNorm, "||W1||"), Line(ModularMetrics.biasNorm, "||b1||", dashed: true),
                                 Line(ModularMetrics.secondLayerNorm, "||W2||"), Line(ModularMetrics.parameterNorm, "||theta||", dashed: true)]),
            MetricFigure(fileName: "fourier_count.svg", title: "Frequencies carrying 90% of W1's embedding power", yLabel: "frequencies",
                         lines: [Line(ModularMetrics.fourierCount, "all neurons together"),
                                 Line(ModularMetrics.neuronFourierCount, "per neuron (power-weighted mean)", dashed: true)]),
        ]
    }

    /// Neurons per tile: from the width alone, so every split sums the same tiles; h / 16 between 8 and 64. Every tile
    /// writes a whole n x p block of partial logits, so fewer, wider tiles are cheaper (measured: tiles of 16 at the
    /// paper's size cost 2.1x a fast step, tiles of 64 less); the price is at most h / 64 ranks for wide layers
    /// (16 for h = 1024) with the exact reduction. The fast reduction has no tiles and splits by neurons.
    public func tile(_ config: ExperimentConfig) -> Int {
        let h = config.integer(Keys.hidden)
        return min(h, max(8, min(64, h / 16)))
    }

    private func exact(_ config: ExperimentConfig) -> Bool { config.string(Keys.reduction) == "exact" }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.hidden) }

    public func partition(_ config: ExperimentConfig, parts: Int) -> WidthPartition {
        WidthPartition(width: width(config), parts: parts, granularity: exact(config) ? tile(config) : 1)
    }

    public func maximumRanks(_ config: ExperimentConfig) -> Int {
        exact(config) ? (width(config) + tile(config) - 1) / tile(config) : width(config)
    }

    public func widthDescription(_ config: ExperimentConfig) -> String {
        exact(config) ? "tiles of hidden neurons (h = \(width(config)): \(maximumRanks(config)) tiles of \(tile(config)))"
                      : "hidden neurons (h = \(width(config)))"
    }

    private func operation(_ config: ExperimentConfig) -> ModularData.Operation {
        ModularData.Operation(rawValue: config.string(Keys.operation))!
    }

    private func counts(_ config: ExperimentConfig) -> (train: Int, test: Int) {
        let p = config.integer(Keys.p), op = operation(config)
        let n = ModularData.trainCount(modulus: p, operation: op, fraction: config.number(Keys.trainFraction))
        return (n, ModularData.pairCount(modulus: p, operation: op) - n)
    }

    public func validate(_ config: ExperimentConfig) throws {
        let p = config.integer(Keys.p)
        if !ModularData.isPrime(p) { throw ConfigError("config: p must be a prime in [3, 2039] (got \(p))") }
        let (n, nTest) = counts(config)
        if n < 1 || nTest < 1 {
            throw ConfigError("config: train_fraction \(config.number(Keys.trainFraction)) leaves \(n) training and \(nTest) test pairs of p = \(p); both must be >= 1")
        }
        let h = config.integer(Keys.hidden)
        if SizeArithmetic.product(h, SizeArithmetic.sum(n, nTest), 3 * p, 8) == Int.max {
            throw ConfigError("config: hidden or p is too large: the arrays' element counts overflow")
        }
    }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let p = config.integer(Keys.p), h = config.integer(Keys.hidden)
        return [ParameterArray("W1", shape: [h, 2 * p], sharded: true,
                               "first layer: row k holds neuron k's weights on one-hot(a) (columns 0..p-1) and one-hot(b) (columns p..2p-1)"),
                ParameterArray("b1", shape: [h], sharded: true, "hidden bias b1"),
                ParameterArray("W2", shape: [h, p], sharded: true,
                               "second layer, transposed: row k holds neuron k's weights on the p logits (the paper's W2 is p x h)")]
    }

    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] {
        let (n, nTest) = counts(config)
        return [("n_train", Double(n)), ("n_test", Double(nTest)), ("tile", Double(tile(config))),
                ("weight_decay_time_scale", 1 / (config.number(Keys.learningRate) * config.number(DynamicsKeys.weightDecay)))]
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let (n, nTest) = counts(config)
        let lambda = config.number(DynamicsKeys.weightDecay), lr = config.number(Keys.learningRate)
        var lines = ["modular-mlp: \(config.string(Keys.operation)) mod \(config.integer(Keys.p)), \(n) training and \(nTest) test pairs, h = \(config.integer(Keys.hidden)), reduction \(config.string(Keys.reduction))"]
        if lambda > 0 { lines.append("weight-decay time scale 1/(lr lambda) = \(Int((1 / (lr * lambda)).rounded())) steps") }
        return lines
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        let (n, _) = counts(config)
        return "p=\(config.integer(Keys.p)) n=\(n) h=\(config.integer(Keys.hidden))"
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        typealias A = SizeArithmetic
        let p = config.integer(Keys.p), (n, nTest) = counts(config), size = config.elementSize
        let localTiles = (localWidth + tile(config) - 1) / tile(config)
        let parameters = A.product(localWidth, 3 * p + 1, size)
        let activations = A.product(localWidth, A.sum(n, nTest, n), size)
        let partials = A.product(localTiles, max(n, nTest), p, size)
        let logits = A.product(A.sum(n, nTest), p, 8 * 2)
        return ModelMemory(sharedData: 0, perRank: A.sum(parameters, activations, partials, logits, A.product(n, p, size)))
    }

    /// Three GEMMs of n x h x p a step (logits, dW2, dA); the gathers and the scatter are O(n h).
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        6 * Double(counts(config).train) * Double(config.integer(Keys.hidden)) * Double(config.integer(Keys.p))
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        ModularMLPShard<Scalar>(config: config, partition: partition(config, parts: communicator.size), part: communicator.rank,
                                tile: tile(config), globalTiles: (width(config) + tile(config) - 1) / tile(config))
    }
}
