import GrokSimCore

/// What a model's theory says about a sweep, drawn over its phase diagrams; each model provides what it has.
public protocol PhaseDiagramModel: Model {
    /// The theory's value of the sweep quantity `name` (see `RunQueue.quantities`) at `config`, or nil.
    func predictedSweepValue(_ name: String, config: ExperimentConfig) -> Double?
    /// The theory's conditions at `config`, each with whether it holds; plots draw where each starts to hold.
    func theoryConditions(_ config: ExperimentConfig) -> [(name: String, holds: Bool)]
    /// Quantities of this model a sweep summarises beyond the engine's (`RunQueue.quantities`).
    var sweepQuantities: [SweepQuantity] { get }
    /// The values of `sweepQuantities` for one run's recorded metrics (name -> column, rows at `steps`).
    func sweepValues(steps: [Int], metrics: [String: [Double]]) -> [Double]
}

extension PhaseDiagramModel {
    public func predictedSweepValue(_ name: String, config: ExperimentConfig) -> Double? { nil }
    public func theoryConditions(_ config: ExperimentConfig) -> [(name: String, holds: Bool)] { [] }
    public var sweepQuantities: [SweepQuantity] { [] }
    public func sweepValues(steps: [Int], metrics: [String: [Double]]) -> [Double] { [] }
}
