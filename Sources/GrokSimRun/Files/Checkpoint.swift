import Foundation
import GrokSimCore
import GrokSimHDF5

/// Metric rows recorded so far: row k holds the metrics of W^(steps[k]).
public struct MetricRows: Sendable {
    public var steps: [Int] = []
    public var rows: [[Double]] = []
    public var wallTimes: [Double] = []

    public init() {}

    public mutating func append(step: Int, values: [Double], wallTime: Double) {
        steps.append(step)
        rows.append(values)
        wallTimes.append(wallTime)
    }

    /// The rows of steps before `step`.
    public func before(_ step: Int) -> MetricRows {
        var kept = MetricRows()
        for k in steps.indices where steps[k] < step {
            kept.append(step: steps[k], values: rows[k], wallTime: wallTimes[k])
        }
        return kept
    }
}

/// One checkpoint file, `RUN.checkpoints/step_%08d.h5`: everything needed to continue the run from step `step`.
///
/// Layout: root attributes `format = "groksim-checkpoint"`, `format_version`, `step`, `config` (the resolved
/// config as a config file), `model`, `precision`, `wall_time`, `save_data`, `software_version` and, written last,
/// `complete = 1`; one dataset per parameter array of the model (for the XOR model `/W`, m × d, full
/// precision), the model's fixed arrays (checked against the ones regenerated from the seed), with Adam
/// `/optimizer/<array>_first_moment` and `_second_moment`, and `/metrics/...` (the metric rows of the steps before `step`).
/// It is written under a temporary name, closed, fsynced and renamed, so a file with the final name is whole.
public enum Checkpoint {
    public static let format = "groksim-checkpoint"
    public static let formatVersion = 1

    /// The directory holding the checkpoint files of run file `runPath`.
    public static func directory(ofRun runPath: String) -> String { runPath + ".checkpoints" }

    public static func fileName(step: Int) -> String { String(format: "step_%08d.h5", step) }

    /// The step encoded in a checkpoint file name, or nil for other names.
    public static func step(ofFileName name: String) -> Int? {
        guard name.hasPrefix("step_"), name.hasSuffix(".h5"), name.count == 16 else { return nil }
        return Int(name.dropFirst(5).dropLast(3))
    }

