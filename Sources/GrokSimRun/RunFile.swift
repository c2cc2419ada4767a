import Foundation
import GrokSimCore
import GrokSimHDF5

/// The HDF5 file of one run, written by rank 0: config, metrics as they grow, second layer, checkpoints.
///
/// Layout (users' scripts depend on these names; see README.md):
/// - root attributes `format`, `format_version`, `software_version`, `created`, `ranks`, `model`,
///   `config` (the resolved config as text), `status` and `steps_completed`;
/// - `/config`: one attribute per config key;
/// - `/metrics/step` and one 1-D float64 dataset per `Metric`, plus `wall_time`;
/// - `/model/a`; `/checkpoints/step_%08d/W` (m × p); with `--save-data`, `/data/...`.
public final class RunFile {
    /// Value of the root `format` attribute.
    public static let format = "groksim-run"
    /// Layout version; readers refuse files with a newer one.
    public static let formatVersion = 1

    public let file: HDF5File
    private var metricDatasets: [HDF5Dataset] = []
    private var stepDataset: HDF5Dataset?
    private var wallTimeDataset: HDF5Dataset?

    /// Creates the run file and writes its header; fails if it exists and `overwrite` is false.
    public init(creating path: String, overwrite: Bool, config: ExperimentConfig, ranks: Int, softwareVersion: String) throws {
        file = try HDF5File.create(path: path, overwrite: overwrite)
        let root = file.root
        try root.setAttribute("format", Self.format)
        try root.setAttribute("format_version", Self.formatVersion)
        try root.setAttribute("software_version", softwareVersion)
        try root.setAttribute("created", ISO8601DateFormatter().string(from: Date()))
        try root.setAttribute("ranks", ranks)
        try root.setAttribute("model", config.model)
        try root.setAttribute("config", ConfigLoader.render(config))
        try root.setAttribute("status", "running")
        try root.setAttribute("steps_completed", 0)
        try root.setAttribute("description", "GrokSim run: two-layer ReLU network trained by full-batch GD on XOR cluster data with flipped labels (Xu et al., ICLR 2024)")

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

        let metrics = try root.createGroup("metrics")
        try metrics.setAttribute("description", "metrics on the schedule of metrics_dense_until and metrics_per_decade; row k of every dataset is step[k]")
        let step = try metrics.createDataset("step", of: Int64.self, shape: [0], maxShape: [nil], chunk: [1024])
        try step.setAttribute("description", "GD step t at which the row's metrics were measured (weights W^(t))")
        try step.setAttribute("units", "steps")
        stepDataset = step
        for metric in Metric.all {
            let dataset = try metrics.createDataset(metric.name, of: Double.self, shape: [0], maxShape: [nil], chunk: [1024])
            try dataset.setAttribute("description", metric.description)
            try dataset.setAttribute("units", metric.units)
            metricDatasets.append(dataset)
        }
        let wall = try metrics.createDataset("wall_time", of: Double.self, shape: [0], maxShape: [nil], chunk: [1024])
        try wall.setAttribute("description", "wall-clock time since the start of training when the row was recorded (not reproducible)")
        try wall.setAttribute("units", "s")
        wallTimeDataset = wall
        _ = try root.createGroup("checkpoints")
        try file.flush()
    }

    /// Appends one metrics row (values in the order of `Metric.all`).
    public func appendMetrics(step: Int, values: [Double], wallTime: Double) throws {
        precondition(values.count == metricDatasets.count)
        try stepDataset!.append([Int64(step)])
        for (dataset, value) in zip(metricDatasets, values) { try dataset.append([value]) }
        try wallTimeDataset!.append([wallTime])
    }

    /// Writes the second-layer weights a_j.
    public func writeSecondLayer(_ a: [Double]) throws {
        let model = try file.root.createGroup("model")
        try model.setAttribute("description", "fixed parameters of f(x) = sum_j a_j ReLU(<w_j, x>)")
        let dataset = try model.createDataset("a", of: Double.self, shape: [a.count])
        try dataset.write(a)
        try dataset.setAttribute("description", "second-layer weights a_j = +-1/sqrt(m), fixed during training")
        try dataset.setAttribute("units", "1")
    }

    /// Name of the checkpoint group of `step`.
    public static func checkpointName(_ step: Int) -> String {
        String(format: "step_%08d", step)
    }

    /// Writes W^(step) (m × p) as `/checkpoints/step_%08d/W`, then marks the checkpoint complete.
    public func writeCheckpoint<Scalar: HDF5Scalar>(step: Int, weights: [Scalar], m: Int, p: Int) throws {
        let checkpoints = try file.root.openGroup("checkpoints")
        let name = Self.checkpointName(step)
        if try checkpoints.exists(name) { try checkpoints.delete(name) }
        let group = try checkpoints.createGroup(name)
        try group.setAttribute("step", step)
        let chunkRows = max(1, min(m, (1 << 20) / max(1, p * MemoryLayout<Scalar>.size)))
        let dataset = try group.createDataset("W", of: Scalar.self, shape: [m, p], chunk: [chunkRows, p])
        try dataset.write(weights)
        try dataset.setAttribute("description", "first-layer weights W^(t): row j is neuron j's weight vector w_j")
        try dataset.setAttribute("units", "1")
        try group.setAttribute("complete", 1)
        try file.flush()
    }

    /// Writes the training and test data and the two means under `/data` (the `--save-data` option).
    public func writeData<Scalar: BLASScalar & HDF5Scalar>(train: XORClusterData<Scalar>, test: XORClusterData<Scalar>, muNorm: Double) throws {
        let group = try file.root.createGroup("data")
        try group.setAttribute("description", "the sampled data; regenerated identically from the seed on every run")
        for (prefix, data) in [("train", train), ("test", test)] {
            let x = try group.createDataset("\(prefix)_x", of: Scalar.self, shape: [data.count, data.dimension])
            try x.write(UnsafeBufferPointer(data.x))
            try x.setAttribute("description", "\(prefix) inputs x_i, one row per point")
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
        var mu = [Double](repeating: 0, count: 2 * train.dimension)
        mu[0] = muNorm
        mu[train.dimension + 1] = muNorm
        let means = try group.createDataset("mu", of: Double.self, shape: [2, train.dimension])
        try means.write(mu)
        try means.setAttribute("description", "cluster means mu1 (row 0) and mu2 (row 1)")
        try means.setAttribute("units", "1")
    }

    /// Records how far the run got and how it ended ("running", "complete", "diverged").
    public func setStatus(_ status: String, stepsCompleted: Int) throws {
        try file.root.setAttribute("status", status)
        try file.root.setAttribute("steps_completed", stepsCompleted)
        try file.flush()
    }

    /// Stores per-phase timings of rank 0 as root attributes, for a quick look at where time went.
    public func writeTimings(_ timings: PhaseTimings, steps: Int) throws {
        let root = file.root
        try root.setAttribute("seconds_forward", timings.forward)
        try root.setAttribute("seconds_allreduce", timings.allreduce)
        try root.setAttribute("seconds_backward", timings.backward)
        try root.setAttribute("seconds_metrics", timings.metrics)
        try root.setAttribute("seconds_per_step", steps > 0 ? (timings.forward + timings.allreduce + timings.backward) / Double(steps) : 0)
    }

    public func close() throws {
        try file.close()
    }
}
