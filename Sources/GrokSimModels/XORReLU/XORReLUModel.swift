import Foundation
import GrokSimCore

/// The flagship: f(x; W) = sum_j a_j ReLU(<w_j, x>) on XOR cluster data with flipped labels (Xu et al., ICLR 2024).
///
/// Sharded along the m hidden neurons; the second layer a is fixed and regenerated from the seed; trained by
/// the dynamics with `alpha` as the learning rate (plain GD uses the network's fused GEMM step).
public struct XORReLUModel: Model {
    public static let modelName = "xor-relu"

    /// The model's key names.
    public enum Keys {
        public static let n = "n", p = "p", m = "m", nTest = "n_test", muNorm = "mu_norm", muNormFactor = "mu_norm_factor"
        public static let eta = "eta", alpha = "alpha", omega = "omega", secondLayer = "second_layer"
        public static let representation = "representation"
    }

    /// Neurons per GEMM tile: a multiple of every OpenBLAS kernel's register block, so padded ranks compute
    /// each neuron exactly as one rank does (see `TwoLayerReLUNetwork`).
    public static let gemmTile = 64

    public init() {}

    public var name: String { Self.modelName }
    public var summary: String { "two-layer ReLU network on XOR cluster data with flipped labels (Xu et al., ICLR 2024)" }
    public var learningRateKey: String { Keys.alpha }

    public var keys: [ConfigKey] {
        [
            .integer(Keys.n, default: 200, in: 1...Int.max, trajectory: true, summary: "number of training points"),
            .integer(Keys.p, default: 40_000, in: 2...Int.max,
                     rule: "must be an integer >= 2 (the two means need two orthogonal directions)", trajectory: true,
                     summary: "input dimension"),
            .integer(Keys.m, default: 1000, in: 1...Int.max, trajectory: true, summary: "number of hidden neurons (sharded over MPI ranks)"),
            .integer(Keys.nTest, default: 200, in: 1...Int.max, trajectory: true, summary: "number of clean test points"),
            .number(Keys.muNorm, default: nil, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    summary: "norm ||mu|| of each cluster mean (overrides mu_norm_factor)"),
            .number(Keys.muNormFactor, default: 2.5, rule: "must be a finite number >= 0", check: { $0 >= 0 }, trajectory: true,
                    unsets: Keys.muNorm, unusedWhenSet: Keys.muNorm,
                    summary: "c in ||mu|| = c * sqrt(p / n), used when mu_norm is not set"),
            .number(Keys.eta, default: 0.05, rule: "must be in [0, 0.5)", check: { $0 >= 0 && $0 < 0.5 }, trajectory: true,
                    summary: "probability that a training label is flipped"),
            .number(Keys.alpha, default: 1e-12, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "gradient-descent step size (the learning rate)"),
            .number(Keys.omega, default: 1e-15, rule: "must be a finite number > 0", check: { $0 > 0 }, trajectory: true,
                    summary: "standard deviation of the initial first-layer weights"),
            .choice(Keys.secondLayer, SecondLayer.allCases.map(\.rawValue), default: SecondLayer.iid.rawValue, trajectory: true,
                    summary: "\"iid\" random signs (paper) or \"balanced\" (exactly half positive)"),
            .choice(Keys.representation, Representation.allCases.map(\.rawValue), default: nil, trajectory: true,
                    summary: "\"explicit\" (vectors in R^p) or \"exact-reduced\" (same law in dimension min(p, 2+n+m), any p up to 2^53); "
                        + "default: explicit while data and weights fit in 4 GiB, else exact-reduced"),
        ]
    }

    public var presets: [Preset] { XORPresets.all }
    public var metrics: [Metric] { XORMetrics.all }
    public var progressMetrics: (train: Metric, test: Metric) { (XORMetrics.trainAccuracy, XORMetrics.testAccuracy) }
    public var captionKeys: [String] { [Keys.n, Keys.p, Keys.m, Keys.eta, Keys.alpha, Keys.omega, RunControlKeys.seed, RunControlKeys.precision] }

    public var summaryColumns: [SummaryColumn] {
        [SummaryColumn(XORMetrics.trainAccuracy, "train"), SummaryColumn(XORMetrics.trainAccuracyFlipped, "flipped"),
         SummaryColumn(XORMetrics.testAccuracy, "test")]
            + zip(XORMetrics.clusterAccuracy, ["+mu1", "-mu1", "+mu2", "-mu2"]).map { SummaryColumn($0.0, $0.1) }
            + [SummaryColumn(XORMetrics.trainLoss, "train loss", decimals: 5)]
    }

