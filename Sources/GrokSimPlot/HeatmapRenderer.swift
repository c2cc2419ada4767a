/// Lays out a ``HeatmapChart`` and writes it as SVG.
struct HeatmapRenderer {
    static let contourColor = "#222222"
    private static let barGap = 16.0, barWidth = 14.0

    let chart: HeatmapChart

    /// The grid with non-finite positions dropped: the kept positions and where their values are in `z`.
    private struct Grid {
        let xs: [Double], ys: [Double]
        let columns: [Int], rows: [Int]
        let z: [[Double]]

        /// The value at kept column `c` and kept row `r`; a missing value is NaN.
        func value(_ c: Int, _ r: Int) -> Double {
            let row = rows[r], column = columns[c]
            return row < z.count && column < z[row].count ? z[row][column] : .nan
        }

        /// Each cell's extent along one axis: halfway to its neighbours, and as far again past the ends.
        static func edges(_ v: [Double]) -> [(lo: Double, hi: Double)] {
            let m = v.count
            return v.indices.map { k in
                let lo = k > 0 ? (v[k - 1] + v[k]) / 2 : v[0] - (m > 1 ? (v[1] - v[0]) / 2 : 0.5)
                let hi = k < m - 1 ? (v[k] + v[k + 1]) / 2 : v[m - 1] + (m > 1 ? (v[m - 1] - v[m - 2]) / 2 : 0.5)
                return (lo, hi)
            }
        }
    }

    func render() -> String {
        let frame = ChartFrame(title: chart.title, caption: chart.caption, xLabel: chart.xLabel, yLabel: chart.yLabel,
                               width: chart.width, height: chart.height)
        let columns = chart.x.indices.filter { chart.x[$0].isFinite }, rows = chart.y.indices.filter { chart.y[$0].isFinite }
        let grid = Grid(xs: columns.map { chart.x[$0] }, ys: rows.map { chart.y[$0] }, columns: columns, rows: rows, z: chart.z)
        let xEdges = Grid.edges(grid.xs), yEdges = Grid.edges(grid.ys)
        var values: [Double] = []
        for r in rows.indices { for c in columns.indices where grid.value(c, r).isFinite { values.append(grid.value(c, r)) } }
        let hasCells = !values.isEmpty

        // The grid's cells decide the ranges, so the field fills the plot; points beyond it are clipped.
        let points = ProjectedLayer.drawableValues(of: chart.layers)
        let xAxis: Axis, yAxis: Axis
        if hasCells {
            xAxis = Axis(scale: .linear, range: chart.xRange, data: xEdges.flatMap { [$0.lo, $0.hi] }, padding: 0)
            yAxis = Axis(scale: .linear, range: chart.yRange, data: yEdges.flatMap { [$0.lo, $0.hi] }, padding: 0)
        } else {
            xAxis = Axis(scale: .linear, range: chart.xRange, data: points.x, padding: 0.05)
            yAxis = Axis(scale: .linear, range: chart.yRange, data: points.y, padding: 0.05)
        }

        let colors = DivergingColorMap(range: chart.colorRange, values: values)
        let barTicks = Axis(scale: .linear, range: colors.lower...colors.upper, data: [], padding: 0).ticks
        let barReserve = hasCells ? colorBarWidth(ticks: barTicks) : 0
        let contour = chart.zeroContour ? ZeroContour.segments(xs: grid.xs, ys: grid.ys, value: grid.value) : []
        let contourEntry = contour.isEmpty || chart.contourLabel.isEmpty ? [] : [
            Legend.Entry(label: chart.contourLabel, color: Self.contourColor, sample: .line(dashed: false, band: false)),
        ]

        let unit = Rect(x: 0, y: 0, width: 1, height: 1)
        let measuring = Legend(layers: chart.layers.enumerated().map { ProjectedLayer($1, index: $0, x: xAxis, y: yAxis, in: unit) },
                               extra: contourEntry)
        var plot = frame.plotArea(xAxis: xAxis, yAxis: yAxis,
                                  rightReserve: barReserve + (chart.legend == .outsideRight ? measuring.outsideWidth : 0))
        if chart.equalAspect { plot = ChartFrame.equalAspect(plot, xAxis: xAxis, yAxis: yAxis) }
        let layers = chart.layers.enumerated().map { ProjectedLayer($1, index: $0, x: xAxis, y: yAxis, in: plot) }
        let contourPixels = contour.map {
            (ChartFrame.project($0.0.x, $0.0.y, xAxis, yAxis, plot), ChartFrame.project($0.1.x, $0.1.y, xAxis, yAxis, plot))
        }
        let legend = Legend(layers: layers, extra: contourEntry, segments: contourPixels)

        var svg = SVGWriter()
        frame.begin(&svg)
        let clipID = frame.writeClip(&svg, plot: plot)
        let gradientID = clipID.replacingOccurrences(of: "groksim-plot", with: "groksim-colorbar")
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(clipID))")])
        if hasCells {
            writeCells(into: &svg, grid: grid, xEdges: xEdges, yEdges: yEdges, colors: colors,
                       xAxis: xAxis, yAxis: yAxis, plot: plot)
        }
        if !contourPixels.isEmpty {
            let n = MarkerPath.number
            svg.element("path", [("class", "zero-contour"), ("data-series", chart.contourLabel),
                                 ("d", contourPixels.map { "M\(n($0.0.x)),\(n($0.0.y))L\(n($0.1.x)),\(n($0.1.y))" }.joined()),
                                 ("fill", "none"), ("stroke", Self.contourColor), ("stroke-width", "2"),
                                 ("stroke-linecap", "round")])
        }
        for layer in layers { layer.write(into: &svg) }
        svg.close("g")
        frame.writeFrame(&svg, plot: plot)
        frame.writeTicks(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        frame.writeLabels(&svg, plot: plot)
        if hasCells { writeColorBar(into: &svg, colors: colors, ticks: barTicks, plot: plot, gradientID: gradientID) }
        if !hasCells && points.x.isEmpty { frame.writeNoData(&svg, plot: plot) }
        if let box = legend.frame(for: chart.legend, plot: plot, offset: barReserve) {
            legend.write(into: &svg, at: box)
        }
        frame.end(&svg)
        return svg.text
    }

