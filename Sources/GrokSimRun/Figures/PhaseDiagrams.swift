import Foundation
import GrokSimCore
import GrokSimHDF5
import GrokSimPlot

/// The figures of a sweep index: each summary against one axis with its 20-80% band, heat maps with a
/// contour over two axes, the model's theory on top where it has one, and histograms pooled over seeds.
public enum PhaseDiagrams {
    /// Every figure of the sweep index at `path`.
    public static func figures(indexPath path: String) throws -> [RunFigures.Figure] {
        let plan = try SweepIndex.readPlan(path: path)
        let spec = plan.spec
        let (quantities, summaries) = try SweepIndex.readSummaries(path: path)
        let runs = try spec.runs(indexPath: path)
        guard let first = runs.first else { return [] }
        let model = ModelRegistry.model(of: first.config)
        let theory = model as? any PhaseDiagramModel
        let name = (path as NSString).lastPathComponent
        let caption = "\(name): \(model.name), \(spec.seeds.count) seed(s) per point; median and 20-80% band over complete seeds"
        var figures: [RunFigures.Figure] = []
        if spec.axes.count == 1 {
            figures += quantities.compactMap { quantity in
                lineFigure(spec: spec, quantity: quantity, summary: summaries[quantity.name]!, theory: theory, caption: caption)
            }
        } else if spec.axes.count >= 2 {
            figures += quantities.compactMap { quantity in
                heatmapFigure(spec: spec, quantity: quantity, median: summaries[quantity.name]!.median, theory: theory, caption: caption)
            }
        }
        figures += try histogramFigures(path: path, spec: spec, quantities: quantities, caption: caption)
        return figures
    }

    private static func axisLabel(_ axis: SweepAxis) -> String {
        axis.isLog ? "\(axis.keys[0]) (log scale)" : axis.keys[0]
    }

    /// One quantity against the only axis, with its band and the theory's prediction dashed.
    static func lineFigure(spec: SweepSpec, quantity: SweepQuantity, summary: (median: [Double], low: [Double], high: [Double]),
                           theory: (any PhaseDiagramModel)?, caption: String) -> RunFigures.Figure? {
        let axis = spec.axes[0]
        let x = axis.values.map { $0[0] }
        guard summary.median.contains(where: \.isFinite) else { return nil }
        var series = [LineChart.Series(label: "measured (median)", x: x, y: summary.median, color: "#0072B2",
                                       band: (summary.low, summary.high))]
        if let theory {
            // The theory on a grid four times finer than the sweep's, where the axis is one key.
            let fine = axis.keys.count == 1 ? refine(x, log: axis.isLog, factor: 4) : x
            let predicted = fine.enumerated().map { index, value -> Double in
                let config = axis.keys.count == 1 ? spec.config(point: 0, replacing: [(axis.keys[0], value)])
                                                  : spec.config(point: index, replacing: [])
                return config.flatMap { theory.predictedSweepValue(quantity.name, config: $0) } ?? .nan
            }
            if predicted.contains(where: \.isFinite) {
                series.append(LineChart.Series(label: "theory", x: fine, y: predicted, color: "#D55E00", dashed: true))
            }
        }
        let chart = LineChart(title: "\(quantity.name) against \(axis.name)", caption: caption, xLabel: axisLabel(axis),
                              yLabel: "\(quantity.name) [\(quantity.units)]", xScale: axis.isLog ? .log10 : .linear, series: series)
        return RunFigures.Figure(fileName: "sweep_\(quantity.name).svg", svg: chart.svg())
    }

    /// One quantity over the first two axes (the others at their first value): the field minus its mid-range
    /// level L, so white and the contour mark L, and the lines where each theory condition starts to hold.
    static func heatmapFigure(spec: SweepSpec, quantity: SweepQuantity, median: [Double], theory: (any PhaseDiagramModel)?,
                              caption: String) -> RunFigures.Figure? {
        let xAxis = spec.axes[0], yAxis = spec.axes[1]
        func coordinate(_ axis: SweepAxis, _ value: Double) -> Double { axis.isLog ? log10(value) : value }
        let xs = xAxis.values.map { coordinate(xAxis, $0[0]) }, ys = yAxis.values.map { coordinate(yAxis, $0[0]) }
        // Points with every later axis at position 0.
        func point(_ column: Int, _ row: Int) -> Int {
            spec.axes.indices.reduce(0) { partial, index in
                partial * spec.axes[index].values.count + (index == 0 ? column : index == 1 ? row : 0)
            }
        }
        let field = ys.indices.map { row in xs.indices.map { column in median[point(column, row)] } }
        let finite = field.flatMap { $0 }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        let level = (low + high) / 2
        var layers: [ScatterLayer] = []
        if let theory {
            // Positions 8 times finer than the grid; zipped keys are interpolated together.
            let fineX = fractions(xAxis.values.count, factor: 8), fineY = fractions(yAxis.values.count, factor: 8)
            let configs = fineY.map { ty in fineX.map { tx in
                spec.config(point: 0, replacing: interpolate(xAxis, at: tx) + interpolate(yAxis, at: ty))
            } }
            let fineXs = fineX.map { coordinate(xAxis, interpolate(xAxis, at: $0)[0].1) }
            let fineYs = fineY.map { coordinate(yAxis, interpolate(yAxis, at: $0)[0].1) }
            let conditionNames = configs.lazy.flatMap { $0 }.compactMap { $0 }.first.map { theory.theoryConditions($0).map(\.name) } ?? []
            let markers: [ScatterLayer.Marker] = [.circle, .square, .triangle, .cross]
            for (c, conditionName) in conditionNames.enumerated() {
                let holds = configs.map { row in row.map { config -> Double in
                    guard let config, let condition = theory.theoryConditions(config).first(where: { $0.name == conditionName }) else { return .nan }
                    return condition.holds ? 1 : -1
                } }
                let (bx, by) = crossings(xs: fineXs, ys: fineYs, field: holds)
                if !bx.isEmpty {
                    layers.append(ScatterLayer(label: "(\(conditionName)) starts to hold", x: bx, y: by, marker: markers[c % markers.count],
                                               size: 3))
                }
            }
            let predicted = configs.map { row in row.map { config in
                config.flatMap { theory.predictedSweepValue(quantity.name, config: $0) }.map { $0 - level } ?? .nan
            } }
            let (px, py) = crossings(xs: fineXs, ys: fineYs, field: predicted)
            if !px.isEmpty {
                layers.append(ScatterLayer(label: String(format: "theory = %.4g", level), x: px, y: py, color: "#000000", size: 3))
            }
        }
        let chart = HeatmapChart(title: "\(quantity.name) over \(xAxis.name) x \(yAxis.name)", caption: caption,
                                 xLabel: xAxis.isLog ? "log10 \(xAxis.keys[0])" : xAxis.keys[0],
                                 yLabel: yAxis.isLog ? "log10 \(yAxis.keys[0])" : yAxis.keys[0],
                                 x: xs, y: ys, z: field.map { $0.map { $0 - level } },
                                 colorLabel: String(format: "median %@ - %.4g [%@]", quantity.name, level, quantity.units),
                                 zeroContour: true, contourLabel: String(format: "measured = %.4g", level), layers: layers,
                                 legend: .outsideRight, width: 900)
        return RunFigures.Figure(fileName: "sweep_\(quantity.name).svg", svg: chart.svg())
    }

