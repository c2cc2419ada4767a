/// A scatter plot of one or more layers of points, rendered as a standalone SVG document.
///
/// Each layer is drawn as a single `path` of markers, so a few thousand points stay a small file.
///
///     var chart = ScatterChart(title: "Training points", xLabel: "u", yLabel: "v",
///                              equalAspect: true)
///     chart.layers.append(.init(label: "y = +1", x: u, y: v))
///     chart.layers.append(.init(label: "flipped", x: fu, y: fv, marker: .cross))
///     try chart.svg().write(toFile: "points.svg", atomically: true, encoding: .utf8)
public struct ScatterChart: Sendable {
    /// The heading above the plot.
    public var title: String
    /// One line under the plot, for example the configuration that produced the data.
    public var caption: String
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis.
    public var yLabel: String
    /// The horizontal range shown; `nil` means the range of the data with a little padding.
    public var xRange: ClosedRange<Double>?
    /// The vertical range shown; `nil` means the range of the data with a little padding.
    public var yRange: ClosedRange<Double>?
    /// The layers to draw, in drawing order; later layers are drawn on top.
    public var layers: [ScatterLayer]
    /// Whether one unit is as long across as up, so distances and angles in the plane read true;
    /// the plot is narrowed or shortened to make it so.
    public var equalAspect: Bool
    /// Where the legend goes.
    public var legend: LineChart.LegendPosition
    /// The width of the document in pixels (at least 160).
    public var width: Int
    /// The height of the document in pixels (at least 120).
    public var height: Int

    /// Creates a chart; every part has a default, so `ScatterChart(layers: [...])` is a complete chart.
    public init(title: String = "", caption: String = "", xLabel: String = "", yLabel: String = "",
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                layers: [ScatterLayer] = [], equalAspect: Bool = false, legend: LineChart.LegendPosition = .best,
                width: Int = 720, height: Int = 440) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xRange = xRange
        self.yRange = yRange
        self.layers = layers
        self.equalAspect = equalAspect
        self.legend = legend
        self.width = width
        self.height = height
    }

    /// The chart as a complete standalone SVG 1.1 document, starting with an XML declaration.
    ///
    /// Points with a coordinate that is not finite are skipped; a chart with nothing to draw
    /// still renders, with a "no data" note.
    public func svg() -> String {
        let frame = ChartFrame(title: title, caption: caption, xLabel: xLabel, yLabel: yLabel,
                               width: width, height: height)
        let data = ProjectedLayer.drawableValues(of: layers)
        // Padding on both axes keeps the outermost markers whole inside the frame.
        let xAxis = Axis(scale: .linear, range: xRange, data: data.x, padding: 0.05)
        let yAxis = Axis(scale: .linear, range: yRange, data: data.y, padding: 0.05)
        let unit = Rect(x: 0, y: 0, width: 1, height: 1)
        let measuring = Legend(layers: layers.enumerated().map { ProjectedLayer($1, index: $0, x: xAxis, y: yAxis, in: unit) })
        var plot = frame.plotArea(xAxis: xAxis, yAxis: yAxis,
                                  rightReserve: legend == .outsideRight ? measuring.outsideWidth : 0)
        if equalAspect { plot = ChartFrame.equalAspect(plot, xAxis: xAxis, yAxis: yAxis) }
        let projected = layers.enumerated().map { ProjectedLayer($1, index: $0, x: xAxis, y: yAxis, in: plot) }
        let legendBox = Legend(layers: projected)

        var svg = SVGWriter()
        frame.begin(&svg)
        let clipID = frame.writeClip(&svg, plot: plot)
        frame.writeGrid(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(clipID))")])
        for layer in projected { layer.write(into: &svg) }
        svg.close("g")
        frame.writeFrame(&svg, plot: plot)
        frame.writeTicks(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        frame.writeLabels(&svg, plot: plot)
        if data.x.isEmpty { frame.writeNoData(&svg, plot: plot) }
        if let box = legendBox.frame(for: legend, plot: plot) { legendBox.write(into: &svg, at: box) }
        frame.end(&svg)
        return svg.text
    }
}
