import GrokSimCore
import GrokSimHDF5
import GrokSimRun

extension XORReLUModel: AnalyzableModel, MemoryRemedy {
    public var analysisHelp: String {
        """
        For every checkpoint: each neuron's projections <w_j, mu_k>/||mu||, norm and cosines; the mean alignment of \
        positive neurons with +-mu1 and of negative neurons with +-mu2 (and the cross terms). The network output on \
        a grid over span{mu1, mu2} at the chosen checkpoints (Figure 2 of the paper), the agreement at t = 1 between \
        the network and sign(<sum_i y_i x_i, x>) on the test set, and the memorisation and grokking steps. See \
        README.md for the datasets written. Weights are read in blocks.

        A second table, "theorem checks", measures the theorem's claims on the recorded metrics, per seed and (for \
        an ensemble) over seeds: the lowest train accuracy over 1 <= t <= h = floor(sqrt(n)), the test accuracy at t \
        = 1 overall and per cluster, the first step with test accuracy >= --threshold, the test accuracy at t = h \
        and at the last step, how many clusters are below 1/2 at the last step, the one-step agreement, and the \
        largest max_i g_i / min_i g_i over 1..h. It is stored under /analysis/theorem.
        """
    }

    public var assumptionsHelp: String? {
        """
        The theorem of Xu et al. (2024) assumes, for a large universal constant C:
          (A1) ||mu||^2 >= C n^0.51 sqrt(p)   (A2) p >= C n^2 ||mu||^2   (A3) eta <= 1/C
          (A4) alpha <= 1/(C n p)   (A5) omega n m^1.5 p <= alpha ||mu||^2   (A6) m >= C n^0.02
        The same report (at C = 1) is stored in every run file under /assumptions.
        """
    }

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
        TheoremAssumptions.table(TheoremAssumptions.evaluate(XORReLUSettings(config), constant: constant),
                                 constant: constant)
    }

    public func memoryRemedy(_ config: ExperimentConfig) -> String? {
        let settings = XORReLUSettings(config)
        guard settings.resolvedRepresentation == .explicit && Representation.reductionShrinks(settings) else {
            return nil
        }
        return "set representation=exact-reduced (same law, dimension 2+n+m)"
    }
}
