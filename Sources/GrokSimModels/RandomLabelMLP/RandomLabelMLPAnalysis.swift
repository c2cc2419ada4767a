import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimRun
import GrokSimTheory

/// `groksim analyze` of a random-label run: the fluctuation analysis of each Langevin phase, the Hessian at the
/// start of sampling and the quadratic prediction beside the measurement, stored under `/analysis`.
enum RandomLabelMLPAnalysis {
    /// Beyond this many parameters the finite-difference Hessian (2P gradients, a P x P eigenproblem) is skipped.
    static let hessianParameterLimit = 2500

    struct Report {
        var lines: [String] = []
        var parameterCount = 0
        var analysis: LangevinPhaseAnalysis? = nil
        var quadratic: QuadraticPrediction? = nil
    }

    static func analyze(path: String, options: AnalysisOptions) throws -> Report {
        let reader = try RunFileReader(path: path)
        let metrics = try reader.metrics()
        let root = reader.file.root
        if try root.exists("analysis"), !options.overwrite {
            try? reader.file.close()
            throw RunFileError("'\(path)' already has /analysis; pass --force to recompute it")
        }
        let configText = try root.attribute("config", as: String.self)
        let config = try ConfigLoader.parseResolved(configText, name: "\(path):/config")
        guard config.model == RandomLabelMLPModel.modelName else {
            try? reader.file.close()
            throw RunFileError("'\(path)' is a run of model \"\(config.model)\"; this analysis is the random-label network's")
        }
        guard try root.exists("phases"), (try root.openGroup("phases").attribute("sampling_started", as: Int.self)) == 1 else {
            try? reader.file.close()
            throw RunFileError("'\(path)' has no Langevin sampling phases (set langevin_phases > 0, or the run stopped before sampling)")
        }
        let phases = try root.openGroup("phases")
        let samplingStart = try phases.attribute("sampling_start_step", as: Int.self)
        let reached = try phases.attribute("gd_loss_target_reached", as: Int.self) == 1
        let temperatures = try phases.openDataset("temperature").read(as: Double.self)
        let rowPhase = try phases.openDataset("metrics_phase").read(as: Int64.self).map(Int.init)
        try? reader.file.close()

        let model = RandomLabelMLPModel()
        let loss = metrics.values[RandomLabelMLPMetrics.trainLoss.name] ?? []
        let boundary = metrics.values[RandomLabelMLPMetrics.nearBoundary.name] ?? []
        let analysis = LangevinPhaseAnalysis(steps: metrics.steps, loss: loss, nearBoundary: boundary, phaseOfRow: rowPhase,
                                             temperatures: temperatures, samplingStart: samplingStart)
        var report = Report()
        report.parameterCount = model.parameterCount(config)
        report.analysis = analysis
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
        report.lines.append("\(model.sizeSummary(config)): GD \(reached ? "reached" : "did NOT reach") training loss < \(f(config.number(DynamicsKeys.gdLossTarget))) "
                            + "at step \(samplingStart); L0 = loss there = \(f(analysis.reference, 6)) (D_mean = 2 <L - L0> / T, D_var = 2 Var L / T^2)")

        // The quadratic expansion at the start of sampling, from that step's checkpoint.
        let checkpointPath = Checkpoint.directory(ofRun: path) + "/" + Checkpoint.fileName(step: samplingStart)
        if report.parameterCount <= hessianParameterLimit, FileManager.default.fileExists(atPath: checkpointPath) {
            let layout = ShardLayout(arrays: model.parameterArrays(config), partition: model.partition(config, parts: 1), part: 0)
            let theta: [Double] = config.precision == .float64
                ? try Checkpoint.readLocal(path: checkpointPath, layout: layout, optimizerState: false, as: Double.self).parameters
                : try Checkpoint.readLocal(path: checkpointPath, layout: layout, optimizerState: false, as: Float.self).parameters.map(Double.init)
            let hessian = SeamHessian(model: model, config: config, parameters: theta)
            let quadratic = try QuadraticPrediction(hessian: hessian, parameters: theta, weightDecay: config.number(DynamicsKeys.weightDecay))
            report.quadratic = quadratic
            report.lines.append("Hessian of L at step \(samplingStart) (central differences of the gradient, eps 1e-7): \(quadratic.eigenvalues.count - quadratic.flatDirections - quadratic.negativeDirections) "
                                + "confining, \(quadratic.flatDirections) flat, \(quadratic.negativeDirections) negative directions (weight decay \(f(quadratic.weightDecay))); "
                                + "thermal dimension sum h/(h + lambda) = \(f(quadratic.thermalDimension)), of which \(quadratic.relaxingDirections(learningRate: config.number(model.learningRateKey), steps: config.integer(DynamicsKeys.langevinPhaseSteps))) "
                                + "stiff enough to relax within one phase (lr h phase_steps >= 1); largest eigenvalue \(f(quadratic.eigenvalues.max() ?? .nan)) "
                                + "(lr x lambda_max = \(f(config.number(model.learningRateKey) * (quadratic.eigenvalues.max() ?? .nan))))")
        } else {
            report.lines.append("no quadratic comparison: \(report.parameterCount > hessianParameterLimit ? "more than \(hessianParameterLimit) parameters" : "no checkpoint at step \(samplingStart)")")
        }
        report.lines.append("   T          burn-in  rows   tau_int   N_eff   <L - L0>            Var L                 D_mean          D_var           near-bdry  quad <L-L0>  quad Var    match")
        for phase in analysis.phases {
            let fl = phase.fluctuations
            var quadratic = ""
            if let q = report.quadratic {
                let qMean = q.meanExcess(temperature: phase.temperature), qVar = q.variance(temperature: phase.temperature)
                let meanOK = abs(fl.mean - analysis.reference - qMean) <= 2 * fl.meanError
                let varOK = abs(fl.variance - qVar) <= 2 * fl.varianceError
                quadratic = "  \(f(qMean))  \(f(qVar))  mean \(meanOK ? "yes" : "no"), var \(varOK ? "yes" : "no")"
            }
            report.lines.append("   \(f(phase.temperature))  \(phase.burnInSteps) steps  \(phase.rows - phase.burnInRows)  \(f(fl.time.tau * phase.rowSpacing, 3)) steps"
                                + "  \(f(fl.effectiveSamples, 3))  \(f(fl.mean - analysis.reference)) +- \(f(fl.meanError, 2))  \(f(fl.variance)) +- \(f(fl.varianceError, 2))"
                                + "  \(f(phase.dMean, 4)) +- \(f(phase.dMeanError, 2))  \(f(phase.dVar, 4)) +- \(f(phase.dVarError, 2))  \(f(phase.nearBoundary, 3))" + quadratic)
        }
        let fit = LangevinPhaseAnalysis.line(x: analysis.phases.map(\.nearBoundary), y: analysis.phases.map(\.dVar))
        report.lines.append("parameters \(report.parameterCount), training points \(config.integer(RandomLabelMLPModel.Keys.n)); D_var against points near the boundary "
                            + "(margin < \(f(config.number(RandomLabelMLPModel.Keys.boundaryMargin)))) over the phases: slope \(f(fit.slope, 3)) +- \(f(fit.slopeError, 2)), intercept \(f(fit.intercept, 3)); "
                            + "'match': the measurement lies within 2 sigma of the quadratic prediction")
        try store(report, path: path, samplingStart: samplingStart, metrics: metrics, rowPhase: rowPhase)
        return report
    }

