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
}

extension RunFigures {
    /// The analysis figures of one run file that has `/analysis` (see `RunAnalysis`): the decision boundary
    /// and the neurons on span{mu1, mu2} at each boundary step, and histograms of the projections of the
    /// positive neurons on mu1 and mu2 over the checkpoints (the paper's Figures 2, 3 and 4).
    public static func analysisFigures(file: HDF5File, caption: String) throws -> [Figure] {
        let root = file.root
        guard try root.exists("analysis/boundary") else { return [] }
        let boundary = try root.openGroup("analysis/boundary")
        let u = try boundary.openDataset("u").read(as: Double.self), v = try boundary.openDataset("v").read(as: Double.self)
        let a = try root.openDataset("model/a").read(as: Double.self)
        let plane = try root.openGroup("analysis/plane")
        let trainU = try plane.openDataset("train_u").read(as: Double.self), trainV = try plane.openDataset("train_v").read(as: Double.self)
        let trainY = try plane.openDataset("train_y").read(as: Double.self), flipped = try plane.openDataset("train_flipped").read(as: Double.self)
        func points(_ keep: (Int) -> Bool) -> ([Double], [Double]) {
            let chosen = trainU.indices.filter(keep)
            return (chosen.map { trainU[$0] }, chosen.map { trainV[$0] })
        }
        let positive = points { trainY[$0] > 0 }, negative = points { trainY[$0] < 0 }, noisy = points { flipped[$0] > 0 }
        var figures: [Figure] = []
        for name in try boundary.memberNames() where name.hasPrefix("step_") {
            let step = Int(name.dropFirst(5)) ?? 0
            let field = try boundary.openDataset("\(name)/f").read(as: Double.self)
            let heatmap = HeatmapChart(
                title: "Decision boundary on span{mu1, mu2} at t = \(step)", caption: caption,
                xLabel: "<x, mu1>/||mu||", yLabel: "<x, mu2>/||mu||", x: u, y: v, values: field,
                colorLabel: "f(x)", zeroContour: true, contourLabel: "f = 0",
                layers: [ScatterLayer(label: "train, label +1", x: positive.0, y: positive.1, color: "#D55E00", marker: .circle, size: 5),
                         ScatterLayer(label: "train, label -1", x: negative.0, y: negative.1, color: "#0072B2", marker: .square, size: 5),
                         ScatterLayer(label: "flipped label", x: noisy.0, y: noisy.1, color: "#000000", marker: .cross, size: 8)],
                equalAspect: true, legend: .outsideRight)
            figures.append(Figure(fileName: "boundary_step_\(step).svg", svg: heatmap.svg()))
            if try root.exists("analysis/checkpoints/\(name)") {
                let group = try root.openGroup("analysis/checkpoints/\(name)")
                let p1 = try group.openDataset("proj_mu1").read(as: Double.self), p2 = try group.openDataset("proj_mu2").read(as: Double.self)
                let up = a.indices.filter { a[$0] > 0 }, down = a.indices.filter { a[$0] < 0 }
                let scatter = ScatterChart(
                    title: "Neurons projected on span{mu1, mu2} at t = \(step)", caption: caption,
                    xLabel: "<w_j, mu1>/||mu||", yLabel: "<w_j, mu2>/||mu||",
                    layers: [ScatterLayer(label: "a_j > 0", x: up.map { p1[$0] }, y: up.map { p2[$0] }, color: "#D55E00", marker: .circle, size: 4, opacity: 0.7),
                             ScatterLayer(label: "a_j < 0", x: down.map { p1[$0] }, y: down.map { p2[$0] }, color: "#0072B2", marker: .triangle, size: 4, opacity: 0.7)],
                    equalAspect: true)
                figures.append(Figure(fileName: "neurons_step_\(step).svg", svg: scatter.svg()))
            }
        }
        let checkpoints = try root.openGroup("analysis/checkpoints")
        for (k, title) in [(1, "Figure 3"), (2, "Figure 4")] {
            var series: [HistogramChart.Series] = []
            for name in try checkpoints.memberNames() {
                let projection = try checkpoints.openDataset("\(name)/proj_mu\(k)").read(as: Double.self)
                series.append(HistogramChart.Series(label: "t = \(Int(name.dropFirst(5)) ?? 0)",
                                                    values: a.indices.filter { a[$0] > 0 }.map { projection[$0] }))
            }
            let histogram = HistogramChart(
                title: "<w_j, mu\(k)>/||mu|| over neurons with a_j > 0 (as the paper's \(title))", caption: caption,
                xLabel: "<w_j, mu\(k)>/||mu||", series: series, binCount: 30, normalization: .density)
            figures.append(Figure(fileName: "histogram_mu\(k)_positive.svg", svg: histogram.svg()))
        }
        return figures
    }

    /// The accuracy band of an ensemble: median and 20–80 percentiles over seeds (the paper's Figure 1).
    public static func ensembleFigures(steps: [Int], metrics: [String: [[Double]]], caption: String) -> [Figure] {
        let x = steps.map { Double($0) + 1 }
        func band(_ name: String, _ label: String, _ color: String) -> LineChart.Series? {
            guard let rows = metrics[name], !rows.isEmpty else { return nil }
            let columns = steps.indices.map { column in rows.map { $0[column] } }
            return LineChart.Series(label: label, x: x, y: columns.map { Quantiles.median($0) }, color: color,
                                    band: (columns.map { Quantiles.percentile($0, 0.2) }, columns.map { Quantiles.percentile($0, 0.8) }))
        }
        let chart = LineChart(
            title: "Accuracy over \(metrics["test_accuracy"]?.count ?? 0) seeds: median and 20-80 percentile band", caption: caption,
            xLabel: "t + 1 (GD step + 1)", yLabel: "accuracy", xScale: .log10, yRange: 0...1.02,
            series: [band("train_accuracy", "train (noisy labels)", "#0072B2"), band("test_accuracy", "clean test", "#D55E00")].compactMap { $0 })
        return [Figure(fileName: "accuracy_band.svg", svg: chart.svg())]
    }
}

import GrokSimHDF5
