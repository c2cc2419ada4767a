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

/// One checkpoint file, `RUN.checkpoints/step_%08d.h5`: everything needed to continue the run from W^(step).
///
/// Layout: root attributes `format = "groksim-checkpoint"`, `format_version`, `step`, `config` (the resolved
/// config as a config file), `precision`, `wall_time`, `save_data`, `software_version` and, written last,
/// `complete = 1`; datasets `/W` (m × p, full precision), `/a` (the m second-layer weights, checked against
/// the ones regenerated from the seed) and `/metrics/...` (the metric rows of the steps before `step`).
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
    static func write<Scalar: HDF5Scalar>(directory: String, step: Int, weights: [Scalar], config: ExperimentConfig,
                                          secondLayer: [Double], metrics: MetricRows, wallTime: Double, saveData: Bool,
                                          softwareVersion: String) throws -> String {
        let path = directory + "/" + fileName(step: step)
        let temporary = path + ".tmp"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        do {
            let root = file.root
            try root.setAttribute("format", format)
            try root.setAttribute("format_version", formatVersion)
            try root.setAttribute("description", "GrokSim checkpoint: the weights W^(t) and everything needed to resume the run from step t")
            try root.setAttribute("step", step)
            try root.setAttribute("config", ConfigLoader.render(config))
            try root.setAttribute("precision", config.precision.rawValue)
            try root.setAttribute("wall_time", wallTime)
            try root.setAttribute("save_data", saveData ? 1 : 0)
            try root.setAttribute("software_version", softwareVersion)
            let m = config.m, p = config.weightDimension
            let chunkRows = max(1, min(m, (1 << 20) / max(1, p * MemoryLayout<Scalar>.size)))
            let w = try root.createDataset("W", of: Scalar.self, shape: [m, p], chunk: [chunkRows, p])
            try w.setAttribute("description", "first-layer weights W^(t): row j is neuron j's weight vector w_j"
                               + config.resolvedRepresentation.rowsNote)
            try root.setAttribute("representation", config.resolvedRepresentation.rawValue)
            try w.setAttribute("units", "1")
            let half = m / 2
            try weights.withUnsafeBufferPointer { buffer in
                try w.writeRows(UnsafeBufferPointer(rebasing: buffer[0 ..< half * p]), rowOffset: 0, rowCount: half)
                try file.flush()
                TestHooks.crashPoint("checkpoint-write", step: step)
                TestHooks.sleepInCheckpoint()
                try w.writeRows(UnsafeBufferPointer(rebasing: buffer[half * p ..< m * p]), rowOffset: half, rowCount: m - half)
            }
            let a = try root.createDataset("a", of: Double.self, shape: [secondLayer.count])
            try a.write(secondLayer)
            try a.setAttribute("description", "second-layer weights a_j = +-1/sqrt(m), fixed during training")
            try a.setAttribute("units", "1")
            try RunFile.writeMetrics(metrics, into: try root.createGroup("metrics"), extendable: false)
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
    }

    /// Opens and checks a checkpoint file against the run's config; the error says what is wrong in one line.
    public static func verify(path: String, runConfig: ExperimentConfig) throws -> Info {
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
        let version = (try? root.attribute("format_version", as: Int.self)) ?? -1
        guard version >= 1 && version <= formatVersion else {
            throw fail("has checkpoint format version \(version); this groksim reads versions 1 to \(formatVersion)")
        }
        guard (try? root.attribute("complete", as: Int.self)) == 1 else { throw fail("is incomplete (no complete = 1 marker)") }
        guard let step = try? root.attribute("step", as: Int.self), step >= 0 else { throw fail("has no step attribute") }
        if let named = Self.step(ofFileName: name), named != step {
            throw fail("holds step \(step) but is named for step \(named)")
        }
        guard let configText = try? root.attribute("config", as: String.self) else { throw fail("has no config attribute") }
        let config: ExperimentConfig
        do { config = try ConfigLoader.resolve(preset: nil, file: ConfigLoader.parseFile(configText, name: name), overrides: []) } catch {
            throw fail("has an unreadable config: \(error)")
        }
        if let key = ResumeKeys.firstTrajectoryDifference(config, runConfig) {
            throw fail("belongs to a different experiment: \(key) is \(ResumeKeys.show(key, config)) there but \(ResumeKeys.show(key, runConfig)) in the run file")
        }
        do {
            let w = try root.openDataset("W")
            let shape = try w.shape
            guard shape == [config.m, config.weightDimension] else {
                let what = config.resolvedRepresentation == .explicit ? "m x p" : "m x min(p, 2+n+m)"
                throw fail("has W of shape \(shape.map(String.init).joined(separator: " x ")) but its config says \(what) = \(config.m) x \(config.weightDimension)")
            }
            let expectedType: HDF5ScalarType = config.precision == .float64 ? .float64 : .float32
            guard try w.elementType == expectedType else {
                throw fail("has W of type \(try w.elementTypeDescription) but its config says precision = \(config.precision.rawValue)")
            }
            let a = try root.openDataset("a")
            guard try a.shape == [config.m] else { throw fail("has a of shape \(try a.shape) but m = \(config.m)") }
            guard try a.read(as: Double.self) == TwoLayerReLUNetwork<Double>.drawSecondLayer(config: config) else {
                throw fail("has second-layer weights a that differ from the ones its seed generates")
            }
            let metrics = try RunFile.readMetrics(from: root.openGroup("metrics"))
            guard metrics.steps.allSatisfy({ $0 < step }), zip(metrics.steps, metrics.steps.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("has metric rows that are not increasing steps before \(step)")
            }
            let wallTime = (try? root.attribute("wall_time", as: Double.self)) ?? 0
            let saveData = (try? root.attribute("save_data", as: Int.self)) == 1
            return Info(path: path, step: step, config: config, metrics: metrics, wallTime: wallTime, saveData: saveData)
        } catch let error as RunFileError {
            throw error
        } catch {
            throw fail("is damaged: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }

    /// Reads rows `offset ..< offset + count` of W from a verified checkpoint.
    public static func readWeights<Scalar: HDF5Scalar>(path: String, rowOffset: Int, rowCount: Int, as type: Scalar.Type) throws -> [Scalar] {
        let file = try HDF5File.open(path: path, writable: false)
        defer { try? file.close() }
        return try file.root.openDataset("W").readRows(offset: rowOffset, count: rowCount, as: Scalar.self)
    }
}

/// Which config keys a resume may change: those that only affect the future of the run.
public enum ResumeKeys {
    /// Keys that change the computed trajectory; a resume refuses to change them.
    public static let trajectory = ["model", "n", "p", "m", "n_test", "mu_norm", "mu_norm_factor", "eta", "alpha", "omega",
                                    "weight_decay", "seed", "precision", "second_layer", "representation"]
    /// Keys that affect only what happens next; a resume accepts and records them.
    public static let future = ["steps", "checkpoint_every", "checkpoint_steps", "checkpoint_last", "metrics_dense_until",
                                "metrics_per_decade", "blas_threads"]

    public static func show(_ key: String, _ config: ExperimentConfig) -> String {
        ConfigKey.named(key)?.value(in: config).map { "\($0)" } ?? "unset"
    }

    /// The first trajectory key whose value differs, or nil.
    public static func firstTrajectoryDifference(_ a: ExperimentConfig, _ b: ExperimentConfig) -> String? {
        if a.resolvedMuNorm != b.resolvedMuNorm { return a.muNorm != b.muNorm ? "mu_norm" : "mu_norm_factor" }
        return trajectory.first { show($0, a) != show($0, b) && !($0.hasPrefix("mu_norm")) }
    }
}
