/// Overlaid histograms sharing one set of bins, drawn as step outlines with a translucent fill,
/// rendered as a standalone SVG document.
///
///     var chart = HistogramChart(title: "Projections of the weights", xLabel: "⟨w, e₁⟩",
///                                binCount: 30, normalization: .density)
///     chart.series.append(.init(label: "step 0", values: early))
///     chart.series.append(.init(label: "step 10⁴", values: late))
///     try chart.svg().write(toFile: "overlap.svg", atomically: true, encoding: .utf8)
public struct HistogramChart: Sendable {
    /// One distribution: the values to count, under a label.
    public struct Series: Sendable {
        /// The name shown in the legend and written to the `data-series` attribute.
        public var label: String
        /// The values; those that are not finite are skipped.
        public var values: [Double]
        /// Any SVG colour; `nil` takes the next colour of ``Palette/okabeIto``.
        public var color: String?

        public init(label: String, values: [Double], color: String? = nil) {
            self.label = label
            self.values = values
            self.color = color
        }
    }

    /// What a bar's height measures.
    public enum Normalization: Sendable, Hashable {
        /// The number of values in the bin.
        case count
        /// The count divided by the series' counted total and the bin width, so each outline has area 1
        /// and series of different sizes compare.
        case density
    }

    /// The shared bins and each series' counts and drawn heights.
    public struct Bins: Sendable, Equatable {
        /// Increasing bin edges; bin k holds values in [edges[k], edges[k+1]), the last bin also its right edge.
        public var edges: [Double]
        /// `counts[series][bin]`: how many of the series' values fall in the bin.
        public var counts: [[Int]]
        /// `heights[series][bin]`: the counts under the chart's ``Normalization``.
        public var heights: [[Double]]
    }

    /// The heading above the plot.
    public var title: String
    /// One line under the plot, for example the configuration that produced the data.
    public var caption: String
    /// The label under the horizontal axis.
    public var xLabel: String
    /// The label beside the vertical axis; empty means "count" or "density".
    public var yLabel: String
    /// The distributions, in drawing order; later series are drawn on top.
    public var series: [Series]
    /// The number of equal bins spanning every finite value of every series (at least 1); unused when `binEdges` is set.
    public var binCount: Int
    /// Explicit bin edges; values outside them are not counted. Fewer than two finite edges fall back to `binCount`.
    public var binEdges: [Double]?
    public var normalization: Normalization
    /// Where the legend goes.
    public var legend: LineChart.LegendPosition
    /// The width of the document in pixels (at least 160).
    public var width: Int
    /// The height of the document in pixels (at least 120).
    public var height: Int

    static let fillOpacity = 0.25