    /// Writes the checkpoint of `step` atomically into `directory` and returns its path.
    static func write<Scalar: HDF5Scalar>(directory: String, step: Int, parameters: [[Scalar]],
                                          optimizerState: (first: [[Double]], second: [[Double]])?, config: ExperimentConfig, runID: String,
                                          fixedArrays: [NamedArray], metrics: MetricRows, wallTime: Double, saveData: Bool,
                                          softwareVersion: String, sampling: SamplingStart? = nil) throws -> String {
        let model = ModelRegistry.model(of: config)
        let arrays = model.parameterArrays(config)
        precondition(arrays.count == parameters.count)
        let path = directory + "/" + fileName(step: step)
        let temporary = path + ".tmp"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        do {
            let root = file.root
            try root.setAttribute("format", format)
            try root.setAttribute("format_version", formatVersion)
            try root.setAttribute("description", "GrokSim checkpoint: the parameters at step t and everything needed to resume the run from step t")
            try root.setAttribute("step", step)
            try root.setAttribute("model", config.model)
            try root.setAttribute("run_id", runID)
            try root.setAttribute("config", ConfigLoader.render(config))
            try root.setAttribute("precision", config.precision.rawValue)
            try root.setAttribute("wall_time", wallTime)
            try root.setAttribute("save_data", saveData ? 1 : 0)
            try root.setAttribute("software_version", softwareVersion)
            for (name, value) in model.runAttributes(config) { try root.setAttribute(name, value) }
            if let sampling {
                try root.setAttribute("langevin_sampling_start", sampling.step)
                try root.setAttribute("gd_loss_target_reached", sampling.targetReached ? 1 : 0)
            }
            for (array, values) in zip(arrays, parameters) {
                let rows = array.shape.first ?? 1, rowLength = array.rowLength
                let chunkRows = max(1, min(rows, (1 << 20) / max(1, rowLength * MemoryLayout<Scalar>.size)))
                let dataset = try root.createDataset(array.name, of: Scalar.self, shape: array.shape,
                                                     chunk: [chunkRows] + Array(array.shape.dropFirst()))
                try dataset.setAttribute("description", array.description)
                try dataset.setAttribute("units", array.units)
                // Two halves with a flush between them, so crash tests can stop a checkpoint mid-write.
                let half = rows / 2
                try values.withUnsafeBufferPointer { buffer in
                    try dataset.writeRows(UnsafeBufferPointer(rebasing: buffer[0 ..< half * rowLength]), rowOffset: 0, rowCount: half)
                    try file.flush()
                    TestHooks.crashPoint("checkpoint-write", step: step)
                    TestHooks.sleepInCheckpoint()
                    try dataset.writeRows(UnsafeBufferPointer(rebasing: buffer[half * rowLength ..< rows * rowLength]),
                                          rowOffset: half, rowCount: rows - half)
                }
            }
            for array in fixedArrays { try root.write(array) }
            if let optimizerState {
                let group = try root.createGroup("optimizer")
                try group.setAttribute("description", "the Adam moments of every parameter, needed to resume bit-identically")
                for (k, array) in arrays.enumerated() {
                    try group.writeDescribed("\(array.name)_first_moment", optimizerState.first[k], shape: array.shape,
                                             description: "Adam's first moment m of \(array.name)")
                    try group.writeDescribed("\(array.name)_second_moment", optimizerState.second[k], shape: array.shape,
                                             description: "Adam's second moment v of \(array.name)")
                }
            }
            try RunFile.writeMetrics(metrics, metricList: model.metrics, into: try root.createGroup("metrics"), extendable: false)
            try root.setAttribute("complete", 1)
            try file.close()
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        TestHooks.crashPoint("checkpoint-synced", step: step)
        try DurableFile.publish(temporary, as: path, durable: true)
        return path
    }

    /// What a verified checkpoint file holds, apart from its weights.
    public struct Info: Sendable {
        public init(path: String, step: Int, config: ExperimentConfig, metrics: MetricRows, wallTime: Double, saveData: Bool) {
            self.path = path; self.step = step; self.config = config; self.metrics = metrics; self.wallTime = wallTime; self.saveData = saveData
        }
        public let path: String
        public let step: Int
        public let config: ExperimentConfig
        public let metrics: MetricRows
        public let wallTime: Double
        public let saveData: Bool
        /// Where the Langevin phases started, when they had started before this step.
        public var sampling: SamplingStart? = nil
    }

    /// The step at which a `LangevinSchedule`'s sampling began, and whether GD had reached its loss target there.
    public struct SamplingStart: Sendable, Equatable {
        public let step: Int
        public let targetReached: Bool
        public init(step: Int, targetReached: Bool) {
            self.step = step
            self.targetReached = targetReached
        }
    }

    /// Opens and checks a checkpoint file against the run's config; the error says what is wrong in one line.
    public static func verify(path: String, runConfig: ExperimentConfig, runID: String? = nil) throws -> Info {
        let name = (path as NSString).lastPathComponent
        func fail(_ reason: String) -> RunFileError { RunFileError("checkpoint '\(path)' \(reason)") }
        let file: HDF5File
        do { file = try HDF5File.open(path: path, writable: false) } catch {
            throw fail("cannot be opened: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        defer { try? file.close() }
        let root = file.root
        guard let formatText = try? root.attribute("format", as: String.self), formatText == format else {
            throw fail("is not a GrokSim checkpoint (no format = \"\(format)\" attribute)")
        }
        if let problem = FormatVersion.problem(root, kind: "checkpoint", newest: formatVersion) { throw fail(problem) }
        guard (try? root.attribute("complete", as: Int.self)) == 1 else { throw fail("is incomplete (no complete = 1 marker)") }
        guard let step = try? root.attribute("step", as: Int.self), step >= 0 else { throw fail("has no step attribute") }
        if let named = Self.step(ofFileName: name), named != step {
            throw fail("holds step \(step) but is named for step \(named)")
        }
        guard let configText = try? root.attribute("config", as: String.self) else { throw fail("has no config attribute") }
        let config: ExperimentConfig
        do { config = try ConfigLoader.parseResolved(configText, name: name) } catch {
            throw fail("has an unreadable config: \(error)")
        }
        if let key = ResumeKeys.firstTrajectoryDifference(config, runConfig) {
            throw fail("belongs to a different experiment: \(key) is \(ResumeKeys.show(key, config)) there but \(ResumeKeys.show(key, runConfig)) in the run file")
        }
        // Same experiment, other run (a rerun with --force, or a hand-made copy's original): never mixed in.
        if let runID, let own = try? root.attribute("run_id", as: String.self), own != runID {
            throw fail("belongs to another run (run_id \(own); the run file's is \(runID))")
        }
        do {
            let model = ModelRegistry.model(of: config)
            let expectedType: HDF5ScalarType = config.precision == .float64 ? .float64 : .float32
            for array in model.parameterArrays(config) {
                guard try root.exists(array.name) else { throw fail("has no parameter array '\(array.name)'") }
                let dataset = try root.openDataset(array.name)
                let shape = try dataset.shape
                guard shape == array.shape else {
                    throw fail("has \(array.name) of shape \(shape.map(String.init).joined(separator: " x ")) but its config says "
                               + array.shape.map(String.init).joined(separator: " x "))
                }
                guard try dataset.elementType == expectedType else {
                    throw fail("has \(array.name) of type \(try dataset.elementTypeDescription) but its config says precision = \(config.precision.rawValue)")
                }
            }
            for fixed in model.fixedArrays(config) {
                guard try root.exists(fixed.name) else { throw fail("has no fixed array '\(fixed.name)'") }
                let stored = try root.openDataset(fixed.name)
                guard try stored.shape == fixed.shape else { throw fail("has \(fixed.name) of shape \(try stored.shape) but the model expects \(fixed.shape)") }
                guard try stored.read(as: Double.self) == fixed.doubles else {
                    throw fail("has fixed array \(fixed.name) that differs from the one its seed generates")
                }
            }
            let hasState = DynamicsSettings(config, learningRateKey: model.learningRateKey).optimizer == .adam
            if hasState, !(try root.exists("optimizer")) { throw fail("has no /optimizer state, which its optimizer needs") }
            let metrics = try RunFile.readMetrics(from: root.openGroup("metrics"), metricList: model.metrics)
            guard metrics.steps.allSatisfy({ $0 < step }), zip(metrics.steps, metrics.steps.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("has metric rows that are not increasing steps before \(step)")
            }
            let wallTime = (try? root.attribute("wall_time", as: Double.self)) ?? 0
            let saveData = (try? root.attribute("save_data", as: Int.self)) == 1
            var info = Info(path: path, step: step, config: config, metrics: metrics, wallTime: wallTime, saveData: saveData)
            if let start = try? root.attribute("langevin_sampling_start", as: Int.self) {
                info.sampling = SamplingStart(step: start, targetReached: (try? root.attribute("gd_loss_target_reached", as: Int.self)) == 1)
            }
            return info
        } catch let error as RunFileError {
            throw error
        } catch {
            throw fail("is damaged: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }

    /// Reads this rank's part of every parameter array (and of the Adam moments when `optimizerState`), in the
    /// canonical local layout of `layout`.
    public static func readLocal<Scalar: HDF5Scalar>(path: String, layout: ShardLayout, optimizerState: Bool,
                                                     as type: Scalar.Type) throws -> (parameters: [Scalar], first: [Double], second: [Double]) {
        let file = try HDF5File.open(path: path, writable: false)
        defer { try? file.close() }
        var parameters: [Scalar] = [], first: [Double] = [], second: [Double] = []
        for array in layout.arrays {
            let rows = array.sharded ? layout.partition.range(of: layout.part) : 0 ..< (array.shape.first ?? 1)
            parameters += try file.root.openDataset(array.name).readRows(offset: rows.lowerBound, count: rows.count, as: Scalar.self)
            if optimizerState {
                first += try file.root.openDataset("optimizer/\(array.name)_first_moment").readRows(offset: rows.lowerBound, count: rows.count, as: Double.self)
                second += try file.root.openDataset("optimizer/\(array.name)_second_moment").readRows(offset: rows.lowerBound, count: rows.count, as: Double.self)
            }
        }
        return (parameters, first, second)
    }
}

/// Which config keys a resume may change: those that only affect the future of the run (`ConfigKey.trajectory` is false).
public enum ResumeKeys {
    /// Keys of `config`'s model that affect only what happens next; a resume accepts and records them.
    public static func future(_ config: ExperimentConfig) -> [String] {
        ModelRegistry.model(of: config).allKeys.filter { !$0.trajectory }.map(\.name)
    }

    /// Keys that are future-only for every model (for help texts).
    public static var futureForEveryModel: [String] {
        RunControlKeys.all.filter { !$0.trajectory }.map(\.name)
    }

    public static func show(_ key: String, _ config: ExperimentConfig) -> String {
        if key == RunControlKeys.model { return "\"\(config.model)\"" }
        return config.value(key).map { "\($0)" } ?? "unset"
    }

    /// The first trajectory key whose value differs, or nil (every trajectory key is compared, so a new key
    /// cannot be forgotten here).
    public static func firstTrajectoryDifference(_ a: ExperimentConfig, _ b: ExperimentConfig) -> String? {
        if a.model != b.model { return RunControlKeys.model }
        let model = ModelRegistry.model(of: a)
        let rendered = { (config: ExperimentConfig) in Dictionary(ConfigLoader.renderedValues(config).map { ($0.0.name, $0.1) }, uniquingKeysWith: { x, _ in x }) }
        let left = rendered(a), right = rendered(b)
        return model.allKeys.first { $0.trajectory && left[$0.name] != right[$0.name] }?.name
    }
}