    /// The room the colour bar takes right of the plot: gap, bar, tick labels and its label.
    private func colorBarWidth(ticks: [Axis.Tick]) -> Double {
        let labels = ticks.compactMap(\.label).map { TextMetrics.width($0, fontSize: ChartFrame.tickSize) }.max() ?? 0
        var width = Self.barGap + Self.barWidth + ChartFrame.majorTick + ChartFrame.tickGap + labels + 4
        if !chart.colorLabel.isEmpty { width += ChartFrame.labelSize + 6 }
        return width
    }

    /// One `rect` per run of equally coloured finite cells in a row, row by row from the first row,
    /// edges rounded once so neighbours meet exactly.
    private func writeCells(into svg: inout SVGWriter, grid: Grid, xEdges: [(lo: Double, hi: Double)],
                            yEdges: [(lo: Double, hi: Double)], colors: DivergingColorMap,
                            xAxis: Axis, yAxis: Axis, plot: Rect) {
        func tenth(_ v: Double) -> Double { (min(max(v, -1e5), 1e5) * 10).rounded() / 10 }
        let xs = xEdges.map { (tenth(ChartFrame.xPosition($0.lo, xAxis, plot)), tenth(ChartFrame.xPosition($0.hi, xAxis, plot))) }
        let ys = yEdges.map { (tenth(ChartFrame.yPosition($0.lo, yAxis, plot)), tenth(ChartFrame.yPosition($0.hi, yAxis, plot))) }
        let n = MarkerPath.number
        // Crisp edges stop anti-aliasing from leaving faint seams between neighbouring cells.
        svg.open("g", [("class", "heatmap"), ("shape-rendering", "crispEdges")])
        for r in grid.ys.indices {
            let top = min(ys[r].0, ys[r].1), h = abs(ys[r].1 - ys[r].0)
            // Neighbours in a row with the same colour share one rect: saturated regions then cost little.
            var run: (first: Int, last: Int, color: String)?
            func flush() {
                guard let (first, last, color) = run else { return }
                let left = min(xs[first].0, xs[first].1, xs[last].0, xs[last].1)
                let right = max(xs[first].0, xs[first].1, xs[last].0, xs[last].1)
                svg.element("rect", [("class", "heatmap-cell"), ("x", n(left)), ("y", n(top)), ("width", n(right - left)),
                                     ("height", n(h)), ("fill", color)])
                run = nil
            }
            for c in grid.xs.indices {
                let value = grid.value(c, r)
                guard value.isFinite else { flush(); continue }
                let color = colors.color(value)
                if let current = run, current.color == color { run = (current.first, c, color); continue }
                flush()
                run = (c, c, color)
            }
            flush()
        }
        svg.close("g")
    }

