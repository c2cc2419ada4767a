import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun
import GrokSimTheory

/// Post-hoc analysis of a constant-label run from its recorded metrics, stored under `/analysis`.
///
/// - `conformal_time`: τ(t) = Σ_s η e^(b_s), by the trapezoid rule over the recorded steps (τ is not a metric of
///   its own: a resumed run would restart the sum);
/// - `grokking_step`, `grokking_conformal_time`: first recorded step with test accuracy ≥ threshold;
/// - toy-1d: `train_crossing_step`, `generalization_crossing_step` (train and population loss first below
///   `crossing_level`, interpolated in log-log), `sqrt_log_delay` = √log(t_gen/t_train), and the late-time slopes
///   of b and ‖S‖ fitted over the last decade against log t (‖S‖ against log log t at λ = ½) beside the table's.
enum ConstantLabelAnalysis {
    /// The loss level whose first crossing defines the toy model's train and generalisation times.
    static let crossingLevel = 1e-3

    struct Report {
        var lines: [String] = []
        var grokkingStep = Double.nan
        var separable: Int = -1
    }

    static func analyze(path: String, options: AnalysisOptions) throws -> Report {
        let reader = try RunFileReader(path: path)
        let metrics = try reader.metrics()
        if try reader.file.root.exists("analysis"), !options.overwrite {
            try? reader.file.close()
            throw RunFileError("'\(path)' already has /analysis; pass --force to recompute it")
        }
        let configText = try reader.file.root.attribute("config", as: String.self)
        try? reader.file.close()
        let config = try ConfigLoader.parseResolved(configText, name: "\(path):/config")
        guard config.model == ConstantLabelLogisticModel.modelName else {
            throw RunFileError("'\(path)' is a run of model \"\(config.model)\"; this analysis is the constant-label model's")
        }
        let settings = ConstantLabelSettings(config)
        let eta = config.number(ConstantLabelLogisticModel.Keys.learningRate)
        let steps = metrics.steps.map(Double.init)
        let values = metrics.values
        let bias = values[ConstantLabelMetrics.bias.name] ?? [], norm = values[ConstantLabelMetrics.weightNorm.name] ?? []
        let testAccuracy = values[ConstantLabelMetrics.testAccuracy.name] ?? []
        var tau = [Double](repeating: 0, count: steps.count)
        for k in steps.indices.dropFirst() {
            tau[k] = tau[k - 1] + eta * (steps[k] - steps[k - 1]) * 0.5 * (exp(bias[k]) + exp(bias[k - 1]))
        }
        var report = Report()
        let grok = steps.indices.first { testAccuracy[$0] >= options.grokThreshold }
        report.grokkingStep = grok.map { steps[$0] } ?? .nan
        let grokTau = grok.map { tau[$0] } ?? .nan
        let theory = ConstantLabelTheory.of(settings)
        report.separable = theory.separable.map { $0 ? 1 : 0 } ?? -1
        func f(_ x: Double) -> String { String(format: "%.4g", x) }
        report.lines.append("task \(settings.task.rawValue), lambda = \(f(settings.lambda)), separable: \(report.separable == 1 ? "yes" : report.separable == 0 ? "no" : "not computed"), "
                            + "predicted limiting test accuracy \(f(theory.predictedAccuracy)), final test accuracy \(f(testAccuracy.last ?? .nan))")
        report.lines.append("grokking (test accuracy >= \(options.grokThreshold)): step \(f(report.grokkingStep)), conformal time \(f(grokTau))")
        var scalars: [(String, Double, String, String)] = [
            ("grokking_step", report.grokkingStep, "first recorded step with test accuracy >= threshold (NaN if never)", "steps"),
            ("grokking_conformal_time", grokTau, "conformal time tau = sum eta e^b at the grokking step", "1"),
        ]
        if settings.task == .toy1D {
            let trainLoss = values[ConstantLabelMetrics.trainLoss.name] ?? [], population = values[ConstantLabelMetrics.populationLoss.name] ?? []
            let tTrain = crossing(steps, trainLoss), tGen = crossing(steps, population)
            let delay = (log(tGen / tTrain)).squareRoot()
            let predicted = ToyModelTheory.lateSlopes(lambda: settings.toyLambda, sigma: settings.sigma)
            let late = steps.indices.filter { steps[$0] >= (steps.last ?? 0) / 10 && steps[$0] > 0 }
            let logT = late.map { log(steps[$0]) }
            let biasSlope = slope(logT, late.map { bias[$0] })
            let normSlope = slope(predicted.normAgainstLogLog ? logT.map(log) : logT, late.map { norm[$0] })
            let sInfinity = ToyModelTheory.limitingS(lambda: settings.toyLambda, sigma: settings.sigma)
            report.lines.append("toy: S_inf predicted \(f(sInfinity)), measured ||S|| at the end \(f(norm.last ?? .nan))")
            report.lines.append("toy: late slope of b against log t: measured \(f(biasSlope)), predicted \(f(predicted.bias))")
            report.lines.append("toy: late slope of ||S|| against \(predicted.normAgainstLogLog ? "log log t" : "log t"): measured \(f(normSlope)), predicted \(f(predicted.norm))")
            report.lines.append("toy: loss below \(crossingLevel): train at step \(f(tTrain)), generalisation at step \(f(tGen)); sqrt(log(t_gen/t_train)) = \(f(delay)), "
                                + "log(1 - 2 lambda) = \(f(log(1 - 2 * settings.toyLambda)))")
            scalars += [
                ("train_crossing_step", tTrain, "first step (log-log interpolated) with train loss below crossing_level", "steps"),
                ("generalization_crossing_step", tGen, "first step (log-log interpolated) with population loss below crossing_level", "steps"),
                ("sqrt_log_delay", delay, "sqrt(log(t_gen / t_train)); predicted linear in log(1 - 2 lambda) with slope about 1/sqrt 2", "1"),
                ("bias_slope", biasSlope, "least-squares slope of b against log t over the last decade of steps", "1"),
                ("bias_slope_predicted", predicted.bias, "the table's late-time slope of b against log t", "1"),
                ("norm_slope", normSlope, "least-squares slope of ||S|| against log t (log log t at lambda = 1/2) over the last decade", "1"),
                ("norm_slope_predicted", predicted.norm, "the table's late-time slope of ||S||", "1"),
                ("s_infinity_predicted", sInfinity, "S_inf = log(1/(1 - 2 lambda)) / (2 sigma (1 - lambda)) (NaN for lambda >= 1/2)", "1/x"),
            ]
        }
        try DurableFile.edit(path) { copy in
            let file = try HDF5File.open(path: copy, writable: true)
            defer { try? file.close() }
            if try file.root.exists("analysis") { try file.root.delete("analysis") }
            let group = try file.root.createGroup("analysis")
            try group.setAttribute("description", "post-hoc analysis by 'groksim analyze' of the constant-label model (see README)")
            try group.setAttribute("threshold", options.grokThreshold)
            try group.setAttribute("crossing_level", crossingLevel)
            try group.writeDescribed("step", steps, description: "recorded step of each entry of conformal_time", units: "steps")
            try group.writeDescribed("conformal_time", tau, description: "tau(t) = sum_s eta e^(b_s), trapezoid rule over the recorded steps", units: "1")
            for (name, value, description, units) in scalars {
                try group.writeDescribed(name, [value], shape: [1], description: description, units: units)
            }
        }
        return report
    }

    /// The first step where `values` falls below `crossingLevel`, interpolated linearly in log-log.
    static func crossing(_ steps: [Double], _ values: [Double]) -> Double {
        guard let k = values.indices.first(where: { values[$0] < crossingLevel }) else { return .nan }
        guard k > 0, steps[k - 1] > 0 else { return steps[k] }
        let (x0, x1) = (log(steps[k - 1]), log(steps[k])), (y0, y1) = (log(values[k - 1]), log(values[k]))
        return exp(x0 + (log(crossingLevel) - y0) * (x1 - x0) / (y1 - y0))
    }

    /// Least-squares slope of y against x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count >= 2 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }, sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxy / sxx
    }
}
