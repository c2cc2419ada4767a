import Foundation
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun

/// The figures Lyu et al. (2024)'s two models share: metrics against step + 1 on a log axis with the law's
/// transition (1/(λη)) ln α and the measured one marked, and the parameter norm beside the early-phase decay
/// ‖θ(0)‖ e^(−ηλt) the theory predicts.
enum TransitionFigures {
    /// A metrics line of a run file: its name, legend label and colour.
    struct Line {
        let metric: String
        let label: String
        let color: String
        var dashed = false
    }

    /// The metrics' steps (+ 1, for the log axis) and the named metric, read from a run file.
    static func metric(_ file: HDF5File, _ name: String) throws -> [Double] {
        try file.root.openDataset("metrics/\(name)").read(as: Double.self)
    }

    /// The transition step `analyze` stored (`/analysis` attribute `transition_step`); nil before the analysis
    /// or when no transition was found (stored as a negative step).
    static func measuredTransition(_ file: HDF5File) throws -> Double? {
        guard try file.root.exists("analysis") else { return nil }
        let step = try file.root.openGroup("analysis").attribute("transition_step", as: Double.self)
        return step >= 0 ? step : nil
    }

    static func stepsPlusOne(_ file: HDF5File) throws -> [Double] {
        try file.root.openDataset("metrics/step").read(as: Int64.self).map { Double($0) + 1 }
    }

    /// `lines` against step + 1 with vertical marks at the predicted and the measured transition (either may be nil).
    static func withTransition(file: HDF5File, fileName: String, title: String, caption: String, yLabel: String,
                               lines: [Line], logY: Bool, yRange: ClosedRange<Double>?, predicted: Double?, measured: Double?) throws -> RunFigures.Figure {
        let steps = try stepsPlusOne(file)
        var series = try lines.map { LineChart.Series(label: $0.label, x: steps, y: try metric(file, $0.metric), color: $0.color, dashed: $0.dashed) }
        let values = series.flatMap { $0.y }.filter { $0.isFinite && (!logY || $0 > 0) }
        let low = yRange?.lowerBound ?? values.min() ?? 0, high = yRange?.upperBound ?? values.max() ?? 1
        func vertical(_ label: String, _ step: Double?, dashed: Bool) -> LineChart.Series? {
            guard let step, step.isFinite, step >= 0 else { return nil }
            return LineChart.Series(label: label, x: [step + 1, step + 1], y: [low, high], color: "#000000", dashed: dashed)
        }
        series += [vertical(String(format: "law (1/(lambda eta)) ln alpha = %.0f", predicted ?? .nan), predicted, dashed: true),
                   vertical(String(format: "measured transition = %.0f", measured ?? .nan), measured, dashed: false)].compactMap { $0 }
        let chart = LineChart(title: title, caption: caption, xLabel: "t + 1 (GD step + 1)", yLabel: yLabel, xScale: .log10,
                              yScale: logY ? .log10 : .linear, yRange: yRange, series: series)
        return RunFigures.Figure(fileName: fileName, svg: chart.svg())
    }

    /// The parameter norm against step + 1 beside ‖θ(0)‖ e^(−ηλt), the kernel phase's decay under weight decay.
    static func normDecay(file: HDF5File, caption: String, learningRate: Double, weightDecay: Double, predicted: Double?) throws -> RunFigures.Figure {
        let steps = try stepsPlusOne(file)
        let norm = try metric(file, "parameter_norm")
        let initial = norm.first ?? .nan
        let decay = steps.map { initial * exp(-learningRate * weightDecay * ($0 - 1)) }
        var series = [LineChart.Series(label: "||theta(t)||", x: steps, y: norm, color: "#0072B2"),
                      LineChart.Series(label: "||theta(0)|| exp(-eta lambda t)", x: steps, y: decay, color: "#D55E00", dashed: true)]
        if let predicted, predicted.isFinite {
            let positive = (norm + decay).filter { $0 > 0 && $0.isFinite }
            series.append(LineChart.Series(label: String(format: "law (1/(lambda eta)) ln alpha = %.0f", predicted),
                                           x: [predicted + 1, predicted + 1], y: [positive.min() ?? 1e-3, positive.max() ?? 1],
                                           color: "#000000", dashed: true))
        }
        let chart = LineChart(title: "Parameter norm and the early-phase decay alpha e^(-eta lambda t)", caption: caption,
                              xLabel: "t + 1 (GD step + 1)", yLabel: "||theta||_2", xScale: .log10, yScale: .log10, series: series)
        return RunFigures.Figure(fileName: "norm_decay.svg", svg: chart.svg())
    }
}
