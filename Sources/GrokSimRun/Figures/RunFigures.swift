import Foundation
import GrokSimCore
import GrokSimPlot

/// The standard figures of a run, drawn from its metrics as SVG.
public enum RunFigures {
    /// One figure: its file name and SVG text.
    public struct Figure: Sendable {
        public let fileName: String
        public let svg: String

        public init(fileName: String, svg: String) {
            self.fileName = fileName
            self.svg = svg
        }
    }

    /// The model's line figures for the metrics of one run; `caption` states the config.
    public static func make(model: any Model, steps: [Int], metrics: [String: [Double]], caption: String) -> [Figure] {
        // The papers plot against t + 1 on a log axis so that t = 0 is visible.
        let x = steps.map { Double($0) + 1 }
        return model.figures.map { figure in
            let chart = LineChart(
                title: figure.title, caption: caption, xLabel: "t + 1 (step + 1)", yLabel: figure.yLabel, xScale: .log10,
                yScale: figure.logY ? .log10 : .linear, yRange: figure.yRange,
                series: figure.lines.compactMap { line in
                    metrics[line.metric.name].map { LineChart.Series(label: line.label, x: x, y: $0, dashed: line.dashed) }
                })
            return Figure(fileName: figure.fileName, svg: chart.svg())
        }
    }
}

extension RunFigures {
    /// The accuracy band of an ensemble: median and 20–80 percentiles over seeds (the paper's Figure 1).
    public static func ensembleFigures(model: any Model, steps: [Int], metrics: [String: [[Double]]], caption: String) -> [Figure] {
        let x = steps.map { Double($0) + 1 }
        func band(_ name: String, _ label: String, _ color: String) -> LineChart.Series? {
            guard let rows = metrics[name], !rows.isEmpty else { return nil }
            let columns = steps.indices.map { column in rows.map { $0[column] } }
            return LineChart.Series(label: label, x: x, y: columns.map { Quantiles.median($0) }, color: color,
                                    band: (columns.map { Quantiles.percentile($0, 0.2) }, columns.map { Quantiles.percentile($0, 0.8) }))
        }
        let chart = LineChart(
            title: "Accuracy over \(metrics[model.progressMetrics.test.name]?.count ?? 0) seeds: median and 20-80 percentile band", caption: caption,
            xLabel: "t + 1 (step + 1)", yLabel: "accuracy", xScale: .log10, yRange: 0...1.02,
            series: [band(model.progressMetrics.train.name, "train", "#0072B2"),
                     band(model.progressMetrics.test.name, "test", "#D55E00")].compactMap { $0 })
        return [Figure(fileName: "accuracy_band.svg", svg: chart.svg())]
    }
}

import GrokSimHDF5