    private static func store(_ report: Report, path: String, samplingStart: Int, metrics: (steps: [Int], values: [String: [Double]]), rowPhase: [Int]) throws {
        guard let analysis = report.analysis else { return }
        let p = analysis.phases
        try DurableFile.edit(path) { copy in
            let file = try HDF5File.open(path: copy, writable: true)
            defer { try? file.close() }
            if try file.root.exists("analysis") { try file.root.delete("analysis") }
            let group = try file.root.createGroup("analysis")
            try group.setAttribute("description", "Langevin fluctuation analysis by 'groksim analyze' (see README): one entry per sampling phase")
            try group.setAttribute("reference_loss", analysis.reference)
            try group.setAttribute("reference_loss_is", "the training loss at the start of sampling (step \(samplingStart)), where GD stopped")
            try group.setAttribute("parameter_count", report.parameterCount)
            func put(_ name: String, _ values: [Double], _ description: String, _ units: String = "1") throws {
                try group.writeDescribed(name, values, description: description, units: units)
            }
            try put("temperature", p.map(\.temperature), "temperature T of the phase", "nats")
            try put("first_step", p.map { Double($0.firstStep) }, "first step of the phase", "steps")
            try put("burn_in_steps", p.map { Double($0.burnInSteps) }, "steps discarded at the phase's start by the MSER rule", "steps")
            try put("samples", p.map { Double($0.rows - $0.burnInRows) }, "metrics rows kept after the burn-in")
            try put("tau_int_steps", p.map { $0.fluctuations.time.tau * $0.rowSpacing }, "integrated autocorrelation time of the loss (Sokal window, c = 5)", "steps")
            try put("effective_samples", p.map(\.fluctuations.effectiveSamples), "rows kept / tau_int (in rows)")
            try put("loss_mean", p.map(\.fluctuations.mean), "mean training loss <L> over the rows kept", "nats")
            try put("loss_mean_error", p.map(\.fluctuations.meanError), "standard error of <L> (sqrt(Var tau_int / N))", "nats")
            try put("loss_variance", p.map(\.fluctuations.variance), "variance of the training loss (corrected for correlation)", "nats^2")
            try put("loss_variance_error", p.map(\.fluctuations.varianceError), "standard error of the variance, from the autocorrelation of (L - <L>)^2", "nats^2")
            try put("d_mean", p.map(\.dMean), "2 <L - L0> / T, L0 = reference_loss")
            try put("d_mean_error", p.map(\.dMeanError), "standard error of d_mean")
            try put("d_var", p.map(\.dVar), "2 Var(L) / T^2")
            try put("d_var_error", p.map(\.dVarError), "standard error of d_var")
            try put("near_boundary", p.map(\.nearBoundary), "mean number of training points with margin below boundary_margin over the rows kept")
            if let q = report.quadratic {
                try put("quadratic_mean_excess", p.map { q.meanExcess(temperature: $0.temperature) }, "<L - L0> predicted by the quadratic expansion at the start of sampling", "nats")
                try put("quadratic_variance", p.map { q.variance(temperature: $0.temperature) }, "Var L predicted by the quadratic expansion at the start of sampling", "nats^2")
                try put("hessian_eigenvalues", q.eigenvalues, "eigenvalues of the Hessian of the training loss at the start of sampling (LAPACK dsyevd)", "nats")
                try group.setAttribute("quadratic_thermal_dimension", q.thermalDimension)
                try group.setAttribute("hessian_negative_directions", q.negativeDirections)
                try group.setAttribute("hessian_flat_directions", q.flatDirections)
            }
            try put("trace_step", metrics.steps.map(Double.init), "step of each metrics row (for the loss trace figure)", "steps")
            try put("trace_loss", metrics.values[RandomLabelMLPMetrics.trainLoss.name] ?? [], "training loss of each metrics row", "nats")
            try put("trace_phase", rowPhase.map(Double.init), "phase of each metrics row (0: GD)")
        }
    }
}
