import Foundation
import GrokSimCore
import GrokSimPlot

/// The standard figures of a run, drawn from its metrics as SVG.
public enum RunFigures {
    /// One figure: its file name and SVG text.
    public struct Figure: Sendable {
        public let fileName: String
        public let svg: String
    }

    /// The figures for the metrics of one run; `caption` states the config.
    public static func make(steps: [Int], metrics: [String: [Double]], caption: String) -> [Figure] {
        // The paper plots against t + 1 on a log axis so that t = 0 is visible.
        let x = steps.map { Double($0) + 1 }
        func series(_ name: String, _ label: String, dashed: Bool = false, color: String? = nil) -> LineChart.Series? {
            guard let y = metrics[name] else { return nil }
            return LineChart.Series(label: label, x: x, y: y, color: color, dashed: dashed)
        }
        let accuracy = LineChart(
            title: "Train and test accuracy (benign overfitting, then grokking)", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "accuracy", xScale: .log10, yRange: 0...1.02,
            series: [series("train_accuracy", "train (noisy labels)"), series("train_accuracy_flipped", "train, flipped points", dashed: true),
                     series("test_accuracy", "clean test"),
                     series("test_accuracy_plus_mu1", "test +mu1", dashed: true), series("test_accuracy_minus_mu1", "test -mu1", dashed: true),
                     series("test_accuracy_plus_mu2", "test +mu2", dashed: true), series("test_accuracy_minus_mu2", "test -mu2", dashed: true)]
                .compactMap { $0 })
        let loss = LineChart(
            title: "Logistic loss (stays near log 2: the labels are fitted at tiny margins)", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "mean logistic loss (nats)", xScale: .log10,
            series: [series("train_loss", "train"), series("test_loss", "clean test")].compactMap { $0 })
        let norm = LineChart(
            title: "First-layer weight norm", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "||W||_F", xScale: .log10, yScale: .log10,
            series: [series("weight_norm", "||W||_F")].compactMap { $0 })
        let alignment = LineChart(
            title: "Feature learning: mean |<w_j, mu_k>| / ||mu|| by sign of a_j", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "mean |projection|", xScale: .log10, yScale: .log10,
            series: [series("mean_abs_proj_mu1_positive", "a_j > 0, on mu1"), series("mean_abs_proj_mu2_positive", "a_j > 0, on mu2", dashed: true),
                     series("mean_abs_proj_mu1_negative", "a_j < 0, on mu1", dashed: true), series("mean_abs_proj_mu2_negative", "a_j < 0, on mu2")]
                .compactMap { $0 })
        return [Figure(fileName: "accuracy.svg", svg: accuracy.svg()), Figure(fileName: "loss.svg", svg: loss.svg()),
                Figure(fileName: "weight_norm.svg", svg: norm.svg()), Figure(fileName: "alignment.svg", svg: alignment.svg())]
    }

    /// A one-line statement of a run's config for figure captions.
    public static func caption(config: [String: String], runName: String) -> String {
        let keys = ["n", "p", "m", "mu_norm_resolved", "eta", "alpha", "omega", "seed", "precision"]
        return runName + ": " + keys.compactMap { key in config[key].map { "\(key == "mu_norm_resolved" ? "||mu||" : key)=\($0)" } }
            .joined(separator: " ")
    }
}
