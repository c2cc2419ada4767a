import Foundation
import GrokSimCore
import GrokSimHDF5

/// The index file of a sweep (HDF5): the axes, one row per run with its config and status, per-run and
/// per-point summaries (median, 20% and 80% quantiles over the seeds, and counts), and external links to
/// the run files in `<index>.runs/`.
///
/// Layout: root attributes `format = "groksim-sweep"`, `format_version`, `model`, `spec` (the sweep file),
/// `spec_directory`, `ranks`, `ranks_per_run`, and after a finished job `wall_seconds` and `idle_fraction`;
/// `/axes/axis_<i>` (attributes `name`, `keys`, `scale`; one dataset per key); `/runs/{point,seed,status}`,
/// `/runs/summary/<quantity>`, `/runs/config` (one text attribute per run), `/runs/files/<run>` links;
/// `/points/<key>`, `/points/count_{runs,complete,diverged}`, `/points/summary/<quantity>/{median,q20,q80,count}`.
public enum SweepIndex {
    public static let format = "groksim-sweep"
    public static let formatVersion = 1

    /// What a resume needs from an index.
    public struct Plan: Sendable {
        public let spec: SweepSpec
        public let ranksPerRun: Int
        public let created: String?
    }

    /// Whether the HDF5 file at `path` is a sweep index.
    public static func isIndex(_ path: String) -> Bool {
        guard let file = try? HDF5File.open(path: path, writable: false) else { return false }
        defer { try? file.close() }
        return (try? file.root.attribute("format", as: String.self)) == format
    }

    /// Writes the index atomically (a temporary file renamed over `path`) from the run files as they stand.
    public static func write(path: String, spec: SweepSpec, runs: [QueuedRun], ranks: Int, ranksPerRun: Int,
                             softwareVersion: String, created: String?, timing: (wall: Double, idle: Double)? = nil) throws {
        guard let first = runs.first else { throw RunFileError("a sweep without runs has no index") }
        let model = ModelRegistry.model(of: first.config)
        let quantities = RunQueue.quantities(of: model)
        var statuses: [RunStatus] = []
        var values: [[Double]] = []
        for run in runs {
            let status = RunQueue.status(of: run)
            statuses.append(status)
            // A locked file is being written: it is read only once its writer is done.
            values.append(status == .complete || status == .diverged || status == .stopped
                          ? RunQueue.summaryValues(runPath: run.path, model: model) : quantities.map { _ in .nan })
        }
        let temporary = path + ".tmp-\(getpid())"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        let root = file.root
        try FormatVersion.stampIndex(root, format: format, version: formatVersion, softwareVersion: softwareVersion, created: created)
        try root.setAttribute("model", model.name)
        try root.setAttribute("spec", spec.text)
        try root.setAttribute("spec_directory", spec.directory)
        try root.setAttribute("ranks", ranks)
        try root.setAttribute("ranks_per_run", ranksPerRun)
        try root.setAttribute("seeds_per_point", spec.seeds.count)
        try root.setAttribute("runs_complete", statuses.filter { $0 == .complete }.count)
        if let timing {
            try root.setAttribute("wall_seconds", timing.wall)
            try root.setAttribute("idle_fraction", timing.idle)
        }
        let directoryName = (SweepSpec.runDirectory(for: path) as NSString).lastPathComponent
        try root.setAttribute("description", "GrokSim sweep of \(model.name) over \(spec.axes.map(\.name).joined(separator: " x ")) "
            + "with \(spec.seeds.count) seed(s) per point: one run file per run under \(directoryName)/, linked from /runs/files; "
            + "summaries per run under /runs/summary and per point under /points/summary")
        let axes = try root.createGroup("axes")
        for (index, axis) in spec.axes.enumerated() {
            let group = try axes.createGroup("axis_\(index)")
            try group.setAttribute("name", axis.name)
            try group.setAttribute("keys", axis.keys.joined(separator: ","))
            try group.setAttribute("scale", axis.isLog ? "log" : "linear")
            for (k, key) in axis.keys.enumerated() {
                try group.writeDescribed(key, axis.values.map { $0[k] }, description: "values of config key \(key) along axis \(index) (\(axis.name))")
            }
        }
        let runGroup = try root.createGroup("runs")
        try runGroup.writeDescribed("point", runs.map { Int64($0.point) }, description: "the sweep point of each run (row of /points)")
        try runGroup.writeDescribed("seed", runs.map { Int64($0.config.seed) }, description: "the seed of each run")
        try runGroup.writeDescribed("status", statuses.map(\.rawValue), description: "state of each run when the index was written: \(RunStatus.legend)")
        let runSummary = try runGroup.createGroup("summary")
        for (q, quantity) in quantities.enumerated() {
            try runSummary.writeDescribed(quantity.name, values.map { $0[q] }, description: quantity.description + " (one value per run)",
                                          units: quantity.units)
        }
        let configs = try runGroup.createGroup("config")
        try configs.setAttribute("description", "the resolved config of each run, as attributes run_<row>")
        let links = try runGroup.createGroup("files")
        for run in runs {
            let name = (run.path as NSString).lastPathComponent
            try configs.setAttribute(String(format: "run_%06d", run.row), ConfigLoader.render(run.config), variableLength: true)
            try links.createExternalLink(String(name.dropLast(3)), file: (directoryName as NSString).appendingPathComponent(name), path: "/")
        }
        let points = try root.createGroup("points")
        let pointCount = spec.pointCount
        for axis in spec.axes {
            for (k, key) in axis.keys.enumerated() {
                try points.writeDescribed(key, (0..<pointCount).map { axis.values[spec.coordinates(of: $0)[spec.axes.firstIndex { $0.name == axis.name }!]][k] },
                                          description: "value of config key \(key) at each point")
            }
        }
        func count(_ wanted: RunStatus?) -> [Int64] {
            (0..<pointCount).map { point in Int64(zip(runs, statuses).filter { $0.0.point == point && (wanted == nil || $0.1 == wanted) }.count) }
        }
        try points.writeDescribed("count_runs", count(nil), description: "runs (seeds) at each point")
        try points.writeDescribed("count_complete", count(.complete), description: "complete runs at each point")
        try points.writeDescribed("count_diverged", count(.diverged), description: "diverged runs at each point")
        let pointSummary = try points.createGroup("summary")
        for (q, quantity) in quantities.enumerated() {
            let group = try pointSummary.createGroup(quantity.name)
            try group.setAttribute("description", quantity.description + ", over the seeds of each point")
            var median: [Double] = [], low: [Double] = [], high: [Double] = [], counts: [Int64] = []
            for point in 0..<pointCount {
                let samples = zip(runs, zip(statuses, values)).filter { $0.0.point == point && $0.1.0 == .complete }.map { $0.1.1[q] }
                let finite = samples.filter(\.isFinite)
                median.append(Quantiles.median(finite))
                low.append(Quantiles.percentile(finite, 0.2))
                high.append(Quantiles.percentile(finite, 0.8))
                counts.append(Int64(finite.count))
            }
            try group.writeDescribed("median", median, description: "median over complete seeds of \(quantity.name)", units: quantity.units)
            try group.writeDescribed("q20", low, description: "20% quantile over complete seeds of \(quantity.name)", units: quantity.units)
            try group.writeDescribed("q80", high, description: "80% quantile over complete seeds of \(quantity.name)", units: quantity.units)
            try group.writeDescribed("count", counts, description: "complete seeds with a finite \(quantity.name) (the rest: NaN, e.g. never reached)")
        }
        try file.close()
        try DurableFile.publish(temporary, as: path, durable: false)
    }