    /// Creates a chart; every part has a default, so `HistogramChart(series: [...])` is a complete chart.
    public init(title: String = "", caption: String = "", xLabel: String = "", yLabel: String = "",
                series: [Series] = [], binCount: Int = 20, binEdges: [Double]? = nil,
                normalization: Normalization = .count, legend: LineChart.LegendPosition = .best,
                width: Int = 720, height: Int = 440) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.binCount = binCount
        self.binEdges = binEdges
        self.normalization = normalization
        self.legend = legend
        self.width = width
        self.height = height
    }

    /// The bins the chart draws: shared edges, then each series' counts and heights.
    public func bins() -> Bins {
        let edges = Self.edges(given: binEdges, count: binCount, values: series.flatMap(\.values))
        let bins = edges.count - 1
        let counts = series.map { s -> [Int] in
            var counts = Array(repeating: 0, count: bins)
            for v in s.values where v.isFinite {
                if let k = Self.bin(of: v, edges: edges) { counts[k] += 1 }
            }
            return counts
        }
        let heights = counts.map { c -> [Double] in
            guard normalization == .density else { return c.map(Double.init) }
            let total = Double(c.reduce(0, +))
            guard total > 0 else { return c.map { _ in 0 } }
            return c.indices.map { Double(c[$0]) / (total * (edges[$0 + 1] - edges[$0])) }
        }
        return Bins(edges: edges, counts: counts, heights: heights)
    }

    /// Valid given edges (finite, sorted, distinct), or `count` equal bins over the finite `values`.
    static func edges(given: [Double]?, count: Int, values: [Double]) -> [Double] {
        if let given {
            let edges = Array(Set(given.filter(\.isFinite))).sorted()
            if edges.count >= 2 { return edges }
        }
        let n = min(max(count, 1), 10_000)
        let finite = values.filter(\.isFinite)
        var (low, high) = (finite.min() ?? 0, finite.max() ?? 1)
        // One distinct value still gets bins of some width, centred on it.
        if high - low <= abs(high) * 1e-12 { (low, high) = (low - 0.5, high + 0.5) }
        // Clamped so the width cannot overflow.
        (low, high) = (max(low, -1e300), min(high, 1e300))
        let width = (high - low) / Double(n)
        return (0...n).map { $0 == n ? high : low + Double($0) * width }
    }

    /// The bin holding `value`, or nil outside the edges.
    static func bin(of value: Double, edges: [Double]) -> Int? {
        guard let first = edges.first, let last = edges.last, value >= first, value <= last else { return nil }
        if value == last { return edges.count - 2 }
        // Binary search for the last edge not above the value; exact, unlike dividing by the width.
        var (lo, hi) = (0, edges.count - 1)
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if edges[mid] <= value { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The chart as a complete standalone SVG 1.1 document, starting with an XML declaration.
    ///
    /// Values that are not finite are skipped; a chart with nothing counted still renders, with a "no data" note.
    public func svg() -> String {
        let frame = ChartFrame(title: title, caption: caption, xLabel: xLabel,
                               yLabel: yLabel.isEmpty ? (normalization == .count ? "count" : "density") : yLabel,
                               width: width, height: height)
        let bins = bins()
        let edges = bins.edges
        let tallest = bins.heights.flatMap { $0 }.filter(\.isFinite).max() ?? 0
        let xAxis = Axis(scale: .linear, range: edges.first! ... edges.last!, data: [], padding: 0)
        // Bars stand on zero; the top gets a little room so the tallest step is not on the frame.
        let yAxis = Axis(scale: .linear, range: 0...(tallest > 0 ? tallest * 1.05 : 1), data: [], padding: 0)
        let colors = series.indices.map { series[$0].color.flatMap { $0.isEmpty ? nil : $0 } ?? Palette.color(at: $0) }
        let entries = series.indices.map {
            Legend.Entry(label: series[$0].label, color: colors[$0], sample: .swatch(opacity: Self.fillOpacity))
        }
        let plot = frame.plotArea(xAxis: xAxis, yAxis: yAxis,
                                  rightReserve: legend == .outsideRight ? Legend(entries: entries).outsideWidth : 0)
        // Each outline climbs from the baseline at the first edge, steps across every bin and returns to it.
        let outlines = bins.heights.map { heights -> [Point] in
            var points = [ChartFrame.project(edges[0], 0, xAxis, yAxis, plot)]
            for (k, h) in heights.enumerated() {
                points.append(ChartFrame.project(edges[k], h, xAxis, yAxis, plot))
                points.append(ChartFrame.project(edges[k + 1], h, xAxis, yAxis, plot))
            }
            points.append(ChartFrame.project(edges[edges.count - 1], 0, xAxis, yAxis, plot))
            return points
        }
        let legendBox = Legend(entries: entries, segments: outlines.flatMap { zip($0, $0.dropFirst()).map { ($0, $1) } })

        var svg = SVGWriter()
        frame.begin(&svg)
        let clipID = frame.writeClip(&svg, plot: plot)
        frame.writeGrid(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(clipID))")])
        for (i, outline) in outlines.enumerated() where bins.counts[i].contains(where: { $0 > 0 }) {
            let points = ChartRenderer.pointList(outline)
            svg.element("polygon", [("class", "histogram-fill"), ("data-series", series[i].label), ("points", points),
                                    ("fill", colors[i]), ("fill-opacity", NumberFormat.compact(Self.fillOpacity)),
                                    ("stroke", "none")])
            svg.element("polyline", [("class", "histogram-outline"), ("data-series", series[i].label),
                                     ("data-counts", bins.counts[i].map(String.init).joined(separator: " ")),
                                     ("points", points), ("fill", "none"), ("stroke", colors[i]),
                                     ("stroke-width", "1.5"), ("stroke-linejoin", "miter")])
        }
        svg.close("g")
        frame.writeFrame(&svg, plot: plot)
        frame.writeTicks(&svg, plot: plot, xAxis: xAxis, yAxis: yAxis)
        frame.writeLabels(&svg, plot: plot)
        if tallest <= 0 { frame.writeNoData(&svg, plot: plot) }
        if let box = legendBox.frame(for: legend, plot: plot) { legendBox.write(into: &svg, at: box) }
        frame.end(&svg)
        return svg.text
    }
}
