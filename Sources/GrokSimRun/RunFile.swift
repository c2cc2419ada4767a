import Foundation
import GrokSimCore
import GrokSimHDF5

/// The HDF5 file of one run, kept by rank 0: config, metrics, second layer and links to the checkpoints.
///
/// Layout (users' scripts depend on these names; see README.md):
/// - root attributes `format`, `format_version`, `software_version`, `created`, `ranks`, `model`,
///   `config` (the resolved config as text), `status` and `steps_completed`;
/// - `/config`: one attribute per config key;
/// - `/metrics/step` and one 1-D float64 dataset per `Metric`, plus `wall_time`;
/// - `/model/a`; `/checkpoints/step_%08d` (external links to `RUN.checkpoints/step_%08d.h5`, so
///   `/checkpoints/step_%08d/W` is m × p); with `--save-data`, `/data` (a link to `RUN.checkpoints/data.h5`).
///
/// Crash safety: the file is never modified in place. Every update writes a complete new file under a
/// temporary name and renames it over the old one, so a kill at any moment leaves a whole, readable run file
/// (at worst one that lags behind by the metric rows since the last update). Updates happen at every
/// checkpoint, at status changes, and when metric rows have waited `publishInterval` seconds.
public final class RunFile {
    /// Value of the root `format` attribute.
    public static let format = "groksim-run"
    /// Layout version; readers refuse files with a newer one.
    public static let formatVersion = 1

    public let path: String
    public private(set) var config: ExperimentConfig
    public let ranks: Int
    public let softwareVersion: String
    public let created: String
    public private(set) var metrics = MetricRows()
    /// Steps whose checkpoint files exist and are linked.
    public private(set) var checkpointSteps: [Int] = []
    public private(set) var status = "running"
    public private(set) var stepsCompleted = 0
    public var saveData = false
    /// Seconds metric rows may wait in memory before the file is rewritten.
    public var publishInterval = 5.0
    /// Steps at which this run was resumed, recorded as the root attribute `resumed_at_steps`.
    public var resumedAtSteps: [Int] = []
    private var secondLayer: [Double] = []
    private var timings: (PhaseTimings, Int, Int, Double)?
    private var lastPublish = MonotonicClock.seconds()

    public var checkpointDirectory: String { Checkpoint.directory(ofRun: path) }

