/// The parts every chart shares: the document, the plot rectangle, grid, ticks, axis labels, title, caption
/// and the "no data" note.
///
/// Each chart type lays out its own data and calls these, so all charts look alike and are tested alike.
struct ChartFrame {
    static let titleSize = 16.0, labelSize = 13.0, tickSize = 11.0, captionSize = 11.0
    static let majorTick = 5.0, minorTick = 3.0, tickGap = 4.0, margin = 12.0

    let title: String
    let caption: String
    let xLabel: String
    let yLabel: String
    /// The document width in pixels, at least 160.
    let width: Double
    /// The document height in pixels, at least 120.
    let height: Double

    init(title: String, caption: String, xLabel: String, yLabel: String, width: Int, height: Int) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = Double(max(width, 160))
        self.height = Double(max(height, 120))
    }

    /// The rectangle the data is drawn in, leaving room for the title, tick labels, axis labels, caption,
    /// and `rightReserve` pixels beside the plot (an outside legend, a colour bar).
    func plotArea(xAxis: Axis, yAxis: Axis, rightReserve: Double = 0) -> Rect {
        let yTickWidth = yAxis.ticks.compactMap(\.label).map { TextMetrics.width($0, fontSize: Self.tickSize) }.max() ?? 0
        let lastXTick = xAxis.ticks.filter { $0.label != nil }.max { $0.value < $1.value }?.label ?? ""
        var left = Self.margin + yTickWidth + Self.majorTick + Self.tickGap
        if !yLabel.isEmpty { left += Self.labelSize + 6 }
        var right = max(Self.margin + 8, TextMetrics.width(lastXTick, fontSize: Self.tickSize) / 2 + 4)
        if rightReserve > 0 { right = rightReserve + Self.margin }
        let top = title.isEmpty ? Self.margin + 4 : Self.margin + Self.titleSize + 14
        var bottom = Self.majorTick + Self.tickGap + Self.tickSize + Self.margin
        if !xLabel.isEmpty { bottom += Self.labelSize + 8 }
        if !caption.isEmpty { bottom += Self.captionSize + 8 }
        // A tiny document still gets a plot, even if the text then overlaps.
        let plotWidth = max(width - left - right, 20), plotHeight = max(height - top - bottom, 20)
        return Rect(x: left, y: top, width: plotWidth, height: plotHeight)
    }

    /// `plot` shrunk about its centre so one unit is as long on both axes, for pictures of a plane.
    static func equalAspect(_ plot: Rect, xAxis: Axis, yAxis: Axis) -> Rect {
        let xSpan = xAxis.upper - xAxis.lower, ySpan = yAxis.upper - yAxis.lower
        // Only linear axes have a length per unit; a log axis leaves the plot as it is.
        guard xAxis.scale == .linear, yAxis.scale == .linear, xSpan > 0, ySpan > 0 else { return plot }
        let unit = min(plot.width / xSpan, plot.height / ySpan)
        let w = xSpan * unit, h = ySpan * unit
        return Rect(x: plot.x + (plot.width - w) / 2, y: plot.y + (plot.height - h) / 2, width: w, height: h)
    }

    static func xPosition(_ value: Double, _ axis: Axis, _ plot: Rect) -> Double {
        plot.x + axis.fraction(value) * plot.width
    }

    static func yPosition(_ value: Double, _ axis: Axis, _ plot: Rect) -> Double {
        plot.maxY - axis.fraction(value) * plot.height
    }

    /// Where the data point (`u`, `v`) is drawn, clamped far outside the plot so the numbers stay printable.
    static func project(_ u: Double, _ v: Double, _ xAxis: Axis, _ yAxis: Axis, _ plot: Rect) -> Point {
        Point(x: min(max(xPosition(u, xAxis, plot), -1e5), 1e5), y: min(max(yPosition(v, yAxis, plot), -1e5), 1e5))
    }

    /// Opens the document: XML declaration, the `svg` root, the title element and a white background.
    func begin(_ svg: inout SVGWriter) {
        let f = NumberFormat.coordinate
        svg.raw(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        svg.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
                         ("width", f(width)), ("height", f(height)), ("viewBox", "0 0 \(f(width)) \(f(height))"),
                         ("font-family", "Helvetica, Arial, sans-serif")])
        if !title.isEmpty { svg.element("title", content: title) }
        svg.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])
    }

    func end(_ svg: inout SVGWriter) {
        svg.close("svg")
    }

    /// Defines a clip path for `plot` and returns its id.
    func writeClip(_ svg: inout SVGWriter, plot: Rect) -> String {
        let f = NumberFormat.coordinate
        // Named after the plot rectangle, so charts inlined in one HTML page only share an id if they share the clip.
        let clipID = "groksim-plot-\([plot.x, plot.y, plot.width, plot.height].map { String(Int($0)) }.joined(separator: "-"))"
        svg.open("defs")
        svg.open("clipPath", [("id", clipID)])
        svg.element("rect", [("x", f(plot.x)), ("y", f(plot.y)), ("width", f(plot.width)), ("height", f(plot.height))])
        svg.close("clipPath")
        svg.close("defs")
        return clipID
    }

    func writeGrid(_ svg: inout SVGWriter, plot: Rect, xAxis: Axis, yAxis: Axis) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "grid"), ("stroke", "#e6e6e6"), ("stroke-width", "1")])
        for tick in xAxis.ticks where tick.isMajor {
            let x = Self.xPosition(tick.value, xAxis, plot)
            svg.element("line", [("x1", f(x)), ("y1", f(plot.y)), ("x2", f(x)), ("y2", f(plot.maxY))])
        }
        for tick in yAxis.ticks where tick.isMajor {
            let y = Self.yPosition(tick.value, yAxis, plot)
            svg.element("line", [("x1", f(plot.x)), ("y1", f(y)), ("x2", f(plot.maxX)), ("y2", f(y))])
        }
        svg.close("g")
    }

    /// The outline of the plot, drawn over the data.
    func writeFrame(_ svg: inout SVGWriter, plot: Rect) {
        let f = NumberFormat.coordinate
        svg.element("rect", [("class", "frame"), ("x", f(plot.x)), ("y", f(plot.y)), ("width", f(plot.width)),
                             ("height", f(plot.height)), ("fill", "none"), ("stroke", "#333333")])
    }

    func writeTicks(_ svg: inout SVGWriter, plot: Rect, xAxis: Axis, yAxis: Axis) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "ticks"), ("stroke", "#333333"), ("stroke-width", "1")])
        for tick in xAxis.ticks {
            let x = Self.xPosition(tick.value, xAxis, plot), length = tick.isMajor ? Self.majorTick : Self.minorTick
            svg.element("line", [("x1", f(x)), ("y1", f(plot.maxY)), ("x2", f(x)), ("y2", f(plot.maxY + length))])
        }
        for tick in yAxis.ticks {
            let y = Self.yPosition(tick.value, yAxis, plot), length = tick.isMajor ? Self.majorTick : Self.minorTick
            svg.element("line", [("x1", f(plot.x - length)), ("y1", f(y)), ("x2", f(plot.x)), ("y2", f(y))])
        }
        svg.close("g")
        svg.open("g", [("class", "tick-labels"), ("font-size", f(Self.tickSize)), ("fill", "#333333")])
        for tick in xAxis.ticks {
            guard let label = tick.label else { continue }
            svg.element("text", [("class", "x-tick-label"), ("x", f(Self.xPosition(tick.value, xAxis, plot))),
                                 ("y", f(plot.maxY + Self.majorTick + Self.tickGap + Self.tickSize * 0.8)),
                                 ("text-anchor", "middle")], content: label)
        }
        for tick in yAxis.ticks {
            guard let label = tick.label else { continue }
            svg.element("text", [("class", "y-tick-label"), ("x", f(plot.x - Self.majorTick - Self.tickGap)),
                                 ("y", f(Self.yPosition(tick.value, yAxis, plot) + Self.tickSize * 0.35)),
                                 ("text-anchor", "end")], content: label)
        }
        svg.close("g")
    }

    /// The title, axis labels and caption.
    func writeLabels(_ svg: inout SVGWriter, plot: Rect) {
        let f = NumberFormat.coordinate
        if !title.isEmpty {
            svg.element("text", [("class", "title"), ("x", f(width / 2)), ("y", f(Self.margin + Self.titleSize)),
                                 ("text-anchor", "middle"), ("font-size", f(Self.titleSize)),
                                 ("font-weight", "bold")], content: title)
        }
        let tickLabelBottom = plot.maxY + Self.majorTick + Self.tickGap + Self.tickSize
        if !xLabel.isEmpty {
            svg.element("text", [("class", "x-label"), ("x", f(plot.x + plot.width / 2)),
                                 ("y", f(tickLabelBottom + 6 + Self.labelSize * 0.8)), ("text-anchor", "middle"),
                                 ("font-size", f(Self.labelSize))], content: xLabel)
        }
        if !yLabel.isEmpty {
            let x = Self.margin + Self.labelSize * 0.8, y = plot.y + plot.height / 2
            svg.element("text", [("class", "y-label"), ("x", f(x)), ("y", f(y)), ("text-anchor", "middle"),
                                 ("transform", "rotate(-90 \(f(x)) \(f(y)))"), ("font-size", f(Self.labelSize))],
                        content: yLabel)
        }
        if !caption.isEmpty {
            svg.element("text", [("class", "caption"), ("x", f(Self.margin)), ("y", f(height - Self.margin + 2)),
                                 ("font-size", f(Self.captionSize)), ("fill", "#555555")], content: caption)
        }
    }

    /// The note in the middle of a plot with nothing to draw.
    func writeNoData(_ svg: inout SVGWriter, plot: Rect) {
        let f = NumberFormat.coordinate
        svg.element("text", [("class", "no-data"), ("x", f(plot.x + plot.width / 2)),
                             ("y", f(plot.y + plot.height / 2)), ("text-anchor", "middle"),
                             ("font-size", f(Self.labelSize)), ("fill", "#777777")], content: "no data")
    }
}
