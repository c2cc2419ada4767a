import Foundation
import GrokSimCore
import GrokSimHDF5

/// One run of a sweep or an ensemble: its config (seed included) and its run file.
public struct QueuedRun: Sendable {
    /// Row of the run in the index.
    public let row: Int
    /// The sweep point (0 for an ensemble).
    public let point: Int
    public let config: ExperimentConfig
    public let path: String

    public init(row: Int, point: Int, config: ExperimentConfig, path: String) {
        self.row = row
        self.point = point
        self.config = config
        self.path = path
    }
}

/// Where a run stands, read from its run file and its lock.
public enum RunStatus: Int64, Sendable, CaseIterable {
    case pending = 0, running = 1, stopped = 2, complete = 3, diverged = 4, failed = 5

    public var name: String { String(describing: self) }

    /// The codes as stored in the index's `status` dataset.
    public static var legend: String { allCases.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") }

    /// Whether the queue has nothing more to do for a run in this state.
    public var isFinal: Bool { self == .complete || self == .diverged }
}

/// The shared queue of a sweep or an ensemble: runs in a fixed order, claimed one at a time through their
/// run locks, so that groups of ranks (and even separate jobs) never run the same one and a group that
/// finishes early takes the next unfinished run.
///
/// There is no dispatcher: a group claims a run by creating its `RUN.lock` exclusively (the lock every
/// writer of a run file takes), then reads the run file; a run that is complete or diverged is released
/// and skipped, a stopped or killed one resumes from its checkpoint, a missing one starts. The order puts
/// the costliest runs first so the last runs to start are short ones (the idle tail stays small).
public enum RunQueue {
    /// The order in which groups try the runs: estimated cost (flops per step × steps) descending, ties by row.
    public static func order(_ runs: [QueuedRun]) -> [QueuedRun] {
        func cost(_ run: QueuedRun) -> Double {
            ModelRegistry.model(of: run.config).flopsPerStep(run.config) * Double(max(1, run.config.steps))
        }
        return runs.map { ($0, cost($0)) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.row < $1.0.row }.map(\.0)
    }

    /// The state of a run from its files; `checkLock` false when the caller holds the lock itself.
    public static func status(of run: QueuedRun, checkLock: Bool = true) -> RunStatus {
        if checkLock && RunLock.isHeld(runPath: run.path) { return .running }
        guard FileManager.default.fileExists(atPath: run.path) else { return .pending }
        guard let reader = try? RunFileReader(path: run.path) else { return .failed }
        defer { try? reader.file.close() }
        let stepsCompleted = (try? reader.file.root.attribute("steps_completed", as: Int.self)) ?? -1
        switch reader.attribute("status") {
        case "complete": return stepsCompleted == run.config.steps ? .complete : .stopped
        case "diverged": return .diverged
        case "stopped", "running": return .stopped
        default: return .failed
        }
    }

    /// The quantities every sweep summarises for any model: when the train and test accuracies (the model's
    /// progress metrics) first reach their thresholds, and the final value of each summary column.
    public static func quantities(of model: any Model) -> [SweepQuantity] {
        [SweepQuantity(name: "memorisation_step", description: "first recorded step with \(model.progressMetrics.train.name) = 1 "
                        + "(NaN: never)", units: "steps"),
         SweepQuantity(name: "grokking_step", description: "first recorded step with \(model.progressMetrics.test.name) >= 0.95 "
                        + "(NaN: never)", units: "steps")]
            + model.summaryColumns.map {
                SweepQuantity(name: "final_" + $0.metric.name, description: "\($0.metric.description) at the last step",
                              units: $0.metric.units)
            }
            + ((model as? any PhaseDiagramModel)?.sweepQuantities ?? [])
    }

    /// The values of `quantities(of:)` for one run file (NaN where the file has no metrics).
    public static func summaryValues(runPath: String, model: any Model) -> [Double] {
        let names = quantities(of: model).map(\.name)
        guard let reader = try? RunFileReader(path: runPath) else { return names.map { _ in .nan } }
        defer { try? reader.file.close() }
        guard let (steps, values) = try? reader.metrics(), !steps.isEmpty else { return names.map { _ in .nan } }
        func firstStep(_ metric: String, _ reached: (Double) -> Bool) -> Double {
            guard let column = values[metric], let index = column.firstIndex(where: reached) else { return .nan }
            return Double(steps[index])
        }
        var result = [firstStep(model.progressMetrics.train.name) { $0 >= 1 },
                      firstStep(model.progressMetrics.test.name) { $0 >= 0.95 }]
        result += model.summaryColumns.map { values[$0.metric.name]?.last ?? .nan }
        if let own = model as? any PhaseDiagramModel { result += own.sweepValues(steps: steps, metrics: values) }
        return result
    }
}

/// A number the index summarises per run and per point.
public struct SweepQuantity: Sendable {
    public let name: String
    public let description: String
    public let units: String

    public init(name: String, description: String, units: String) {
        self.name = name
        self.description = description
        self.units = units
    }
}
