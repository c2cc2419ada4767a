/// The legend box: one row per series or layer with a sample of how it is drawn and its label.
struct Legend {
    static let fontSize = 12.0
    private static let rowHeight = 18.0, padding = 8.0, sampleWidth = 24.0, gap = 6.0, inset = 8.0

    /// One row of the legend.
    struct Entry {
        /// How the row's sample is drawn, matching how the data is drawn.
        enum Sample {
            /// A line, for a series drawn as a line; with a shaded band behind it if the series has one.
            case line(dashed: Bool, band: Bool)
            /// A dot, for a line series whose points all stand alone.
            case dot(band: Bool)
            /// A scatter marker.
            case marker(ScatterLayer.Marker, size: Double)
            /// A translucent filled box with an outline, for a filled area such as a histogram.
            case swatch(opacity: Double)
        }

        let label: String
        let color: String
        let sample: Sample
        /// The attribute naming the entry on its sample, `data-series` or `data-layer`, as on the data it stands for.
        var dataAttribute = "data-series"
    }

    let entries: [Entry]
    /// Drawn points (markers) in pixels, which the `.best` position avoids covering.
    var points: [Point] = []
    /// Drawn line pieces in pixels, which the `.best` position avoids covering.
    var segments: [(Point, Point)] = []

    /// The size of the box; zero when there is nothing to list.
    var size: (width: Double, height: Double) {
        guard !entries.isEmpty else { return (0, 0) }
        let text = entries.map { TextMetrics.width($0.label, fontSize: Self.fontSize) }.max() ?? 0
        return (2 * Self.padding + Self.sampleWidth + Self.gap + text,
                Self.padding + Double(entries.count) * Self.rowHeight)
    }

    /// The room an outside legend takes beside the plot: its width plus the gap before it.
    var outsideWidth: Double { entries.isEmpty ? 0 : size.width + 2 * Self.inset }

    /// The box's place for `position` next to or inside `plot`, or nil if no legend is drawn.
    ///
    /// An outside legend starts `offset` pixels right of the plot, leaving room for e.g. a colour bar.
    func frame(for position: LineChart.LegendPosition, plot: Rect, offset: Double = 0) -> Rect? {
        guard !entries.isEmpty else { return nil }
        let (w, h) = size
        let left = plot.x + Self.inset, right = plot.maxX - Self.inset - w
        let top = plot.y + Self.inset, bottom = plot.maxY - Self.inset - h
        switch position {
        case .hidden: return nil
        case .topRight: return Rect(x: right, y: top, width: w, height: h)
        case .topLeft: return Rect(x: left, y: top, width: w, height: h)
        case .bottomRight: return Rect(x: right, y: bottom, width: w, height: h)
        case .bottomLeft: return Rect(x: left, y: bottom, width: w, height: h)
        case .outsideRight: return Rect(x: plot.maxX + offset + 2 * Self.inset, y: plot.y, width: w, height: h)
        case .best:
            let corners: [LineChart.LegendPosition] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
            let frames = corners.compactMap { frame(for: $0, plot: plot) }
            // The first corner with the fewest pieces of data underneath; ties keep the top right.
            return frames.min { covered(by: $0) < covered(by: $1) }
        }
    }

    /// How many points and line segments lie under `box`.
    private func covered(by box: Rect) -> Int {
        points.filter { box.contains($0) }.count + segments.filter { box.intersects($0.0, $0.1) }.count
    }

    /// Draws the box at `box`.
    func write(into svg: inout SVGWriter, at box: Rect) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "legend")])
        svg.element("rect", [("x", f(box.x)), ("y", f(box.y)), ("width", f(box.width)), ("height", f(box.height)),
                             ("fill", "#ffffff"), ("fill-opacity", "0.85"), ("stroke", "#bbbbbb")])
        for (row, entry) in entries.enumerated() {
            let middle = box.y + Self.padding / 2 + (Double(row) + 0.5) * Self.rowHeight
            let start = box.x + Self.padding, end = start + Self.sampleWidth
            let tag = (entry.dataAttribute, entry.label)
            func band() {
                svg.element("rect", [("x", f(start)), ("y", f(middle - 5)), ("width", f(Self.sampleWidth)),
                                     ("height", "10"), ("fill", entry.color), ("fill-opacity", "0.18")])
            }
            switch entry.sample {
            case let .line(dashed, hasBand):
                if hasBand { band() }
                var line = [("class", "legend-line"), tag,
                            ("x1", f(start)), ("y1", f(middle)), ("x2", f(end)), ("y2", f(middle)),
                            ("stroke", entry.color), ("stroke-width", "2")]
                if dashed { line.append(("stroke-dasharray", ChartRenderer.dashPattern)) }
                svg.element("line", line)
            case let .dot(hasBand):
                if hasBand { band() }
                svg.element("circle", [("class", "legend-marker"), tag,
                                       ("cx", f(start + Self.sampleWidth / 2)), ("cy", f(middle)),
                                       ("r", f(ChartRenderer.markerRadius)), ("fill", entry.color)])
            case let .marker(shape, size):
                // Capped so a large marker still fits its row.
                let centre = Point(x: start + Self.sampleWidth / 2, y: middle)
                svg.element("path", [("class", "legend-marker"), tag, ("data-marker", shape.rawValue)]
                            + MarkerPath.style(shape, color: entry.color, opacity: 1)
                            + [("d", MarkerPath.path(shape, at: [centre], radius: min(size, 12) / 2))])
            case let .swatch(opacity):
                svg.element("rect", [("class", "legend-swatch"), tag, ("x", f(start)), ("y", f(middle - 5)),
                                     ("width", f(Self.sampleWidth)), ("height", "10"), ("fill", entry.color),
                                     ("fill-opacity", NumberFormat.compact(opacity)), ("stroke", entry.color),
                                     ("stroke-width", "1.5")])
            }
            svg.element("text", [("class", "legend-label"), ("x", f(end + Self.gap)), ("y", f(middle + 4)),
                                 ("font-size", f(Self.fontSize))], content: entry.label)
        }
        svg.close("g")
    }
}

extension Legend {
    /// The legend of a line chart, avoiding its lines, lone markers and band edges.
    init(series: [ProjectedSeries]) {
        var points: [Point] = [], segments: [(Point, Point)] = []
        for line in series {
            for run in line.runs {
                if run.count == 1 { points.append(run[0]) } else { segments += zip(run, run.dropFirst()).map { ($0, $1) } }
            }
            for outline in line.bands {
                segments += zip(outline, outline.dropFirst() + outline.prefix(1)).map { ($0, $1) }
            }
        }
        self.init(entries: series.map { line in
            Entry(label: line.label, color: line.color,
                  sample: line.isMarkersOnly ? .dot(band: line.hasBand) : .line(dashed: line.dashed, band: line.hasBand))
        }, points: points, segments: segments)
    }
}
