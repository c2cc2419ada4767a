/// A system GrokSim can train: its keys, presets, metrics and parameter layout, and a factory for its per-rank shards.
///
/// This is the seam between the engine and the models (as a molecular-dynamics code keeps each potential
/// behind one force interface): `Simulation`, the dynamics, run files, resume, ensembles, the summary,
/// bench and the figures only ever talk to a `Model` and its `ModelShard`s. A new model is one folder that
/// conforms to this protocol and one line in the registry.
public protocol Model: Sendable {
    /// The registry name, the value of the `model` key.
    var name: String { get }
    /// One line for `groksim presets` and the run file's description.
    var summary: String { get }
    /// The model's own keys (the run-control and dynamics keys are added by the engine).
    var keys: [ConfigKey] { get }
    /// The name of the model's key that is the dynamics' learning rate (for example "alpha").
    var learningRateKey: String { get }
    /// The named configurations users start from.
    var presets: [Preset] { get }
    /// Every metric, in the order of a metrics row.
    var metrics: [Metric] { get }
    /// The train and test metrics the progress line and ensemble messages show.
    var progressMetrics: (train: Metric, test: Metric) { get }
    var summaryColumns: [SummaryColumn] { get }
    var figures: [MetricFigure] { get }
    /// Keys the figure captions state.
    var captionKeys: [String] { get }

    /// Fills values derived from others (an automatic choice); called once all keys are set.
    func resolveDerived(_ config: inout ExperimentConfig)
    /// Checks rules that involve several keys; the error names the key and the rule in one line.
    func validate(_ config: ExperimentConfig) throws
    /// Length of the dimension the parameters are sharded along.
    func width(_ config: ExperimentConfig) -> Int
    /// How the width is split over `parts` ranks (models whose products run on tiles split on whole tiles).
    func partition(_ config: ExperimentConfig, parts: Int) -> WidthPartition
    /// The most ranks that can share one run (the width, or the number of tiles a model never splits).
    func maximumRanks(_ config: ExperimentConfig) -> Int
    /// What the width counts, for messages ("neurons (m = 1000)").
    func widthDescription(_ config: ExperimentConfig) -> String
    /// The trainable arrays, in the order of a shard's canonical local layout.
    func parameterArrays(_ config: ExperimentConfig) -> [ParameterArray]
    /// Fixed arrays regenerated from the seed, written under `/model` and into every checkpoint (and checked there).
    func fixedArrays(_ config: ExperimentConfig) -> [NamedArray]
    /// Model-specific groups of attributes for the run file (for example `/assumptions`).
    func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup]
    /// Values derived from the config, stored beside it in `/config` (for example a norm set through a factor).
    func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)]
    /// Extra root attributes of the run file, such as how vectors are represented.
    func runAttributes(_ config: ExperimentConfig) -> [(String, String)]
    /// Lines printed when a run starts, after the generic one.
    func bannerLines(_ config: ExperimentConfig) -> [String]
    /// One line describing the run, as written to the run file.
    func runDescription(_ config: ExperimentConfig) -> String
    /// A short list of the sizes that matter, for the start-of-run line ("n=200 p=40000 m=1000").
    func sizeSummary(_ config: ExperimentConfig) -> String
    /// Memory one rank with `localWidth` of the width needs, split into data shared by the ranks of a node and the rest.
    func memory(_ config: ExperimentConfig, localWidth: Int) -> ModelMemory
    /// Floating-point operations of one training step (the bench's lower bound on the work).
    func flopsPerStep(_ config: ExperimentConfig) -> Double
    /// Builds this rank's shard: its data and its block of the parameters at step 0.
    func makeShard<Scalar: BLASScalar>(_ config: ExperimentConfig, communicator: Communicator) -> any ModelShard<Scalar>
}

/// Bytes a model needs on one rank.
public struct ModelMemory: Sendable {
    /// Data every rank of a node reads from one shared copy.
    public var sharedData: Int
    /// The rank's own parameters, activations and buffers.
    public var perRank: Int

    public init(sharedData: Int, perRank: Int) {
        self.sharedData = sharedData
        self.perRank = perRank
    }
}

extension Model {
    public func resolveDerived(_ config: inout ExperimentConfig) {}
    public func partition(_ config: ExperimentConfig, parts: Int) -> WidthPartition {
        WidthPartition(width: width(config), parts: parts)
    }
    public func maximumRanks(_ config: ExperimentConfig) -> Int { width(config) }
    public func validate(_ config: ExperimentConfig) throws {}
    public func fixedArrays(_ config: ExperimentConfig) -> [NamedArray] { [] }
    public func attributeGroups(_ config: ExperimentConfig) -> [AttributeGroup] { [] }
    public func resolvedValues(_ config: ExperimentConfig) -> [(String, Double)] { [] }
    public func runAttributes(_ config: ExperimentConfig) -> [(String, String)] { [] }
    public func bannerLines(_ config: ExperimentConfig) -> [String] { [] }
    public func runDescription(_ config: ExperimentConfig) -> String { "GrokSim run: \(summary)" }
    public var captionKeys: [String] { [] }

    /// Every key of a config of this model, in the order they are documented and rendered: the model key,
    /// the model's keys, the dynamics' keys, then the run control's.
    public var allKeys: [ConfigKey] {
        [RunControlKeys.modelKey] + keys + DynamicsKeys.all + RunControlKeys.all
    }

    /// The key named `name` among `allKeys`, or nil.
    public func key(_ name: String) -> ConfigKey? {
        allKeys.first { $0.name == name }
    }

    /// The whole parameter count, over every array.
    public func parameterCount(_ config: ExperimentConfig) -> Int {
        parameterArrays(config).reduce(0) { SizeArithmetic.sum($0, $1.count) }
    }
}