    /// Creates the run file (and its checkpoint directory) and writes its header; fails if it exists and
    /// `overwrite` is false. With `overwrite`, old checkpoint files of the same name are removed.
    public init(creating path: String, overwrite: Bool, config: ExperimentConfig, ranks: Int, softwareVersion: String) throws {
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw RunFileError("cannot create run file '\(path)': file already exists (pass --force to overwrite it)")
        }
        self.path = path
        self.config = config
        self.ranks = ranks
        self.softwareVersion = softwareVersion
        self.created = ISO8601DateFormatter().string(from: Date())
        try prepareCheckpointDirectory(clear: true)
        try publish()
    }

    /// A run file rebuilt from a checkpoint for `groksim resume`: it replaces the old file at the first publish.
    public init(resuming path: String, from checkpoint: Checkpoint.Info, config: ExperimentConfig, ranks: Int,
                softwareVersion: String, created: String?, resumedAtSteps: [Int], linkedSteps: [Int]) throws {
        self.path = path
        self.config = config
        self.ranks = ranks
        self.softwareVersion = softwareVersion
        self.created = created ?? ISO8601DateFormatter().string(from: Date())
        self.metrics = checkpoint.metrics
        self.saveData = checkpoint.saveData
        self.resumedAtSteps = resumedAtSteps + [checkpoint.step]
        self.checkpointSteps = linkedSteps.filter { $0 <= checkpoint.step }
        self.stepsCompleted = checkpoint.step
        try prepareCheckpointDirectory(clear: false)
    }

    private func prepareCheckpointDirectory(clear: Bool) throws {
        let manager = FileManager.default
        let directory = checkpointDirectory
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RunFileError("'\(directory)' exists and is not a directory") }
            if clear {
                for name in try manager.contentsOfDirectory(atPath: directory)
                where name.hasPrefix("step_") || name.hasPrefix("data.h5") {
                    try manager.removeItem(atPath: directory + "/" + name)
                }
            }
        } else {
            do { try manager.createDirectory(atPath: directory, withIntermediateDirectories: false) } catch {
                throw RunFileError("cannot create checkpoint directory '\(directory)': \(error.localizedDescription)")
            }
        }
    }

    /// Records one metrics row (values in the order of `Metric.all`); the file catches up within `publishInterval`.
    public func appendMetrics(step: Int, values: [Double], wallTime: Double) throws {
        precondition(values.count == Metric.all.count)
        metrics.append(step: step, values: values, wallTime: wallTime)
        if MonotonicClock.seconds() - lastPublish >= publishInterval { try publish() }
    }

    /// Records the second-layer weights a_j.
    public func writeSecondLayer(_ a: [Double]) throws {
        secondLayer = a
        try publish()
    }

    /// Name of the checkpoint link of `step`.
    public static func checkpointName(_ step: Int) -> String {
        String(format: "step_%08d", step)
    }

    /// Writes W^(step) (m × p) to its own checkpoint file (atomically), then links it from the run file.
    public func writeCheckpoint<Scalar: HDF5Scalar>(step: Int, weights: [Scalar], m: Int, p: Int, wallTime: Double = 0) throws {
        _ = try Checkpoint.write(directory: checkpointDirectory, step: step, weights: weights, config: config,
                                 secondLayer: secondLayer, metrics: metrics.before(step), wallTime: wallTime,
                                 saveData: saveData, softwareVersion: softwareVersion)
        TestHooks.crashPoint("checkpoint-renamed", step: step)
        if !checkpointSteps.contains(step) {
            checkpointSteps.append(step)
            checkpointSteps.sort()
        }
        stepsCompleted = step
        try publish(crashStep: step)
    }

    /// Writes the training and test data and the two means to `RUN.checkpoints/data.h5`, linked as `/data`.
    public func writeData<Scalar: BLASScalar & HDF5Scalar>(train: XORClusterData<Scalar>, test: XORClusterData<Scalar>, muNorm: Double) throws {
        let target = checkpointDirectory + "/data.h5"
        let temporary = target + ".tmp"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        let group = file.root
        try group.setAttribute("description", "the sampled data; regenerated identically from the seed on every run")
        // Rows as long as the weights' (training rows padded with their zeros in the reduced representation),
        // so X @ W.T works directly in h5py.
        let width = test.dimension
        try group.setAttribute("representation", config.resolvedRepresentation.rawValue)
        for (prefix, data) in [("train", train), ("test", test)] {
            let x = try group.createDataset("\(prefix)_x", of: Scalar.self, shape: [data.count, width])
            if data.dimension == width {
                try x.write(UnsafeBufferPointer(data.x))
            } else {
                var padded = [Scalar](repeating: 0, count: data.count * width)
                for i in 0..<data.count {
                    for c in 0..<data.dimension { padded[i * width + c] = data.x[i * data.dimension + c] }
                }
                try x.write(padded)
            }
            try x.setAttribute("description", "\(prefix) inputs x_i, one row per point" + config.resolvedRepresentation.rowsNote)
            try x.setAttribute("units", "1")
            let y = try group.createDataset("\(prefix)_y", of: Double.self, shape: [data.count])
            try y.write(data.labels)
            try y.setAttribute("description", prefix == "train" ? "training labels y_i in {+1, -1}, after flipping" : "clean test labels in {+1, -1}")
            try y.setAttribute("units", "1")
            let cluster = try group.createDataset("\(prefix)_cluster", of: Int8.self, shape: [data.count])
            try cluster.write(data.clusters.map { Int8($0) })
            try cluster.setAttribute("description", "cluster of each point: 0 = +mu1, 1 = -mu1, 2 = +mu2, 3 = -mu2")
            try cluster.setAttribute("units", "1")
        }
        let clean = try group.createDataset("train_clean_y", of: Double.self, shape: [train.count])
        try clean.write(train.cleanLabels)
        try clean.setAttribute("description", "training labels before flipping")
        try clean.setAttribute("units", "1")
        let flipped = try group.createDataset("train_flipped", of: Int8.self, shape: [train.count])
        try flipped.write(train.flipped.map { $0 ? Int8(1) : 0 })
        try flipped.setAttribute("description", "1 where the training label was flipped")
        try flipped.setAttribute("units", "1")
        var mu = [Double](repeating: 0, count: 2 * width)
        mu[0] = muNorm
        mu[width + 1] = muNorm
        let means = try group.createDataset("mu", of: Double.self, shape: [2, width])
        try means.write(mu)
        try means.setAttribute("description", "cluster means mu1 (row 0) and mu2 (row 1)")
        try means.setAttribute("units", "1")
        try file.close()
        try DurableFile.publish(temporary, as: target, durable: true)
        saveData = true
        try publish()
    }

    /// What the stored vectors are, in words, for the run file's readers.
    public static func representationDescription(_ config: ExperimentConfig) -> String {
        switch config.resolvedRepresentation {
        case .explicit:
            return "explicit: data and weight rows are vectors in R^p, p = \(config.p)"
        case .exactReduced:
            return "exact-reduced: data and weight rows are coordinates on an orthonormal basis of dimension "
                + "min(p, 2+n+m) = \(config.weightDimension) built from mu1, mu2, the training noise vectors and the initial "
                + "weights (Bartlett decomposition); inner products, norms and <w, mu_k> have the same law as with "
                + "explicit vectors in R^p, p = \(config.p)"
        }
    }

    /// Records how far the run got and how it ended ("running", "complete", "diverged", "stopped").
    public func setStatus(_ status: String, stepsCompleted: Int) throws {
        self.status = status
        self.stepsCompleted = stepsCompleted
        try publish()
    }

    /// Stores per-phase timings of rank 0 as root attributes, for a quick look at where time went.
    public func writeTimings(_ timings: PhaseTimings, steps: Int, checkpoints: Int = 0, checkpointSeconds: Double = 0) throws {
        self.timings = (timings, steps, checkpoints, checkpointSeconds)
    }

    /// Records a new config (a resume that changed future-only keys).
    public func update(config: ExperimentConfig) { self.config = config }

    public func close() throws {
        try publish()
    }

    /// Rewrites the whole run file under a temporary name and renames it over the old one.
    public func publish(crashStep: Int? = nil) throws {
        let temporary = path + ".tmp"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        do {
            try writeContents(to: file, crashStep: crashStep)
            try file.close()
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try DurableFile.publish(temporary, as: path, durable: false)
        lastPublish = MonotonicClock.seconds()
    }

    private func writeContents(to file: HDF5File, crashStep: Int?) throws {
        let root = file.root
        try root.setAttribute("format", Self.format)
        try root.setAttribute("format_version", Self.formatVersion)
        try root.setAttribute("software_version", softwareVersion)
        try root.setAttribute("created", created)
        try root.setAttribute("ranks", ranks)
        try root.setAttribute("model", config.model)
        try root.setAttribute("representation", config.resolvedRepresentation.rawValue)
        try root.setAttribute("representation_description", Self.representationDescription(config))
        try root.setAttribute("config", ConfigLoader.render(config))
        try root.setAttribute("status", status)
        try root.setAttribute("steps_completed", stepsCompleted)
        if !resumedAtSteps.isEmpty { try root.setAttribute("resumed_at_steps", resumedAtSteps) }
        try root.setAttribute("description", "GrokSim run: two-layer ReLU network trained by full-batch GD on XOR cluster data with flipped labels (Xu et al., ICLR 2024)")
        if let (timings, steps, checkpoints, checkpointSeconds) = timings {
            try root.setAttribute("seconds_per_checkpoint", checkpoints > 0 ? checkpointSeconds / Double(checkpoints) : 0)
            try root.setAttribute("seconds_forward", timings.forward)
            try root.setAttribute("seconds_allreduce", timings.allreduce)
            try root.setAttribute("seconds_backward", timings.backward)
            try root.setAttribute("seconds_metrics", timings.metrics)
            try root.setAttribute("seconds_per_step", steps > 0 ? (timings.forward + timings.allreduce + timings.backward) / Double(steps) : 0)
        }

        let configGroup = try root.createGroup("config")
        try configGroup.setAttribute("description", "the resolved config, one attribute per key")
        for key in ConfigKey.all {
            guard let value = key.value(in: config) else { continue }
            switch value {
            case .integer(let integer): try configGroup.setAttribute(key.name, integer)
            case .number(let number): try configGroup.setAttribute(key.name, number)
            case .string(let text): try configGroup.setAttribute(key.name, text)
            case .boolean(let flag): try configGroup.setAttribute(key.name, flag ? 1 : 0)
            case .list(let items):
                try configGroup.setAttribute(key.name, items.compactMap { item -> Int in
                    if case .integer(let integer) = item { return integer }
                    return 0
                })
            }
        }
        try configGroup.setAttribute("mu_norm_resolved", config.resolvedMuNorm)

        let assumptions = try root.createGroup("assumptions")
        try assumptions.setAttribute("description", "the theorem's assumptions (A1)-(A6) at C = 1 for this config: left and right side and whether each holds")
        try assumptions.setAttribute("constant", 1.0)
        for check in TheoremAssumptions.evaluate(config, constant: 1) {
            try assumptions.setAttribute("\(check.name)_statement", check.statement)
            try assumptions.setAttribute("\(check.name)_left", check.left)
            try assumptions.setAttribute("\(check.name)_right", check.right)
            try assumptions.setAttribute("\(check.name)_holds", check.holds ? 1 : 0)
        }

        let metricsGroup = try root.createGroup("metrics")
        try metricsGroup.setAttribute("description", "metrics on the schedule of metrics_dense_until and metrics_per_decade; row k of every dataset is step[k]")
        if let crashStep { TestHooks.crashPoint("publish-write", step: crashStep) }
        try Self.writeMetrics(metrics, into: metricsGroup, extendable: true)

        if !secondLayer.isEmpty {
            let model = try root.createGroup("model")
            try model.setAttribute("description", "fixed parameters of f(x) = sum_j a_j ReLU(<w_j, x>)")
            let dataset = try model.createDataset("a", of: Double.self, shape: [secondLayer.count])
            try dataset.write(secondLayer)
            try dataset.setAttribute("description", "second-layer weights a_j = +-1/sqrt(m), fixed during training")
            try dataset.setAttribute("units", "1")
        }
        let checkpoints = try root.createGroup("checkpoints")
        try checkpoints.setAttribute("description", "one external link per checkpoint file in \(checkpointDirectoryName)/; step_%08d/W is W^(t)")
        for step in checkpointSteps {
            try checkpoints.createExternalLink(Self.checkpointName(step), file: checkpointDirectoryName + "/" + Checkpoint.fileName(step: step), path: "/")
        }
        if saveData {
            try root.createExternalLink("data", file: checkpointDirectoryName + "/data.h5", path: "/")
        }
    }

    /// The checkpoint directory relative to the run file's directory (external links resolve against it).
    private var checkpointDirectoryName: String { (checkpointDirectory as NSString).lastPathComponent }

    /// Writes `/metrics/step`, one dataset per metric and `wall_time` into `group`.
    static func writeMetrics(_ metrics: MetricRows, into group: HDF5Group, extendable: Bool) throws {
        let count = metrics.steps.count
        let maxShape: [Int?]? = extendable ? [nil] : nil
        let chunk: [Int]? = extendable ? [1024] : nil
        let step = try group.createDataset("step", of: Int64.self, shape: [count], maxShape: maxShape, chunk: chunk)
        if count > 0 { try step.write(metrics.steps.map { Int64($0) }) }
        try step.setAttribute("description", "GD step t at which the row's metrics were measured (weights W^(t))")
        try step.setAttribute("units", "steps")
        for (index, metric) in Metric.all.enumerated() {
            let dataset = try group.createDataset(metric.name, of: Double.self, shape: [count], maxShape: maxShape, chunk: chunk)
            if count > 0 { try dataset.write(metrics.rows.map { $0[index] }) }
            try dataset.setAttribute("description", metric.description)
            try dataset.setAttribute("units", metric.units)
        }
        let wall = try group.createDataset("wall_time", of: Double.self, shape: [count], maxShape: maxShape, chunk: chunk)
        if count > 0 { try wall.write(metrics.wallTimes) }
        try wall.setAttribute("description", "wall-clock seconds of training (summed over resumed sessions) when the row was recorded (not reproducible)")
        try wall.setAttribute("units", "s")
    }

    /// Reads the rows written by `writeMetrics`.
    static func readMetrics(from group: HDF5Group) throws -> MetricRows {
        var metrics = MetricRows()
        let steps = try group.openDataset("step").read(as: Int64.self).map { Int($0) }
        var columns: [[Double]] = []
        for metric in Metric.all {
            let column = try group.openDataset(metric.name).read(as: Double.self)
            guard column.count == steps.count else { throw RunFileError("/metrics/\(metric.name) has \(column.count) rows for \(steps.count) steps") }
            columns.append(column)
        }
        let wall = try group.openDataset("wall_time").read(as: Double.self)
        guard wall.count == steps.count else { throw RunFileError("/metrics/wall_time has \(wall.count) rows for \(steps.count) steps") }
        for k in steps.indices {
            metrics.append(step: steps[k], values: columns.map { $0[k] }, wallTime: wall[k])
        }
        return metrics
    }
}