    /// The sweep file, group size and creation time stored in an index.
    public static func readPlan(path: String) throws -> Plan {
        do {
            let file = try HDF5File.open(path: path, writable: false)
            defer { try? file.close() }
            if let problem = FormatVersion.problem(file.root, kind: "sweep", newest: formatVersion) { throw RunFileError("'\(path)' \(problem)") }
            let text = try file.root.attribute("spec", as: String.self)
            let directory = try file.root.attribute("spec_directory", as: String.self)
            let spec: SweepSpec
            do { spec = try SweepSpec(text: text, name: path + " (stored spec)", directory: directory) } catch {
                throw RunFileError("\(error)")
            }
            return Plan(spec: spec, ranksPerRun: (try? file.root.attribute("ranks_per_run", as: Int.self)) ?? 1,
                        created: try? file.root.attribute("created", as: String.self))
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
    }

    /// Per-point summaries for plots: quantity name → (median, q20, q80), with each quantity's description and units.
    public static func readSummaries(path: String) throws -> (quantities: [SweepQuantity], summaries: [String: (median: [Double], low: [Double], high: [Double])]) {
        do {
            let file = try HDF5File.open(path: path, writable: false)
            defer { try? file.close() }
            let group = try file.root.openGroup("points/summary")
            var quantities: [SweepQuantity] = []
            var summaries: [String: (median: [Double], low: [Double], high: [Double])] = [:]
            for name in try group.memberNames().sorted() {
                let median = try group.openDataset("\(name)/median")
                quantities.append(SweepQuantity(name: name, description: (try? median.attribute("description", as: String.self)) ?? name,
                                                units: (try? median.attribute("units", as: String.self)) ?? "1"))
                summaries[name] = (try median.read(as: Double.self), try group.openDataset("\(name)/q20").read(as: Double.self),
                                   try group.openDataset("\(name)/q80").read(as: Double.self))
            }
            return (quantities, summaries)
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
    }
}
