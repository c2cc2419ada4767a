import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot
import GrokSimRun

/// The XOR model's figures drawn from `/analysis` (see `RunAnalysis`).
enum XORAnalysisFigures {
    /// The analysis figures of one run file that has `/analysis` (see `RunAnalysis`): the decision boundary
    /// and the neurons on span{mu1, mu2} at each boundary step, and histograms of the projections of the
    /// positive neurons on mu1 and mu2 over the checkpoints (the paper's Figures 2, 3 and 4).
    static func make(file: HDF5File, caption: String) throws -> [RunFigures.Figure] {
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
        var figures: [RunFigures.Figure] = []
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
            figures.append(RunFigures.Figure(fileName: "boundary_step_\(step).svg", svg: heatmap.svg()))
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
                figures.append(RunFigures.Figure(fileName: "neurons_step_\(step).svg", svg: scatter.svg()))
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
            figures.append(RunFigures.Figure(fileName: "histogram_mu\(k)_positive.svg", svg: histogram.svg()))
        }
        return figures
    }
}
