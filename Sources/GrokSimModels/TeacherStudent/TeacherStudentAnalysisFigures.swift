import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun
import GrokSimTheory

/// The teacher-student figures drawn after `groksim analyze`: the accuracies with their 95% crossings marked
/// (measured and predicted, the paper's Figure 1), and the grokking delay against λ with the run's measured
/// delay on the exact Marchenko-Pastur curve and the ε → 0 asymptote.
enum TeacherStudentAnalysisFigures {
    static func make(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
        let root = file.root
        guard try root.exists("analysis/crossings") else { return [] }
        let config = try ConfigLoader.parseResolved(try root.attribute("config", as: String.self), name: "config")
        let crossings = try root.openGroup("analysis/crossings")
        func scalar(_ name: String) throws -> Double { try crossings.openDataset(name).read(as: Double.self).first ?? .nan }
        let steps = try root.openDataset("metrics/step").read(as: Int64.self).map { Double($0) + 1 }
        func metric(_ name: String) throws -> [Double] { try root.openDataset("metrics/\(name)").read(as: Double.self) }
        // A crossing at step t is drawn as a vertical line at t + 1 (the axis is step + 1).
        func vertical(_ label: String, _ step: Double, color: String, dashed: Bool) -> LineChart.Series? {
            step.isFinite ? LineChart.Series(label: label, x: [step + 1, step + 1], y: [0, 1.02], color: color, dashed: dashed) : nil
        }
        let accuracy = LineChart(
            title: "Train and test accuracy with their 95% crossings (Levi et al., Figure 1)", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "accuracy (squared error below epsilon)", xScale: .log10, yRange: 0...1.02,
            series: [LineChart.Series(label: "train", x: steps, y: try metric("train_accuracy"), color: "#0072B2"),
                     LineChart.Series(label: "test", x: steps, y: try metric("test_accuracy"), color: "#D55E00"),
                     LineChart.Series(label: "train, theory", x: steps, y: try metric("predicted_train_accuracy"), color: "#0072B2", dashed: true),
                     LineChart.Series(label: "test, theory", x: steps, y: try metric("predicted_test_accuracy"), color: "#D55E00", dashed: true),
                     vertical("measured t*_train", try scalar("measured_t_star_train"), color: "#56B4E9", dashed: false),
                     vertical("measured t*_gen", try scalar("measured_t_star_gen"), color: "#E69F00", dashed: false),
                     vertical("predicted t*_train", try scalar("predicted_t_star_train"), color: "#56B4E9", dashed: true),
                     vertical("predicted t*_gen", try scalar("predicted_t_star_gen"), color: "#E69F00", dashed: true)].compactMap { $0 })
        var figures = [RunFigures.Figure(fileName: "accuracy_crossings.svg", svg: accuracy.svg())]

        // The delay against lambda at this run's eta, d_out, gamma, init scale and epsilon.
        let theory = TeacherStudentTheory(config)
        let ratios = stride(from: 0.05, through: 0.95, by: 0.05).map { $0 }
        let exact = ratios.map { ratio -> Double in
            let dynamics = LinearEstimatorDynamics(ratio: ratio, learningRate: theory.learningRate, outputs: theory.outputs,
                                                   weightDecay: theory.gamma, initScale: theory.initScale)
            return ((try? dynamics.grokkingDelay(epsilon: theory.epsilon)) ?? nil) ?? .nan
        }
        let asymptote = ratios.map { GrokkingAsymptotes.delayAsEpsilonVanishes(ratio: $0, learningRate: theory.learningRate / Double(theory.outputs)) }
        let measured = try scalar("measured_delay")
        var series = [LineChart.Series(label: "exact Marchenko-Pastur", x: ratios, y: exact, color: "#000000"),
                      LineChart.Series(label: "epsilon -> 0 formula", x: ratios, y: asymptote, color: "#999999", dashed: true)]
        if measured.isFinite && measured > 0 {
            series.append(LineChart.Series(label: "this run (lambda = \(String(format: "%.3g", theory.ratio)))", x: [theory.ratio], y: [measured],
                                           color: "#D55E00"))
        }
        let delay = LineChart(
            title: "Grokking delay t*_gen - t*_train against lambda = d_in / N", caption: caption,
            xLabel: "lambda = d_in / N", yLabel: "delay (GD steps)", yScale: .log10, series: series)
        figures.append(RunFigures.Figure(fileName: "grokking_delay.svg", svg: delay.svg()))
        return figures
    }
}
