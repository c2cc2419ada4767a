import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

/// `groksim analyze` for the teacher-student model: the eigendecomposition oracle at every checkpoint and the
/// measured crossing times beside the predicted ones.
///
/// Layout written: `/analysis/oracle/{step, relative_distance}` and `/analysis/crossings/{measured_t_star_train,
/// measured_t_star_gen, measured_delay, predicted_t_star_train, predicted_t_star_gen, predicted_delay}`.
public enum TeacherStudentAnalysis {
    /// What one run's analysis found.
    public struct Report: Sendable {
        public var oracleSteps: [Int] = []
        public var oracleDistances: [Double] = []
        public var measuredTrain = Double.nan, measuredGeneralization = Double.nan
        public var predictedTrain = Double.nan, predictedGeneralization = Double.nan
        public var oracleApplies = true
        public var measuredDelay: Double { measuredGeneralization - measuredTrain }
        public var predictedDelay: Double { predictedGeneralization - predictedTrain }
    }

    /// The first step at which `values` reaches `threshold`, linearly interpolated between recorded steps (NaN if never).
    public static func crossing(steps: [Int], values: [Double], threshold: Double) -> Double {
        guard let index = values.firstIndex(where: { $0 >= threshold }) else { return .nan }
        if index == 0 { return Double(steps[0]) }
        let (s0, s1) = (Double(steps[index - 1]), Double(steps[index]))
        let (v0, v1) = (values[index - 1], values[index])
        return s0 + (threshold - v0) / (v1 - v0) * (s1 - s0)
    }

    public static func analyze(path: String, options: AnalysisOptions) throws -> Report {
        var report = Report()
        try DurableFile.edit(path) { copy in
            let file: HDF5File
            do { file = try HDF5File.open(path: copy, writable: true) } catch let error as HDF5Error { throw RunFileError("'\(path)': \(error)") }
            defer { try? file.close() }
            let root = file.root
            if try root.exists("analysis") {
                guard options.overwrite else { throw RunFileError("'\(path)' already has /analysis; pass --force to recompute it") }
                try root.delete("analysis")
            }
            let config = try ConfigLoader.parseResolved(try root.attribute("config", as: String.self), name: "\(path):/config")
            let reader = try RunFileReader(path: path)
            let metrics = try reader.metrics()
            try reader.file.close()
            let threshold = options.grokThreshold
            report.measuredTrain = crossing(steps: metrics.steps, values: metrics.values["train_accuracy"] ?? [], threshold: threshold)
            report.measuredGeneralization = crossing(steps: metrics.steps, values: metrics.values["test_accuracy"] ?? [], threshold: threshold)
            let theory = TeacherStudentTheory(config, threshold: threshold)
            report.predictedTrain = theory.crossing(.train)
            report.predictedGeneralization = theory.crossing(.generalization)
            report.oracleApplies = config.string(DynamicsKeys.optimizer) == "gd" && config.number(DynamicsKeys.temperature) == 0
            let analysis = try root.createGroup("analysis")
            try analysis.setAttribute("description", "results of 'groksim analyze' (teacher-student)")
            let hasCheckpoints = try root.exists("checkpoints")
            if report.oracleApplies && hasCheckpoints {
                let oracle = try TeacherStudentOracle(config)
                let names = try root.openGroup("checkpoints").memberNames().filter { $0.hasPrefix("step_") }
                report.oracleSteps = names.compactMap { Int($0.dropFirst(5)) }.sorted()
                for step in report.oracleSteps {
                    let trained = try root.openDataset("checkpoints/\(RunFile.checkpointName(step))/S").read(as: Double.self)
                    report.oracleDistances.append(oracle.relativeDistance(to: trained, step: step))
                }
                let group = try analysis.createGroup("oracle")
                try write(group, "step", report.oracleSteps.map(Double.init), "checkpoint step of each entry", units: "steps")
                try write(group, "relative_distance", report.oracleDistances,
                          "||S_exact - S||_F / ||S_exact||_F: the exact GD solution from the eigendecomposition of Sigma_train against the trained S")
            }
            let crossings = try analysis.createGroup("crossings")
            for (name, value, description) in [
                ("measured_t_star_train", report.measuredTrain, "first step with train accuracy >= threshold, interpolated (NaN: never)"),
                ("measured_t_star_gen", report.measuredGeneralization, "first step with test accuracy >= threshold, interpolated (NaN: never)"),
                ("measured_delay", report.measuredDelay, "measured t_star_gen - t_star_train"),
                ("predicted_t_star_train", report.predictedTrain, "Marchenko-Pastur prediction of t_star_train (inf: never)"),
                ("predicted_t_star_gen", report.predictedGeneralization, "Marchenko-Pastur prediction of t_star_gen (inf: never)"),
                ("predicted_delay", report.predictedDelay, "Marchenko-Pastur prediction of the grokking delay"),
            ] {
                try write(crossings, name, [value], description, units: "steps")
            }
            try crossings.setAttribute("threshold", threshold)
        }
        return report
    }