    /// Histograms of each quantity pooled over the complete seeds, one series per point (at most six points).
    static func histogramFigures(path: String, spec: SweepSpec, quantities: [SweepQuantity], caption: String) throws -> [RunFigures.Figure] {
        let file = try HDF5File.open(path: path, writable: false)
        defer { try? file.close() }
        let points = try file.root.openDataset("runs/point").read(as: Int64.self)
        let statuses = try file.root.openDataset("runs/status").read(as: Int64.self)
        guard spec.pointCount <= 6 else { return [] }
        var figures: [RunFigures.Figure] = []
        for quantity in quantities {
            let values = try file.root.openDataset("runs/summary/\(quantity.name)").read(as: Double.self)
            var chart = HistogramChart(title: "\(quantity.name) pooled over seeds", xLabel: "\(quantity.name) [\(quantity.units)]", binCount: 20)
            chart.caption = caption
            for point in 0..<spec.pointCount {
                let pooled = values.indices.filter { points[$0] == point && statuses[$0] == RunStatus.complete.rawValue }.map { values[$0] }
                guard pooled.contains(where: \.isFinite) else { continue }
                let label = spec.overrides(of: point).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                chart.series.append(.init(label: label.isEmpty ? "all seeds" : label, values: pooled))
            }
            if !chart.series.isEmpty {
                figures.append(RunFigures.Figure(fileName: "pooled_\(quantity.name).svg", svg: chart.svg()))
            }
        }
        return figures
    }

    /// Fractional positions 0, 1/factor, ..., count - 1 along an axis of `count` values.
    static func fractions(_ count: Int, factor: Int) -> [Double] {
        (0...(max(0, count - 1) * factor)).map { Double($0) / Double(factor) }
    }

    /// Each key of `axis` at fractional position `t` (between two grid values: geometric on a log axis).
    static func interpolate(_ axis: SweepAxis, at t: Double) -> [(String, Double)] {
        let low = min(Int(t.rounded(.down)), axis.values.count - 1), high = min(low + 1, axis.values.count - 1)
        let fraction = t - Double(low)
        return axis.keys.indices.map { k in
            let a = axis.values[low][k], b = axis.values[high][k]
            let value = axis.isLog && a > 0 && b > 0 ? exp(log(a) * (1 - fraction) + log(b) * fraction) : a * (1 - fraction) + b * fraction
            return (axis.keys[k], fraction == 0 ? a : value)
        }
    }

    /// `values` with `factor - 1` points between neighbours (geometric when `log`).
    static func refine(_ values: [Double], log: Bool, factor: Int) -> [Double] {
        guard values.count > 1 else { return values }
        var result: [Double] = []
        for index in 0..<(values.count - 1) {
            for k in 0..<factor {
                let t = Double(k) / Double(factor)
                result.append(log ? exp(Foundation.log(values[index]) * (1 - t) + Foundation.log(values[index + 1]) * t)
                                  : values[index] * (1 - t) + values[index + 1] * t)
            }
        }
        return result + [values.last!]
    }

    /// Midpoints of the grid edges where `field` changes sign: points along its zero line.
    static func crossings(xs: [Double], ys: [Double], field: [[Double]]) -> ([Double], [Double]) {
        var px: [Double] = [], py: [Double] = []
        for row in ys.indices {
            for column in xs.indices {
                let here = field[row][column]
                guard here.isFinite else { continue }
                if column + 1 < xs.count, field[row][column + 1].isFinite, (here < 0) != (field[row][column + 1] < 0) {
                    let right = field[row][column + 1]
                    let t = here == right ? 0.5 : here / (here - right)
                    px.append(xs[column] + t * (xs[column + 1] - xs[column])); py.append(ys[row])
                }
                if row + 1 < ys.count, field[row + 1][column].isFinite, (here < 0) != (field[row + 1][column] < 0) {
                    let up = field[row + 1][column]
                    let t = here == up ? 0.5 : here / (here - up)
                    px.append(xs[column]); py.append(ys[row] + t * (ys[row + 1] - ys[row]))
                }
            }
        }
        return (px, py)
    }
}
