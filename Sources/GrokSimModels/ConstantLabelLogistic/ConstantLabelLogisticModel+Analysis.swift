import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension ConstantLabelLogisticModel: AnalyzableModel {
    public var analysisHelp: String {
        """
        From the recorded metrics: the conformal time tau = sum eta e^b (trapezoid over the recorded steps), the \
        grokking step (first recorded step with test accuracy >= --threshold) in steps and in conformal time, beside \
        the theory stored under /theory (separable from the origin, margin, predicted limiting test accuracy). For \
        task = toy-1d also the steps where the train and the population (generalisation) loss first fall below 1e-3, \
        sqrt(log(t_gen/t_train)) against log(1 - 2 lambda), S_inf and the late-time slopes of b and ||S|| fitted \
        over the last decade beside the closed forms. For an ensemble: the same per seed, and the fraction of seeds \
        whose training set is separable beside Wendel's probability. Stored under /analysis.
        """
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        try ConstantLabelAnalysis.analyze(path: runPath, options: options).lines.joined(separator: "\n")
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        let (seeds, _, _, config) = try EnsembleFile.read(path: indexPath)
        let directory = EnsembleFile.seedDirectory(for: indexPath)
        var lines: [String] = [], separable = 0, computed = 0
        for seed in seeds {
            let path = (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed))
            let report = try ConstantLabelAnalysis.analyze(path: path, options: options)
            lines.append("seed \(seed): " + report.lines.prefix(2).joined(separator: "; "))
            if report.separable >= 0 { computed += 1; separable += report.separable }
        }
        let settings = ConstantLabelSettings(config)
        let wendel = ConstantLabelTheory.of(settings).wendel
        lines.append(String(format: "separable from the origin: %d of %d seeds (%.3f); Wendel's probability %.4f", separable, computed,
                            computed > 0 ? Double(separable) / Double(computed) : .nan, wendel))
        return lines.joined(separator: "\n")
    }
}
