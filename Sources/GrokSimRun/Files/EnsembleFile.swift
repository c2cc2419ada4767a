import Foundation
import GrokSimCore
import GrokSimHDF5

/// The index file of an ensemble: one run file per seed, reached through external links, and every
/// seed's metrics gathered into seeds × steps datasets.
///
/// Layout: root attributes `format = "groksim-ensemble"`, `format_version`, `config` (the shared config;
/// each seed's own file holds its resolved config), `ranks`, `ranks_per_seed`; `/ensemble/seed` (the seeds,
/// row order of everything below); `/ensemble/metrics/step`; `/ensemble/metrics/<name>` (seeds × steps);
/// `/seeds/seed_%06d` → the root of that seed's run file in the directory `<index>.seeds/`.
public enum EnsembleFile {
    public static let format = "groksim-ensemble"
    public static let formatVersion = 1

    /// Directory holding the per-seed run files of the index at `path`.
    public static func seedDirectory(for path: String) -> String {
        path + ".seeds"
    }

    /// File name of one seed's run file inside the seed directory.
    public static func seedFileName(_ seed: UInt64) -> String {
        String(format: "seed_%06llu.h5", seed)
    }

    /// The queue entries of an ensemble: one run per seed in the seed directory of `path`.
    public static func runs(path: String, seeds: [UInt64], config: ExperimentConfig) -> [QueuedRun] {
        let directory = seedDirectory(for: path)
        return seeds.enumerated().map { row, seed in
            var seedConfig = config
            seedConfig.seed = seed
            return QueuedRun(row: row, point: 0, config: seedConfig, path: (directory as NSString).appendingPathComponent(seedFileName(seed)))
        }
    }

    /// Writes (atomically: a temporary file renamed over `path`) the index for `seeds` as their run files stand:
    /// each seed's status, and the metrics of the complete seeds (NaN rows for the others).
    public static func write(path: String, seeds: [UInt64], config: ExperimentConfig,
                             ranks: Int, ranksPerSeed: Int, softwareVersion: String, created: String? = nil) throws {
        let directory = seedDirectory(for: path)
        let model = ModelRegistry.model(of: config)
        var steps: [Int]? = nil
        var firstComplete: UInt64 = 0
        var rowsBySeed: [[String: [Double]]] = []
        var statuses: [RunStatus] = []
        for run in runs(path: path, seeds: seeds, config: config) {
            let status = RunQueue.status(of: run)
            statuses.append(status)
            guard status == .complete else { rowsBySeed.append([:]); continue }
            let reader = try RunFileReader(path: run.path)
            defer { try? reader.file.close() }
            let (seedSteps, values) = try reader.metrics()
            if steps == nil { steps = seedSteps; firstComplete = run.config.seed }
            guard seedSteps == steps else { throw RunFileError("seed \(run.config.seed) recorded other steps than seed \(firstComplete)") }
            rowsBySeed.append(values)
        }
        let columnSteps = steps ?? []
        var columns: [String: [Double]] = [:]
        for values in rowsBySeed {
            for metric in model.metrics {
                columns[metric.name, default: []] += values[metric.name] ?? [Double](repeating: .nan, count: columnSteps.count)
            }
        }
        let temporary = path + ".tmp-\(getpid())"
        let file = try HDF5File.create(path: temporary, overwrite: true)
        let root = file.root
        try FormatVersion.stampIndex(root, format: format, version: formatVersion, softwareVersion: softwareVersion, created: created)
        try root.setAttribute("config", ConfigLoader.render(config))
        try root.setAttribute("model", config.model)
        try root.setAttribute("ranks", ranks)
        try root.setAttribute("ranks_per_seed", ranksPerSeed)
        try root.setAttribute("seeds_complete", statuses.filter { $0 == .complete }.count)
        try root.setAttribute("description", "GrokSim ensemble: one run file per seed under \((directory as NSString).lastPathComponent)/, linked from /seeds, metrics gathered under /ensemble/metrics")
        let ensemble = try root.createGroup("ensemble")
        try ensemble.writeDescribed("seed", seeds.map { Int64($0) }, description: "the seed of each row of the /ensemble/metrics datasets")
        try ensemble.writeDescribed("status", statuses.map(\.rawValue),
                                    description: "state of each seed's run when the index was written: \(RunStatus.legend)")
        let metrics = try ensemble.createGroup("metrics")
        try metrics.writeDescribed("step", columnSteps.map { Int64($0) }, description: "step of each column of the /ensemble/metrics datasets",
                                   units: "steps")
        for metric in model.metrics {
            try metrics.writeDescribed(metric.name, columns[metric.name] ?? [], shape: [seeds.count, columnSteps.count],
                                       description: metric.description + " (row: seed, column: step; NaN: seed not complete)", units: metric.units)
        }
        let links = try root.createGroup("seeds")
        for seed in seeds {
            let name = seedFileName(seed)
            // Relative to the index file's directory, so the ensemble can be moved as a whole.
            try links.createExternalLink(String(name.dropLast(3)), file: ((directory as NSString).lastPathComponent as NSString).appendingPathComponent(name), path: "/")
        }
        try file.close()
        try DurableFile.publish(temporary, as: path, durable: false)
    }