    public var figures: [MetricFigure] {
        typealias Line = MetricFigure.Line
        let clusters = zip(XORMetrics.clusterAccuracy, ["test +mu1", "test -mu1", "test +mu2", "test -mu2"]).map { Line($0.0, $0.1, dashed: true) }
        let abs = XORMetrics.absoluteProjections
        return [
            MetricFigure(fileName: "accuracy.svg", title: "Train and test accuracy (benign overfitting, then grokking)",
                         yLabel: "accuracy", yRange: 0...1.02,
                         lines: [Line(XORMetrics.trainAccuracy, "train (noisy labels)"),
                                 Line(XORMetrics.trainAccuracyFlipped, "train, flipped points", dashed: true),
                                 Line(XORMetrics.testAccuracy, "clean test")] + clusters),
            MetricFigure(fileName: "loss.svg", title: "Logistic loss (stays near log 2: the labels are fitted at tiny margins)",
                         yLabel: "mean logistic loss (nats)",
                         lines: [Line(XORMetrics.trainLoss, "train"), Line(XORMetrics.testLoss, "clean test")]),
            MetricFigure(fileName: "weight_norm.svg", title: "First-layer weight norm", yLabel: "||W||_F", logY: true,
                         lines: [Line(XORMetrics.weightNorm, "||W||_F")]),
            MetricFigure(fileName: "alignment.svg", title: "Feature learning: mean |<w_j, mu_k>| / ||mu|| by sign of a_j",
                         yLabel: "mean |projection|", logY: true,
                         lines: [Line(abs[0], "a_j > 0, on mu1"), Line(abs[1], "a_j > 0, on mu2", dashed: true),
                                 Line(abs[2], "a_j < 0, on mu1", dashed: true), Line(abs[3], "a_j < 0, on mu2")]),
        ]
    }

    public func resolveDerived(_ config: inout ExperimentConfig) {
        if config.value(Keys.representation) == nil {
            config.set(Keys.representation, .string(Representation.automatic(for: XORReLUSettings(config)).rawValue))
        }
    }

    public func validate(_ config: ExperimentConfig) throws {
        let settings = XORReLUSettings(config)
        if settings.resolvedRepresentation == .exactReduced && settings.p > ChiDistribution.maximumDegreesOfFreedom {
            throw ConfigError("config: p must be at most 2^53 = 9007199254740992 (chi draws are exact up to there) (got \(settings.p))")
        }
        if settings.resolvedRepresentation == .exactReduced {
            // The reduction is exact because GD (with weight decay) is rotation invariant and keeps every w_j in
            // span{mu, x_i, w_j(0)}; Adam's per-coordinate scaling and isotropic noise in R^p are neither.
            let dynamics = DynamicsSettings(config, learningRateKey: learningRateKey)
            if dynamics.optimizer != .gd {
                throw ConfigError("config: optimizer must be \"gd\" with representation = \"exact-reduced\" (Adam is not rotation "
                                  + "invariant, so the reduced basis would change the trajectory's law); set representation=explicit "
                                  + "(got \"\(dynamics.optimizer.rawValue)\")")
            }
            if dynamics.temperature > 0 {
                throw ConfigError("config: temperature must be 0 with representation = \"exact-reduced\" (Langevin noise in R^p "
                                  + "leaves the span the reduced basis keeps); set representation=explicit (got \(dynamics.temperature))")
            }
        }
        let d = settings.weightDimension
        // Every element count and the bytes of the largest arrays must fit an Int (memory() computes them).
        let bytes = SizeArithmetic.product(SizeArithmetic.sum(settings.n, settings.nTest, settings.m, 2 * Self.gemmTile), d, 8)
        if bytes == Int.max {
            throw ConfigError("config: n, m, n_test or p is too large: the arrays' element counts overflow "
                              + "(got \(settings.n), \(settings.m), \(settings.nTest), \(settings.p))")
        }
    }

    public func width(_ config: ExperimentConfig) -> Int { config.integer(Keys.m) }
    public func partition(_ config: ExperimentConfig, parts: Int) -> WidthPartition {
        WidthPartition(width: width(config), parts: parts, granularity: Self.gemmTile)
    }
    public func widthDescription(_ config: ExperimentConfig) -> String { "neurons (m = \(config.integer(Keys.m)))" }

