/// Lays out a ``LineChart`` and writes it as SVG.
struct ChartRenderer {
    static let dashPattern = "6 4"
    static let markerRadius = 3.0

    let chart: LineChart

    func render() -> String {
        let frame = ChartFrame(title: chart.title, caption: chart.caption, xLabel: chart.xLabel, yLabel: chart.yLabel,
                               width: chart.width, height: chart.height)

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
        let measuringLegend = Legend(series: chart.series.enumerated().map {
            ProjectedSeries($1, index: $0, x: xAxis, y: yAxis, in: Rect(x: 0, y: 0, width: 1, height: 1))
        })
        let plot = frame.plotArea(xAxis: xAxis, yAxis: yAxis,
                                  rightReserve: chart.legend == .outsideRight ? measuringLegend.outsideWidth : 0)
        let series = chart.series.enumerated().map {
            ProjectedSeries($1, index: $0, x: xAxis, y: yAxis, in: plot)
        }
        let legend = Legend(series: series)

        var svg = SVGWriter()
        frame.begin(&svg)
        let clipID = frame.writeClip(&svg, plot: plot)
        frame.writeGrid(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(clipID))")])
        for line in series { writeBands(of: line, into: &svg) }
        for line in series { writeLine(line, into: &svg) }
        svg.close("g")
        // Markers are not clipped, so one on the edge of the plot (often the last step) shows whole.
        svg.open("g", [("class", "markers")])
        for line in series { writeMarkers(of: line, inside: plot, into: &svg) }
        svg.close("g")
        frame.writeFrame(&svg, plot: plot)
        frame.writeTicks(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        frame.writeLabels(&svg, plot: plot)
        if !hasData { frame.writeNoData(&svg, plot: plot) }
        if let box = legend.frame(for: chart.legend, plot: plot) {
            legend.write(into: &svg, at: box)
        }
        frame.end(&svg)
        return svg.text
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

    static func pointList(_ points: [Point]) -> String {
        points.map { "\(NumberFormat.coordinate($0.x)),\(NumberFormat.coordinate($0.y))" }.joined(separator: " ")
    }
}
