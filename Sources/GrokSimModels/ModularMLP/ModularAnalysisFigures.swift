import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun

/// The modular MLP's figures drawn after `groksim analyze`: the Fourier power over frequencies at the first, middle
/// and last checkpoints, and the accuracies with the measured fit and grokking steps beside the weight-decay time scale.
enum ModularAnalysisFigures {
    static func make(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        let root = file.root
        guard try root.exists("analysis/power_a") else { return [] }
        func read(_ name: String) throws -> [Double] { try root.openDataset("analysis/\(name)").read(as: Double.self) }
        let steps = try read("step"), frequencies = try read("frequency")
        let a = try read("power_a"), b = try read("power_b")
        let f = frequencies.count
        var figures: [RunFigures.Figure] = []
        if !steps.isEmpty && f > 0 {
            let rows = Array(Set([0, steps.count / 2, steps.count - 1])).sorted()
            let colors = ["#999999", "#E69F00", "#0072B2"]
            let series = rows.enumerated().map { index, row -> LineChart.Series in
                let total = (0..<f).map { a[row * f + $0] + b[row * f + $0] }
                let sum = total.reduce(0, +)
                return LineChart.Series(label: "step \(Int(steps[row]))", x: frequencies, y: total.map { sum > 0 ? $0 / sum : 0 },
                                        color: colors[index % colors.count])
            }
            let chart = LineChart(title: "Fourier power of W1's embeddings (a and b) by frequency", caption: caption,
                                  xLabel: "frequency k on Z_p", yLabel: "share of the non-constant power", series: series)
            figures.append(RunFigures.Figure(fileName: "fourier_power.svg", svg: chart.svg()))
        }
        let metricSteps = try root.openDataset("metrics/step").read(as: Int64.self).map { Double($0) + 1 }
        func metric(_ name: String) throws -> [Double] { try root.openDataset("metrics/\(name)").read(as: Double.self) }
        func vertical(_ label: String, _ step: Double, color: String, dashed: Bool) -> LineChart.Series? {
            step.isFinite && step >= 0 ? LineChart.Series(label: label, x: [step + 1, step + 1], y: [0, 1.02], color: color, dashed: dashed) : nil
        }
        let accuracy = LineChart(
            title: "Train and test accuracy, fit and grokking steps, weight-decay time scale", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "accuracy", xScale: .log10, yRange: 0...1.02,
            series: [LineChart.Series(label: "train", x: metricSteps, y: try metric(ModularMetrics.trainAccuracy.name), color: "#0072B2"),
                     LineChart.Series(label: "test", x: metricSteps, y: try metric(ModularMetrics.testAccuracy.name), color: "#D55E00"),
                     vertical("train accuracy 1", try read("fit_step")[0], color: "#56B4E9", dashed: false),
                     vertical("test >= threshold", try read("grok_step")[0], color: "#E69F00", dashed: false),
                     vertical("1/(lr lambda)", try read("weight_decay_time_scale")[0], color: "#000000", dashed: true),
                     vertical("(1/(lr lambda)) ln alpha", try read("predicted_transition_step")[0], color: "#999999", dashed: true)].compactMap { $0 })
        figures.append(RunFigures.Figure(fileName: "accuracy_timescales.svg", svg: accuracy.svg()))
        return figures
    }
}