    /// What a resume of the index at `path` needs: its seeds, shared config, group size and creation time.
    public static func readPlan(path: String) throws -> (seeds: [UInt64], config: ExperimentConfig, ranksPerSeed: Int, created: String?) {
        do {
            let file = try HDF5File.open(path: path, writable: false)
            defer { try? file.close() }
            if let problem = FormatVersion.problem(file.root, kind: "ensemble", newest: formatVersion) {
                throw RunFileError("'\(path)' \(problem)")
            }
            let seeds = try file.root.openDataset("ensemble/seed").read(as: Int64.self).map { UInt64($0) }
            let configText = try file.root.attribute("config", as: String.self)
            let config: ExperimentConfig
            do { config = try ConfigLoader.parseResolved(configText, name: path) } catch {
                throw RunFileError("'\(path)' has an unreadable config attribute: \(error)")
            }
            let perSeed = (try? file.root.attribute("ranks_per_seed", as: Int.self)) ?? 1
            return (seeds, config, perSeed, try? file.root.attribute("created", as: String.self))
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
    }

    /// Whether the HDF5 file at `path` is an ensemble index (false for anything else, including errors).
    public static func isIndex(_ path: String) -> Bool {
        guard let file = try? HDF5File.open(path: path, writable: false) else { return false }
        defer { try? file.close() }
        return (try? file.root.attribute("format", as: String.self)) == format
    }

    /// Seeds, gathered metrics and the shared config of an index file.
    public static func read(path: String) throws -> (seeds: [UInt64], steps: [Int], metrics: [String: [[Double]]], config: ExperimentConfig) {
        do {
            let file = try HDF5File.open(path: path, writable: false)
            defer { try? file.close() }
            if let problem = FormatVersion.problem(file.root, kind: "ensemble", newest: formatVersion) {
                throw RunFileError("'\(path)' \(problem)")
            }
            let seeds = try file.root.openDataset("ensemble/seed").read(as: Int64.self).map { UInt64($0) }
            let steps = try file.root.openDataset("ensemble/metrics/step").read(as: Int64.self).map { Int($0) }
            let configText = try file.root.attribute("config", as: String.self)
            let config: ExperimentConfig
            do { config = try ConfigLoader.parseResolved(configText, name: path) } catch {
                throw RunFileError("'\(path)' has an unreadable config attribute: \(error)")
            }
            var metrics: [String: [[Double]]] = [:]
            for metric in ModelRegistry.model(of: config).metrics {
                let flat = try file.root.openDataset("ensemble/metrics/\(metric.name)").read(as: Double.self)
                metrics[metric.name] = (0..<seeds.count).map { Array(flat[$0 * steps.count ..< ($0 + 1) * steps.count]) }
            }
            return (seeds, steps, metrics, config)
        } catch let error as HDF5Error {
            throw RunFileError("'\(path)': \(error)")
        }
    }
}
