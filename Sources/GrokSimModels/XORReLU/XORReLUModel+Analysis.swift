import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension XORReLUModel: AnalyzableModel, MemoryRemedy {
    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        let report = try RunAnalysis.analyze(path: runPath, options: options)
        return EnsembleAnalysis.table([(nil, report)]) + "\n\n" + TheoremCheckTable.render(report.theorem.map { [(nil, $0)] } ?? [])
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        let reports = try EnsembleAnalysis.analyze(indexPath: indexPath, options: options)
        return EnsembleAnalysis.table(reports) + "\n\n"
            + TheoremCheckTable.render(reports.compactMap { seed, report in report.theorem.map { (seed, $0) } })
    }

    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        try XORAnalysisFigures.make(file: file, caption: caption)
    }

    public func assumptionsReport(_ config: ExperimentConfig, constant: Double) -> String? {
        TheoremAssumptions.table(TheoremAssumptions.evaluate(XORReLUSettings(config), constant: constant), constant: constant)
    }

    public func memoryRemedy(_ config: ExperimentConfig) -> String? {
        let settings = XORReLUSettings(config)
        guard settings.resolvedRepresentation == .explicit && Representation.reductionShrinks(settings) else { return nil }
        return "set representation=exact-reduced (same law, dimension 2+n+m)"
    }
}
