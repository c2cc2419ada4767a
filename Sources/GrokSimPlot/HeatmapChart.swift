/// A scalar field on a regular grid drawn as coloured cells, with a colour bar, an optional zero contour
/// and optional scatter layers on top, rendered as a standalone SVG document.
///
/// Made for a decision boundary: a model's output f over a plane of inputs, with f = 0 traced as a line
/// and the training points drawn over it.
///
///     var chart = HeatmapChart(title: "f on the (u, v) plane", x: u, y: v, z: f, colorLabel: "f(x)")
///     chart.layers.append(.init(label: "y = +1", x: pu, y: pv))
///     try chart.svg().write(toFile: "boundary.svg", atomically: true, encoding: .utf8)
public struct HeatmapChart: Sendable {
    /// The heading above the plot.
    public var title: String
    /// One line under the plot, for example the configuration that produced the data.
    public var caption: String
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis.
    public var yLabel: String
    /// The grid's column positions, in order (increasing or decreasing); each is the centre of a column of cells.
    public var x: [Double]
    /// The grid's row positions, in order; each is the centre of a row of cells.
    public var y: [Double]
    /// The field: `z[row][column]` is its value at (`x[column]`, `y[row]`).
    ///
    /// Missing or non-finite values leave their cell undrawn and stop the contour there.
    public var z: [[Double]]
    /// The values drawn in full blue and full red, widened to include zero (drawn white);
    /// `nil` means ±the largest magnitude in `z`, so equal magnitudes get equal depth of colour.
    public var colorRange: ClosedRange<Double>?
    /// The label beside the colour bar.
    public var colorLabel: String
    /// Whether to trace where the field crosses zero.
    public var zeroContour: Bool
    /// The legend label of the zero contour; empty leaves it out of the legend.
    public var contourLabel: String
    /// Points drawn over the field, listed in the legend.
    public var layers: [ScatterLayer]
    /// The horizontal range shown; `nil` means the extent of the grid's cells.
    public var xRange: ClosedRange<Double>?
    /// The vertical range shown; `nil` means the extent of the grid's cells.
    public var yRange: ClosedRange<Double>?
    /// Whether one unit is as long across as up, so the plane is not distorted.
    public var equalAspect: Bool
    /// Where the legend goes; `.outsideRight` puts it beyond the colour bar.
    public var legend: LineChart.LegendPosition
    /// The width of the document in pixels (at least 160).
    public var width: Int
    /// The height of the document in pixels (at least 120).
    public var height: Int

    /// Creates a chart of `z[row][column]` over the grid `x` × `y`.
    public init(title: String = "", caption: String = "", xLabel: String = "", yLabel: String = "",
                x: [Double], y: [Double], z: [[Double]], colorRange: ClosedRange<Double>? = nil,
                colorLabel: String = "", zeroContour: Bool = true, contourLabel: String = "0 contour",
                layers: [ScatterLayer] = [], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                equalAspect: Bool = false, legend: LineChart.LegendPosition = .best, width: Int = 720, height: Int = 480) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.z = z
        self.colorRange = colorRange
        self.colorLabel = colorLabel
        self.zeroContour = zeroContour
        self.contourLabel = contourLabel
        self.layers = layers
        self.xRange = xRange
        self.yRange = yRange
        self.equalAspect = equalAspect
        self.legend = legend
        self.width = width
        self.height = height
    }

    /// Creates a chart from values stored row-major: `values[row * x.count + column]` is at (`x[column]`, `y[row]`).
    public init(title: String = "", caption: String = "", xLabel: String = "", yLabel: String = "",
                x: [Double], y: [Double], values: [Double], colorRange: ClosedRange<Double>? = nil,
                colorLabel: String = "", zeroContour: Bool = true, contourLabel: String = "0 contour",
                layers: [ScatterLayer] = [], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                equalAspect: Bool = false, legend: LineChart.LegendPosition = .best, width: Int = 720, height: Int = 480) {
        let columns = x.count
        // A short array leaves its missing cells undrawn rather than trapping.
        let rows = columns == 0 ? [] : y.indices.map { row in
            (0..<columns).map { row * columns + $0 < values.count ? values[row * columns + $0] : .nan }
        }
        self.init(title: title, caption: caption, xLabel: xLabel, yLabel: yLabel, x: x, y: y, z: rows,
                  colorRange: colorRange, colorLabel: colorLabel, zeroContour: zeroContour, contourLabel: contourLabel,
                  layers: layers, xRange: xRange, yRange: yRange, equalAspect: equalAspect, legend: legend,
                  width: width, height: height)
    }

    /// The chart as a complete standalone SVG 1.1 document, starting with an XML declaration.
    ///
    /// Cells, grid positions and points that are not finite are skipped; a chart with nothing to draw
    /// still renders, with a "no data" note.
    public func svg() -> String {
        HeatmapRenderer(chart: self).render()
    }
}
