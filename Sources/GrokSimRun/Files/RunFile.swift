import Foundation
import GrokSimCore
import GrokSimHDF5

/// The HDF5 file of one run, kept by rank 0: config, metrics, the model's fixed arrays and links to the checkpoints.
///
/// Layout (users' scripts depend on these names; see README.md):
/// - root attributes `format`, `format_version`, `software_version`, `created`, `ranks`, `model`,
///   `config` (the resolved config as text), `status`, `steps_completed` and the model's own (`Model.runAttributes`);
/// - `/config`: one attribute per config key, plus the model's resolved values;
/// - `/metrics/step` and one 1-D float64 dataset per metric of the model, plus `wall_time`;
/// - `/model/...`: the model's fixed arrays; the model's attribute groups (`/assumptions` for the XOR model);
/// - `/checkpoints/step_%08d` (external links to `RUN.checkpoints/step_%08d.h5`, so
///   `/checkpoints/step_%08d/W` is the parameter array W); with `--save-data`, `/data` (a link to `RUN.checkpoints/data.h5`).
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
    public let model: any Model
    public let ranks: Int
    public let softwareVersion: String
    public let created: String
    /// A random identity given at creation and kept by every resume; every checkpoint carries it, and readers
    /// refuse a checkpoint whose identity differs (a copied or rerun file linking another run's checkpoints).
    public let runID: String
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
    /// The run's Langevin phases and where sampling started, written as `/phases` (nil: a run without phases).
    public var phases: (schedule: LangevinSchedule, start: Checkpoint.SamplingStart?)?
    /// The model's fixed arrays, regenerated from the seed.
    private let fixedArrays: [NamedArray]
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
        self.model = ModelRegistry.model(of: config)
        self.fixedArrays = model.fixedArrays(config)
        self.ranks = ranks
        self.softwareVersion = softwareVersion
        self.created = ISO8601DateFormatter().string(from: Date())
        self.runID = UUID().uuidString
        try prepareCheckpointDirectory(clear: true)
        try publish()
    }

    /// A run file rebuilt from a checkpoint for `groksim resume`: it replaces the old file at the first publish.
    public init(resuming path: String, from checkpoint: Checkpoint.Info, config: ExperimentConfig, ranks: Int,
                softwareVersion: String, created: String?, runID: String? = nil, resumedAtSteps: [Int], linkedSteps: [Int]) throws {
        self.path = path
        self.config = config
        self.model = ModelRegistry.model(of: config)
        self.fixedArrays = model.fixedArrays(config)
        self.ranks = ranks
        self.softwareVersion = softwareVersion
        self.created = created ?? ISO8601DateFormatter().string(from: Date())
        self.runID = runID ?? UUID().uuidString
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

    /// Records one metrics row (values in the order of the model's metrics); the file catches up within `publishInterval`.
    public func appendMetrics(step: Int, values: [Double], wallTime: Double) throws {
        precondition(values.count == model.metrics.count)
        metrics.append(step: step, values: values, wallTime: wallTime)
        if MonotonicClock.seconds() - lastPublish >= publishInterval { try publish() }
    }

    /// Name of the checkpoint link of `step`.
    public static func checkpointName(_ step: Int) -> String {
        String(format: "step_%08d", step)
    }

    /// Writes the parameters of `step` (whole arrays, in the model's order) and the optimizer's state to the
    /// step's own checkpoint file (atomically), then links it from the run file.
    public func writeCheckpoint<Scalar: HDF5Scalar>(step: Int, parameters: [[Scalar]], optimizerState: (first: [[Double]], second: [[Double]])?,
                                                    wallTime: Double = 0, sampling: Checkpoint.SamplingStart? = nil) throws {
        _ = try Checkpoint.write(directory: checkpointDirectory, step: step, parameters: parameters, optimizerState: optimizerState,
                                 config: config, runID: runID, fixedArrays: fixedArrays, metrics: metrics.before(step), wallTime: wallTime,
                                 saveData: saveData, softwareVersion: softwareVersion, sampling: sampling)
        TestHooks.crashPoint("checkpoint-renamed", step: step)
        if !checkpointSteps.contains(step) {
            checkpointSteps.append(step)
            checkpointSteps.sort()
        }
        stepsCompleted = step
        try publish(crashStep: step)
    }

    /// Writes the model's sampled data to `RUN.checkpoints/data.h5`, linked as `/data`.
    public func writeData(_ arrays: [NamedArray]) throws {
        let target = checkpointDirectory + "/data.h5"
        let temporary = target + ".tmp"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        let group = file.root
        try group.setAttribute("description", "the sampled data; regenerated identically from the seed on every run")
        for (name, value) in model.runAttributes(config) { try group.setAttribute(name, value) }
        for array in arrays { try group.write(array) }
        try file.close()
        try DurableFile.publish(temporary, as: target, durable: true)
        saveData = true
        try publish()
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
        try root.setAttribute("run_id", runID)
        try root.setAttribute("ranks", ranks)
        try root.setAttribute("model", config.model)
        for (name, value) in model.runAttributes(config) { try root.setAttribute(name, value) }
        try root.setAttribute("config", ConfigLoader.render(config))
        try root.setAttribute("status", status)
        try root.setAttribute("steps_completed", stepsCompleted)
        if !resumedAtSteps.isEmpty { try root.setAttribute("resumed_at_steps", resumedAtSteps) }
        try root.setAttribute("description", model.runDescription(config))
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
        try Self.writeConfigAttributes(config, into: configGroup)
        for group in model.attributeGroups(config) { try root.write(group) }

        let metricsGroup = try root.createGroup("metrics")
        try metricsGroup.setAttribute("description", "metrics on the schedule of metrics_dense_until and metrics_per_decade; row k of every dataset is step[k]")
        if let crashStep { TestHooks.crashPoint("publish-write", step: crashStep) }
        try Self.writeMetrics(metrics, metricList: model.metrics, into: metricsGroup, extendable: true)

        if let phases { try writePhases(phases.schedule, start: phases.start, into: root) }

        if !fixedArrays.isEmpty {
            let group = try root.createGroup("model")
            try group.setAttribute("description", "fixed parameters of the model, regenerated from the seed: \(model.summary)")
            for array in fixedArrays { try group.write(array) }
        }
        let checkpoints = try root.createGroup("checkpoints")
        try checkpoints.setAttribute("description", "one external link per checkpoint file in \(checkpointDirectoryName)/; step_%08d/<array> holds the parameters at step t")
        for step in checkpointSteps {
            try checkpoints.createExternalLink(Self.checkpointName(step), file: checkpointDirectoryName + "/" + Checkpoint.fileName(step: step), path: "/")
        }
        if saveData {
            try root.createExternalLink("data", file: checkpointDirectoryName + "/data.h5", path: "/")
        }
    }

    /// `/phases`: each phase's first step and temperature, and the phase and temperature of every metrics row.
    private func writePhases(_ schedule: LangevinSchedule, start: Checkpoint.SamplingStart?, into root: HDF5Group) throws {
        let group = try root.createGroup("phases")
        try group.setAttribute("description", "phase 0 is plain GD until the training loss is below gd_loss_target; phase k >= 1 is Langevin at temperature T_k for langevin_phase_steps steps")
        try group.setAttribute("gd_loss_target", schedule.lossTarget)
        try group.setAttribute("sampling_started", start == nil ? 0 : 1)
        try group.setAttribute("sampling_start_step", start?.step ?? -1)
        try group.setAttribute("gd_loss_target_reached", start?.targetReached == true ? 1 : 0)
        let starts = start.map { schedule.phaseStarts(samplingStart: $0.step) } ?? [0]
        try group.writeDescribed("start_step", starts.map { Int64($0) }, description: "first step of each phase (phase 0: GD; the rest start once sampling has)", units: "steps")
        try group.writeDescribed("temperature", (0..<starts.count).map { schedule.temperature(ofPhase: $0) },
                                 description: "temperature T of each phase (0 for GD)", units: "nats")
        let rowPhases = metrics.steps.map { schedule.phase(of: $0, samplingStart: start?.step) }
        try group.writeDescribed("metrics_phase", rowPhases.map { Int64($0) }, description: "phase of the step of each /metrics row (a row at a phase's end step holds the parameters the phase ended with)")
        try group.writeDescribed("metrics_temperature", rowPhases.map { schedule.temperature(ofPhase: $0) },
                                 description: "temperature of the phase of each /metrics row", units: "nats")
    }

    /// The checkpoint directory relative to the run file's directory (external links resolve against it).
    private var checkpointDirectoryName: String { (checkpointDirectory as NSString).lastPathComponent }

    /// One attribute per rendered key (lists as integer arrays, booleans as 0/1) and the model's resolved values.
    static func writeConfigAttributes(_ config: ExperimentConfig, into group: HDF5Group) throws {
        for (key, value) in ConfigLoader.renderedValues(config) {
            switch value {
            case .integer(let integer): try group.setAttribute(key.name, integer)
            case .number(let number): try group.setAttribute(key.name, number)
            case .string(let text): try group.setAttribute(key.name, text)
            case .boolean(let flag): try group.setAttribute(key.name, flag ? 1 : 0)
            case .list(let items):
                try group.setAttribute(key.name, items.compactMap { item -> Int in
                    if case .integer(let integer) = item { return integer }
                    return 0
                })
            }
        }
        for (name, value) in ModelRegistry.model(of: config).resolvedValues(config) { try group.setAttribute(name, value) }
    }

    /// Writes `/metrics/step`, one dataset per metric of `metricList` and `wall_time` into `group`.
    static func writeMetrics(_ metrics: MetricRows, metricList: [Metric], into group: HDF5Group, extendable: Bool) throws {
        let count = metrics.steps.count
        let maxShape: [Int?]? = extendable ? [nil] : nil
        let chunk: [Int]? = extendable ? [1024] : nil
        let step = try group.createDataset("step", of: Int64.self, shape: [count], maxShape: maxShape, chunk: chunk)
        if count > 0 { try step.write(metrics.steps.map { Int64($0) }) }
        try step.setAttribute("description", "GD step t at which the row's metrics were measured (weights W^(t))")
        try step.setAttribute("units", "steps")
        for (index, metric) in metricList.enumerated() {
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
    static func readMetrics(from group: HDF5Group, metricList: [Metric]) throws -> MetricRows {
        var metrics = MetricRows()
        let steps = try group.openDataset("step").read(as: Int64.self).map { Int($0) }
        var columns: [[Double]] = []
        for metric in metricList {
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