    public static func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> [(UInt64?, Report)] {
        let (seeds, _, _, _) = try EnsembleFile.read(path: indexPath)
        let directory = EnsembleFile.seedDirectory(for: indexPath)
        var reports: [(UInt64?, Report)] = []
        for seed in seeds {
            let path = (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed))
            reports.append((seed, try analyze(path: path, options: options)))
        }
        try DurableFile.edit(indexPath) { copy in
            let index = try HDF5File.open(path: copy, writable: true)
            defer { try? index.close() }
            if try index.root.exists("analysis") {
                guard options.overwrite else { throw RunFileError("'\(indexPath)' already has /analysis; pass --force to recompute it") }
                try index.root.delete("analysis")
            }
            let group = try index.root.createGroup("analysis")
            try group.setAttribute("description", "per-seed crossing times of 'groksim analyze'; each seed's oracle check is in its run file")
            try write(group, "seed", seeds.map { Double($0) }, "seed of each entry")
            try write(group, "measured_t_star_train", reports.map { $0.1.measuredTrain }, "measured train crossing step per seed", units: "steps")
            try write(group, "measured_t_star_gen", reports.map { $0.1.measuredGeneralization }, "measured test crossing step per seed", units: "steps")
            try write(group, "measured_delay", reports.map { $0.1.measuredDelay }, "measured grokking delay per seed", units: "steps")
            try write(group, "predicted_delay", [reports.first?.1.predictedDelay ?? .nan], "Marchenko-Pastur grokking delay", units: "steps")
            try index.close()
        }
        return reports
    }

    static func write(_ group: HDF5Group, _ name: String, _ values: [Double], _ description: String, units: String = "1") throws {
        let dataset = try group.createDataset(name, of: Double.self, shape: [values.count])
        try dataset.write(values)
        try dataset.setAttribute("description", description)
        try dataset.setAttribute("units", units)
    }

    /// The printed report: the oracle's largest distance and the crossing table (with the mean over seeds).
    public static func render(_ reports: [(UInt64?, Report)]) -> String {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", x) : (x.isNaN ? "n/a" : "never") }
        var lines = ["seed      oracle max rel. distance  t*_train (meas / MP)   t*_gen (meas / MP)     delay (meas / MP)"]
        for (seed, report) in reports {
            let oracle = report.oracleApplies
                ? (report.oracleDistances.max().map { String(format: "%.3e over %d ckpts", $0, report.oracleDistances.count) } ?? "no checkpoints")
                : "n/a (not plain GD)"
            lines.append("\(seed.map(String.init) ?? "-")".padding(toLength: 10, withPad: " ", startingAt: 0)
                         + oracle.padding(toLength: 26, withPad: " ", startingAt: 0)
                         + "\(f(report.measuredTrain)) / \(f(report.predictedTrain))".padding(toLength: 23, withPad: " ", startingAt: 0)
                         + "\(f(report.measuredGeneralization)) / \(f(report.predictedGeneralization))".padding(toLength: 23, withPad: " ", startingAt: 0)
                         + "\(f(report.measuredDelay)) / \(f(report.predictedDelay))")
        }
        if reports.count > 1 {
            let delays = reports.map { $0.1.measuredDelay }.filter { $0.isFinite }
            let mean = delays.isEmpty ? Double.nan : delays.reduce(0, +) / Double(delays.count)
            lines.append("mean measured delay over \(delays.count) seeds: \(f(mean)) (Marchenko-Pastur \(f(reports[0].1.predictedDelay)))")
        }
        return lines.joined(separator: "\n")
    }
}
