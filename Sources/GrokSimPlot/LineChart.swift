/// A line chart of one or more series, rendered as a standalone SVG document.
///
/// The chart needs nothing but its data: axis ranges, ticks, colours and the legend
/// are chosen automatically, and each can be overridden.
///
///     var chart = LineChart(title: "Grokking", xLabel: "step", yLabel: "test loss",
///                           xScale: .log10, yScale: .log10)
///     chart.series.append(.init(label: "n = 50", x: steps, y: losses))
///     try chart.svg().write(toFile: "loss.svg", atomically: true, encoding: .utf8)
public struct LineChart: Sendable {
    /// How data values map to positions along an axis.
    public enum Scale: Sendable, Hashable {
        /// Equal distances for equal differences.
        case linear
        /// Equal distances for equal ratios; values that are not positive are skipped.
        case log10
    }

    /// Where the legend box goes.
    public enum LegendPosition: Sendable, Hashable {
        /// The inside corner that covers the fewest lines, preferring the top right.
        case best
        case topRight, topLeft, bottomRight, bottomLeft
        /// To the right of the plot, which narrows the plot but never covers data.
        case outsideRight
        /// No legend.
        case hidden
    }

    /// The heading above the plot.
    public var title: String
    /// One line under the plot, for example the configuration that produced the data.
    public var caption: String
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis.
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    /// The horizontal range shown; `nil` means exactly the range of the data.
    public var xRange: ClosedRange<Double>?
    /// The vertical range shown; `nil` means the range of the data with a little padding.
    ///
    /// When `xRange` is set, only the points inside it decide the automatic vertical range.
    public var yRange: ClosedRange<Double>?
    /// The lines to draw, in drawing order; later series are drawn on top.
    public var series: [Series]
    /// Where the legend goes.
    public var legend: LegendPosition
    /// The width of the document in pixels (at least 160).
    public var width: Int
    /// The height of the document in pixels (at least 120).
    public var height: Int

    /// Creates a chart; every part has a default, so `LineChart(series: [...])` is a complete chart.
    public init(title: String = "", caption: String = "", xLabel: String = "", yLabel: String = "",
                xScale: Scale = .linear, yScale: Scale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                series: [Series] = [], legend: LegendPosition = .best, width: Int = 720, height: Int = 440) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.series = series
        self.legend = legend
        self.width = width
        self.height = height
    }

    /// The chart as a complete standalone SVG 1.1 document, starting with an XML declaration.
    ///
    /// Points that cannot be drawn (not finite, or not positive on a log axis) are skipped and
    /// break the line there; a chart with nothing to draw still renders, with a "no data" note.
    public func svg() -> String {
        ChartRenderer(chart: self).render()
    }
}