    public func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray] {
        let settings = XORReLUSettings(config)
        return [ParameterArray("W", shape: [settings.m, settings.weightDimension], sharded: true,
                               "first-layer weights W^(t): row j is neuron j's weight vector w_j" + settings.resolvedRepresentation.rowsNote)]
    }

    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] {
        let a = TwoLayerReLUNetwork<Double>.drawSecondLayer(config: XORReLUSettings(config))
        return [NamedArray("a", shape: [a.count], values: .float64(a), "second-layer weights a_j = +-1/sqrt(m), fixed during training")]
    }

    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] {
        var attributes: [(String, AttributeGroup.Value)] = []
        for check in TheoremAssumptions.evaluate(XORReLUSettings(config), constant: 1) {
            attributes += [("\(check.name)_statement", .text(check.statement)), ("\(check.name)_left", .number(check.left)),
                           ("\(check.name)_right", .number(check.right)), ("\(check.name)_holds", .integer(check.holds ? 1 : 0))]
        }
        return [AttributeGroup("assumptions", description: "the theorem's assumptions (A1)-(A6) at C = 1 for this config: "
                               + "left and right side and whether each holds", attributes: [("constant", .number(1))] + attributes)]
    }

    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] {
        [("mu_norm_resolved", XORReLUSettings(config).resolvedMuNorm)]
    }

    public func runAttributes(_ config: ExperimentConfig) -> [(String, String)] {
        let settings = XORReLUSettings(config)
        return [("representation", settings.resolvedRepresentation.rawValue),
                ("representation_description", Representation.description(settings))]
    }

    public func runDescription(_ config: ExperimentConfig) -> String {
        "GrokSim run: two-layer ReLU network trained by full-batch GD on XOR cluster data with flipped labels (Xu et al., ICLR 2024)"
    }

    public func sizeSummary(_ config: ExperimentConfig) -> String {
        let s = XORReLUSettings(config)
        return "n=\(s.n) p=\(s.p) m=\(s.m)"
    }

    public func bannerLines(_ config: ExperimentConfig) -> [String] {
        let s = XORReLUSettings(config)
        return ["representation \(s.resolvedRepresentation.rawValue)"
                    + (s.resolvedRepresentation == .exactReduced ? " (vectors of dimension \(s.weightDimension) instead of p)" : ""),
                TheoremAssumptions.summary(TheoremAssumptions.evaluate(s), constant: 1)]
    }

    public func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory {
        let s = XORReLUSettings(config)
        let size = s.elementSize, d = s.weightDimension
        typealias A = SizeArithmetic
        let data = A.product(A.sum(A.product(s.n, s.trainDimension), A.product(s.nTest, d)), size)
        // Rows are padded to whole GEMM tiles (up to two partial tiles a rank).
        let rows = min(A.sum(localWidth, 2 * Self.gemmTile), A.sum(s.m, Self.gemmTile))
        let local = A.sum(A.product(rows, d, size), A.product(A.sum(s.n, s.nTest), rows, size))
        let sums = A.product(A.sum(s.n, s.nTest), ExactAccumulator.slotsPerSum, 8)
        return ModelMemory(sharedData: data, perRank: A.sum(local, sums))
    }

    /// Two GEMMs over the k columns the training data touch (k = p explicit, min(p, 2+n) reduced).
    public func flopsPerStep(_ config: ExperimentConfig) -> Double {
        let s = XORReLUSettings(config)
        return 4 * Double(s.n) * Double(s.trainDimension) * Double(s.m)
    }

    public func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar> {
        let settings = XORReLUSettings(config)
        // Ranks on one node share one copy of the data, which every rank reads and none changes.
        let elementSize = MemoryLayout<Scalar>.stride
        let trainMemory = communicator.nodeSharedBuffer(bytes: settings.n * settings.trainDimension * elementSize)
        let testMemory = communicator.nodeSharedBuffer(bytes: settings.nTest * settings.weightDimension * elementSize)
        let train = XORClusterData<Scalar>.trainingSet(config: settings, shared: trainMemory)
        let test = XORClusterData<Scalar>.testSet(config: settings, shared: testMemory)
        communicator.nodeBarrier()
        return TwoLayerReLUNetwork(config: settings, partition: partition(config, parts: communicator.size),
                                   part: communicator.rank, train: train, test: test)
    }
}
