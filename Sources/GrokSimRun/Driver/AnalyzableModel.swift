import GrokSimCore
import GrokSimHDF5

/// What `groksim analyze`, `check` and `plot` may ask of a model beyond its metrics; each model provides what it has.
public protocol AnalyzableModel: Model {
    /// Analyses one run file (storing the results under `/analysis`) and returns the text to print.
    func analyze(runPath: String, options: AnalysisOptions) throws -> String
    /// Analyses every seed of an ensemble index and returns the text to print.
    func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String
    /// Figures drawn from a run file's `/analysis` (empty when it has none).
    func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure]
    /// What `analyze` computes for this model, for `groksim analyze --help`.
    var analysisHelp: String { get }
    /// The assumptions `check` evaluates, for `groksim check --help`, or nil when the model states none.
    var assumptionsHelp: String? { get }
    /// The report of a theory's assumptions for `config`, with constant `constant`, or nil when the model has none.
    func assumptionsReport(_ config: ExperimentConfig, constant: Double) -> String?
}

extension AnalyzableModel {
    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] { [] }
    public func assumptionsReport(_ config: ExperimentConfig, constant: Double) -> String? { nil }
    public var assumptionsHelp: String? { nil }
}

/// Options of `groksim analyze`; a model reads those that apply to it.
public struct AnalysisOptions: Sendable {
    /// Checkpoint steps for pictures of the predictor (XOR: the decision boundary); nil: the model's choice.
    public var boundarySteps: [Int]?
    public var gridSize = 101
    /// Test accuracy that defines the grokking step.
    public var grokThreshold = 0.95
    public var overwrite = false

    public init() {}
}
