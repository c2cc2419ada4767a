import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun

extension RandomLabelMLPModel: AnalyzableModel {
    public var analysisHelp: String {
        """
        For each Langevin phase (see /phases): the burn-in chosen by the MSER rule, the mean and variance of the \
        training loss with standard errors from their integrated autocorrelation times (Sokal window; tau_int and the \
        effective number of samples are reported), the effective dimensions D_mean = 2 <L - L0> / T (L0: the loss where \
        GD stopped) and D_var = 2 Var(L) / T^2 with errors, and the mean number of training points with margin below \
        boundary_margin. Up to 2500 parameters also the Hessian of the loss at the start of sampling (central \
        differences of the gradient, LAPACK eigenvalues) and the mean and variance the quadratic expansion predicts \
        at each T. For an ensemble: D_var against the boundary count over every seed and phase, with a fitted line. \
        Stored under /analysis.
        """
    }

    public func analyze(runPath: String, options: AnalysisOptions) throws -> String {
        try RandomLabelMLPAnalysis.analyze(path: runPath, options: options).lines.joined(separator: "\n")
    }

    public func analyzeEnsemble(indexPath: String, options: AnalysisOptions) throws -> String {
        let (seeds, _, _, _) = try EnsembleFile.read(path: indexPath)
        let directory = EnsembleFile.seedDirectory(for: indexPath)
        var lines: [String] = [], counts: [Double] = [], dVar: [Double] = [], dMean: [Double] = []
        for seed in seeds {
            let path = (directory as NSString).appendingPathComponent(EnsembleFile.seedFileName(seed))
            let report = try RandomLabelMLPAnalysis.analyze(path: path, options: options)
            for phase in report.analysis?.phases ?? [] {
                counts.append(phase.nearBoundary); dVar.append(phase.dVar); dMean.append(phase.dMean)
                lines.append(String(format: "seed %d  T %.4g  near-boundary %.3g  D_mean %.4g +- %.2g  D_var %.4g +- %.2g", Int(seed), phase.temperature,
                                    phase.nearBoundary, phase.dMean, phase.dMeanError, phase.dVar, phase.dVarError))
            }
        }
        let fitVar = LangevinPhaseAnalysis.line(x: counts, y: dVar), fitMean = LangevinPhaseAnalysis.line(x: counts, y: dMean)
        lines.append(String(format: "over %d seeds x phases: D_var = %.3g + %.3g (+- %.2g) x near-boundary; D_mean = %.3g + %.3g (+- %.2g) x near-boundary",
                            counts.count, fitVar.intercept, fitVar.slope, fitVar.slopeError, fitMean.intercept, fitMean.slope, fitMean.slopeError))
        return lines.joined(separator: "\n")
    }

    public func analysisFigures(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        guard try file.root.exists("analysis/d_var") else { return [] }
        let g = try file.root.openGroup("analysis")
        func read(_ name: String) throws -> [Double] { try g.exists(name) ? g.openDataset(name).read(as: Double.self) : [] }
        let t = try read("temperature"), dMean = try read("d_mean"), dMeanError = try read("d_mean_error")
        let dVar = try read("d_var"), dVarError = try read("d_var_error"), boundary = try read("near_boundary")
        let variance = try read("loss_variance"), varianceError = try read("loss_variance_error"), qVar = try read("quadratic_variance")
        let qMean = try read("quadratic_mean_excess")
        let traceStep = try read("trace_step"), traceLoss = try read("trace_loss"), tracePhase = try read("trace_phase")
        var figures: [RunFigures.Figure] = []
        let palette = ["#000000", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442"]

        var trace: [LineChart.Series] = []
        for phase in Set(tracePhase.map { Int($0) }).sorted() {
            let rows = tracePhase.indices.filter { Int(tracePhase[$0]) == phase }
            trace.append(LineChart.Series(label: phase == 0 ? "GD" : String(format: "T = %.3g", t[safe: phase - 1] ?? .nan),
                                          x: rows.map { traceStep[$0] }, y: rows.map { traceLoss[$0] }, color: palette[phase % palette.count]))
        }
        figures.append(.init(fileName: "langevin_loss_trace.svg", svg: LineChart(
            title: "Training loss over the phases: GD, then Langevin at each T", caption: caption, xLabel: "step", yLabel: "training loss",
            yScale: .log10, series: trace).svg()))

        func band(_ y: [Double], _ e: [Double]) -> (lower: [Double], upper: [Double]) { (zip(y, e).map { $0 - $1 }, zip(y, e).map { $0 + $1 }) }
        var dSeries = [LineChart.Series(label: "D_var = 2 Var L / T^2 (+-1 sigma)", x: t, y: dVar, color: palette[1], band: band(dVar, dVarError)),
                       LineChart.Series(label: "D_mean = 2 <L - L0> / T (+-1 sigma)", x: t, y: dMean, color: palette[3], band: band(dMean, dMeanError))]
        if !qVar.isEmpty {
            dSeries.append(LineChart.Series(label: "quadratic prediction of D_var", x: t, y: zip(qVar, t).map { 2 * $0 / ($1 * $1) }, color: palette[1], dashed: true))
            dSeries.append(LineChart.Series(label: "quadratic prediction of D_mean", x: t, y: zip(qMean, t).map { 2 * $0 / $1 }, color: palette[3], dashed: true))
        }
        figures.append(.init(fileName: "langevin_d_eff_vs_temperature.svg", svg: LineChart(
            title: "Effective dimension from the loss fluctuations against temperature", caption: caption, xLabel: "temperature T",
            yLabel: "effective dimension", xScale: .log10, series: dSeries).svg()))

        let fit = LangevinPhaseAnalysis.line(x: boundary, y: dVar)
        // The fitted line, drawn as a dense row of small dots.
        let low = boundary.min() ?? 0, high = boundary.max() ?? 1
        let xs = (0...60).map { low + (high - low) * Double($0) / 60 }
        let scatter = ScatterChart(title: String(format: "D_var against training points near the boundary (fit slope %.3g)", fit.slope),
                                   caption: caption, xLabel: "points with margin < boundary_margin", yLabel: "D_var",
                                   layers: [ScatterLayer(label: "phases (one per T)", x: boundary, y: dVar, color: palette[1]),
                                            ScatterLayer(label: "D_mean", x: boundary, y: dMean, color: palette[3], marker: .cross),
                                            ScatterLayer(label: "least-squares line of D_var", x: xs, y: xs.map { fit.intercept + fit.slope * $0 },
                                                         color: palette[0], size: 1.5)])
        figures.append(.init(fileName: "langevin_d_eff_vs_boundary.svg", svg: scatter.svg()))

        var vSeries = [LineChart.Series(label: "measured Var L (+-1 sigma)", x: t, y: variance, color: palette[1], band: band(variance, varianceError))]
        if !qVar.isEmpty { vSeries.append(LineChart.Series(label: "quadratic prediction at the GD endpoint", x: t, y: qVar, color: palette[3], dashed: true)) }
        figures.append(.init(fileName: "langevin_variance_vs_quadratic.svg", svg: LineChart(
            title: "Loss variance against the quadratic approximation", caption: caption, xLabel: "temperature T", yLabel: "Var L",
            xScale: .log10, yScale: .log10, series: vSeries).svg()))
        return figures
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
