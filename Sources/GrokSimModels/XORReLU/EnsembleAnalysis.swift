import Foundation
import GrokSimCore
import GrokSimRun
import GrokSimHDF5

/// `RunAnalysis` for every seed of an ensemble, with the per-seed results gathered in the index file.
public enum EnsembleAnalysis {
    /// Analyses each seed's run file, then writes `/analysis/{seed, memorization_step, grokking_step,
    /// one_step_agreement}` and `/analysis/theorem/...` (one entry per seed) into the index.
    public static func analyze(indexPath: String, options: RunAnalysis.Options) throws -> [(UInt64?, RunAnalysis.Report)] {
        let (seeds, _, _, _) = try EnsembleFile.read(path: indexPath)
        let directory = EnsembleFile.seedDirectory(for: indexPath)
        let existing = try HDF5File.open(path: indexPath, writable: false)
        let analysed = try existing.root.exists("analysis")
        try existing.close()
        if analysed && !options.overwrite {
            throw RunFileError("'\(indexPath)' already has /analysis; pass --force to recompute it")
        }
        var reports: [(UInt64?, RunAnalysis.Report)] = []
        for seed in seeds {
            let path = (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed))
            reports.append((seed, try RunAnalysis.analyze(path: path, options: options)))
        }
        try DurableFile.edit(indexPath) { copy in
            let index = try HDF5File.open(path: copy, writable: true)
            defer { try? index.close() }
            if try index.root.exists("analysis") { try index.root.delete("analysis") }
            try writeSummary(index.root, seeds: seeds, reports: reports, options: options)
            try index.close()
        }
        return reports
    }

    private static func writeSummary(_ root: HDF5Group, seeds: [UInt64], reports: [(UInt64?, RunAnalysis.Report)],
                                     options: RunAnalysis.Options) throws {
        let group = try root.createGroup("analysis")
        try group.setAttribute("description", "per-seed results of 'groksim analyze'; each seed's full analysis is in its run file")
        for (name, values, description, units) in [
            ("seed", seeds.map { Double($0) }, "seed of each entry", "1"),
            ("memorization_step", reports.map { $0.1.memorizationStep }, "first recorded step with train accuracy 1 (NaN if never)", "steps"),
            ("grokking_step", reports.map { $0.1.grokkingStep }, "first recorded step with test accuracy >= \(options.grokThreshold) (NaN if never)", "steps"),
            ("one_step_agreement", reports.map { $0.1.oneStepAgreement }, "agreement at t = 1 with sign(<sum_i y_i x_i, x>) on the test set", "1"),
        ] {
            let dataset = try group.createDataset(name, of: Double.self, shape: [values.count])
            try dataset.write(values)
            try dataset.setAttribute("description", description)
            try dataset.setAttribute("units", units)
        }
        try TheoremCheck.write(reports.compactMap(\.1.theorem), into: group)
    }

    /// One line per run: the steps, the agreement and the alignment at the last checkpoint.
    public static func table(_ reports: [(UInt64?, RunAnalysis.Report)]) -> String {
        // NaN ("-"): a step never reached, or no checkpoint to measure.
        let pad = TableCell.padded, number = TableCell.number
        var lines = ["    seed  memorised at   groks at  agreement t=1  pos on +mu1  pos on -mu1  neg on +mu2  neg on -mu2  (last checkpoint)"]
        for (seed, report) in reports {
            let last = { (name: String) in report.alignment[name]?.last ?? .nan }
            lines.append([pad(seed.map(String.init) ?? "-", 8), pad(number(report.memorizationStep, "%.0f"), 13),
                          pad(number(report.grokkingStep, "%.0f"), 10), pad(number(report.oneStepAgreement, "%.3f"), 14),
                          pad(number(last("positive_on_plus_mu1"), "%.3g"), 12), pad(number(last("positive_on_minus_mu1"), "%.3g"), 12),
                          pad(number(last("negative_on_plus_mu2"), "%.3g"), 12), pad(number(last("negative_on_minus_mu2"), "%.3g"), 12)]
                .joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
