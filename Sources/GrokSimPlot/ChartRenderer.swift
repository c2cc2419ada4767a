/// Lays out a ``LineChart`` and writes it as SVG.
struct ChartRenderer {
    static let dashPattern = "6 4"
    static let markerRadius = 3.0
    private static let titleSize = 16.0, labelSize = 13.0, tickSize = 11.0, captionSize = 11.0
    private static let majorTick = 5.0, minorTick = 3.0, tickGap = 4.0, margin = 12.0

    let chart: LineChart

    func render() -> String {
        let width = Double(max(chart.width, 160)), height = Double(max(chart.height, 120))

        var xData: [Double] = [], yData: [Double] = []
        for series in chart.series {
            let values = ProjectedSeries.drawableValues(of: series, xScale: chart.xScale, yScale: chart.yScale,
                                                        xRange: chart.xRange)
            xData += values.x
            yData += values.y
        }
        let hasData = !xData.isEmpty
        // Lines usually start and end on the data, so x gets no padding; y does, so extremes stay visible.
        let xAxis = Axis(scale: chart.xScale, range: chart.xRange, data: xData, padding: 0)
        let yAxis = Axis(scale: chart.yScale, range: chart.yRange, data: yData, padding: 0.05)

        // The legend's size depends only on the labels, so it can be measured before the plot is placed.
        let measuringLegend = Legend(entries: chart.series.enumerated().map {
            ProjectedSeries($1, index: $0, x: xAxis, y: yAxis, in: Rect(x: 0, y: 0, width: 1, height: 1))
        })
        let plot = plotArea(width: width, height: height, xAxis: xAxis, yAxis: yAxis,
                            legendWidth: chart.legend == .outsideRight ? measuringLegend.size.width : 0)
        let series = chart.series.enumerated().map {
            ProjectedSeries($1, index: $0, x: xAxis, y: yAxis, in: plot)
        }
        let legend = Legend(entries: series)

        var svg = SVGWriter()
        let f = NumberFormat.coordinate
        svg.raw(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        svg.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
                         ("width", f(width)), ("height", f(height)), ("viewBox", "0 0 \(f(width)) \(f(height))"),
                         ("font-family", "Helvetica, Arial, sans-serif")])
        if !chart.title.isEmpty { svg.element("title", content: chart.title) }
        svg.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])

        // Named after the plot rectangle, so charts inlined in one HTML page only share an id if they share the clip.
        let clipID = "groksim-plot-\([plot.x, plot.y, plot.width, plot.height].map { String(Int($0)) }.joined(separator: "-"))"
        svg.open("defs")
        svg.open("clipPath", [("id", clipID)])
        svg.element("rect", [("x", f(plot.x)), ("y", f(plot.y)), ("width", f(plot.width)), ("height", f(plot.height))])
        svg.close("clipPath")
        svg.close("defs")

        writeGrid(into: &svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(clipID))")])
        for line in series { writeBands(of: line, into: &svg) }
        for line in series { writeLine(line, into: &svg) }
        svg.close("g")
        // Markers are not clipped, so one on the edge of the plot (often the last step) shows whole.
        svg.open("g", [("class", "markers")])
        for line in series { writeMarkers(of: line, inside: plot, into: &svg) }
        svg.close("g")
        svg.element("rect", [("class", "frame"), ("x", f(plot.x)), ("y", f(plot.y)), ("width", f(plot.width)),
                             ("height", f(plot.height)), ("fill", "none"), ("stroke", "#333333")])
        writeTicks(into: &svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        writeLabels(into: &svg, plot: plot, width: width, height: height)
        if !hasData {
            svg.element("text", [("class", "no-data"), ("x", f(plot.x + plot.width / 2)),
                                 ("y", f(plot.y + plot.height / 2)), ("text-anchor", "middle"),
                                 ("font-size", f(Self.labelSize)), ("fill", "#777777")], content: "no data")
        }
        if let box = legend.frame(for: chart.legend, plot: plot) {
            legend.write(into: &svg, at: box)
        }
        svg.close("svg")
        return svg.text
    }

    /// The rectangle the data is drawn in, leaving room for the title, tick labels, axis labels, caption and legend.
    private func plotArea(width: Double, height: Double, xAxis: Axis, yAxis: Axis, legendWidth: Double) -> Rect {
        let yTickWidth = yAxis.ticks.compactMap(\.label).map { TextMetrics.width($0, fontSize: Self.tickSize) }.max() ?? 0
        let lastXTick = xAxis.ticks.filter { $0.label != nil }.max { $0.value < $1.value }?.label ?? ""
        var left = Self.margin + yTickWidth + Self.majorTick + Self.tickGap
        if !chart.yLabel.isEmpty { left += Self.labelSize + 6 }
        var right = max(Self.margin + 8, TextMetrics.width(lastXTick, fontSize: Self.tickSize) / 2 + 4)
        if legendWidth > 0 { right = legendWidth + 16 + Self.margin }
        let top = chart.title.isEmpty ? Self.margin + 4 : Self.margin + Self.titleSize + 14
        var bottom = Self.majorTick + Self.tickGap + Self.tickSize + Self.margin
        if !chart.xLabel.isEmpty { bottom += Self.labelSize + 8 }
        if !chart.caption.isEmpty { bottom += Self.captionSize + 8 }
        // A tiny document still gets a plot, even if the text then overlaps.
        let plotWidth = max(width - left - right, 20), plotHeight = max(height - top - bottom, 20)
        return Rect(x: left, y: top, width: plotWidth, height: plotHeight)
    }

    private func xPosition(_ value: Double, _ axis: Axis, _ plot: Rect) -> Double {
        plot.x + axis.fraction(value) * plot.width
    }

    private func yPosition(_ value: Double, _ axis: Axis, _ plot: Rect) -> Double {
        plot.maxY - axis.fraction(value) * plot.height
    }

    private func writeGrid(into svg: inout SVGWriter, plot: Rect, xAxis: Axis, yAxis: Axis) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "grid"), ("stroke", "#e6e6e6"), ("stroke-width", "1")])
        for tick in xAxis.ticks where tick.isMajor {
            let x = xPosition(tick.value, xAxis, plot)
            svg.element("line", [("x1", f(x)), ("y1", f(plot.y)), ("x2", f(x)), ("y2", f(plot.maxY))])
        }
        for tick in yAxis.ticks where tick.isMajor {
            let y = yPosition(tick.value, yAxis, plot)
            svg.element("line", [("x1", f(plot.x)), ("y1", f(y)), ("x2", f(plot.maxX)), ("y2", f(y))])
        }
        svg.close("g")
    }

    private func writeTicks(into svg: inout SVGWriter, plot: Rect, xAxis: Axis, yAxis: Axis) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "ticks"), ("stroke", "#333333"), ("stroke-width", "1")])
        for tick in xAxis.ticks {
            let x = xPosition(tick.value, xAxis, plot), length = tick.isMajor ? Self.majorTick : Self.minorTick
            svg.element("line", [("x1", f(x)), ("y1", f(plot.maxY)), ("x2", f(x)), ("y2", f(plot.maxY + length))])
        }
        for tick in yAxis.ticks {
            let y = yPosition(tick.value, yAxis, plot), length = tick.isMajor ? Self.majorTick : Self.minorTick
            svg.element("line", [("x1", f(plot.x - length)), ("y1", f(y)), ("x2", f(plot.x)), ("y2", f(y))])
        }
        svg.close("g")
        svg.open("g", [("class", "tick-labels"), ("font-size", f(Self.tickSize)), ("fill", "#333333")])
        for tick in xAxis.ticks {
            guard let label = tick.label else { continue }
            svg.element("text", [("class", "x-tick-label"), ("x", f(xPosition(tick.value, xAxis, plot))),
                                 ("y", f(plot.maxY + Self.majorTick + Self.tickGap + Self.tickSize * 0.8)),
                                 ("text-anchor", "middle")], content: label)
        }
        for tick in yAxis.ticks {
            guard let label = tick.label else { continue }
            svg.element("text", [("class", "y-tick-label"), ("x", f(plot.x - Self.majorTick - Self.tickGap)),
                                 ("y", f(yPosition(tick.value, yAxis, plot) + Self.tickSize * 0.35)),
                                 ("text-anchor", "end")], content: label)
        }
        svg.close("g")
    }

    private func writeLabels(into svg: inout SVGWriter, plot: Rect, width: Double, height: Double) {
        let f = NumberFormat.coordinate
        if !chart.title.isEmpty {
            svg.element("text", [("class", "title"), ("x", f(width / 2)), ("y", f(Self.margin + Self.titleSize)),
                                 ("text-anchor", "middle"), ("font-size", f(Self.titleSize)),
                                 ("font-weight", "bold")], content: chart.title)
        }
        let tickLabelBottom = plot.maxY + Self.majorTick + Self.tickGap + Self.tickSize
        if !chart.xLabel.isEmpty {
            svg.element("text", [("class", "x-label"), ("x", f(plot.x + plot.width / 2)),
                                 ("y", f(tickLabelBottom + 6 + Self.labelSize * 0.8)), ("text-anchor", "middle"),
                                 ("font-size", f(Self.labelSize))], content: chart.xLabel)
        }
        if !chart.yLabel.isEmpty {
            let x = Self.margin + Self.labelSize * 0.8, y = plot.y + plot.height / 2
            svg.element("text", [("class", "y-label"), ("x", f(x)), ("y", f(y)), ("text-anchor", "middle"),
                                 ("transform", "rotate(-90 \(f(x)) \(f(y)))"), ("font-size", f(Self.labelSize))],
                        content: chart.yLabel)
        }
        if !chart.caption.isEmpty {
            svg.element("text", [("class", "caption"), ("x", f(Self.margin)), ("y", f(height - Self.margin + 2)),
                                 ("font-size", f(Self.captionSize)), ("fill", "#555555")], content: chart.caption)
        }
    }

    private func writeBands(of series: ProjectedSeries, into svg: inout SVGWriter) {
        for outline in series.bands {
            svg.element("polygon", [("class", "series-band"), ("data-series", series.label),
                                    ("points", Self.pointList(outline)), ("fill", series.color),
                                    ("fill-opacity", "0.18"), ("stroke", "none")])
        }
    }

    private func writeLine(_ series: ProjectedSeries, into svg: inout SVGWriter) {
        for run in series.runs where run.count > 1 {
            var attributes = [("class", "series-line"), ("data-series", series.label),
                              ("points", Self.pointList(run)), ("fill", "none"), ("stroke", series.color),
                              ("stroke-width", "1.8"), ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
            if series.dashed { attributes.append(("stroke-dasharray", Self.dashPattern)) }
            svg.element("polyline", attributes)
        }
    }

    /// A lone point has no line to draw, so it gets a marker instead, drawn if its centre is in the plot.
    private func writeMarkers(of series: ProjectedSeries, inside plot: Rect, into svg: inout SVGWriter) {
        let f = NumberFormat.coordinate
        let slack = Rect(x: plot.x - 0.5, y: plot.y - 0.5, width: plot.width + 1, height: plot.height + 1)
        for run in series.runs where run.count == 1 && slack.contains(run[0]) {
            svg.element("circle", [("class", "series-marker"), ("data-series", series.label),
                                   ("cx", f(run[0].x)), ("cy", f(run[0].y)), ("r", f(Self.markerRadius)),
                                   ("fill", series.color)])
        }
    }

    private static func pointList(_ points: [Point]) -> String {
        points.map { "\(NumberFormat.coordinate($0.x)),\(NumberFormat.coordinate($0.y))" }.joined(separator: " ")
    }
}