    private func writeColorBar(into svg: inout SVGWriter, colors: DivergingColorMap, ticks: [Axis.Tick],
                               plot: Rect, gradientID: String) {
        let f = NumberFormat.coordinate
        let bar = Rect(x: plot.maxX + Self.barGap, y: plot.y, width: Self.barWidth, height: plot.height)
        svg.open("defs")
        // Bottom to top, matching the map: its stops are the map's own, so the bar and the cells agree.
        svg.open("linearGradient", [("id", gradientID), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        let stops = [(0.0, DivergingColorMap.hex(DivergingColorMap.zero, DivergingColorMap.negative, 1)),
                     (colors.fraction(0), "#ffffff"),
                     (1.0, DivergingColorMap.hex(DivergingColorMap.zero, DivergingColorMap.positive, 1))]
        for (offset, color) in stops {
            svg.element("stop", [("offset", NumberFormat.compact(offset, decimals: 4)), ("stop-color", color)])
        }
        svg.close("linearGradient")
        svg.close("defs")
        svg.open("g", [("class", "colorbar")])
        svg.element("rect", [("class", "colorbar-fill"), ("x", f(bar.x)), ("y", f(bar.y)), ("width", f(bar.width)),
                             ("height", f(bar.height)), ("fill", "url(#\(gradientID))"), ("stroke", "#333333")])
        let labelX = bar.maxX + ChartFrame.majorTick + ChartFrame.tickGap
        var widest = 0.0
        for tick in ticks {
            let y = bar.maxY - colors.fraction(tick.value) * bar.height
            svg.element("line", [("x1", f(bar.maxX)), ("y1", f(y)), ("x2", f(bar.maxX + ChartFrame.majorTick)),
                                 ("y2", f(y)), ("stroke", "#333333")])
            guard let label = tick.label else { continue }
            widest = max(widest, TextMetrics.width(label, fontSize: ChartFrame.tickSize))
            svg.element("text", [("class", "colorbar-tick-label"), ("x", f(labelX)), ("y", f(y + ChartFrame.tickSize * 0.35)),
                                 ("font-size", f(ChartFrame.tickSize)), ("fill", "#333333")], content: label)
        }
        if !chart.colorLabel.isEmpty {
            let x = labelX + widest + 6 + ChartFrame.labelSize * 0.8, y = bar.y + bar.height / 2
            svg.element("text", [("class", "colorbar-label"), ("x", f(x)), ("y", f(y)), ("text-anchor", "middle"),
                                 ("transform", "rotate(-90 \(f(x)) \(f(y)))"), ("font-size", f(ChartFrame.labelSize))],
                        content: chart.colorLabel)
        }
        svg.close("g")
    }
}
