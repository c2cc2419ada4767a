/// The legend box: one row per series with a sample of its line and its label.
struct Legend {
    static let fontSize = 12.0
    private static let rowHeight = 18.0, padding = 8.0, sampleWidth = 24.0, gap = 6.0, inset = 8.0

    let entries: [ProjectedSeries]

    /// The size of the box; zero when there is nothing to list.
    var size: (width: Double, height: Double) {
        guard !entries.isEmpty else { return (0, 0) }
        let text = entries.map { TextMetrics.width($0.label, fontSize: Self.fontSize) }.max() ?? 0
        return (2 * Self.padding + Self.sampleWidth + Self.gap + text,
                Self.padding + Double(entries.count) * Self.rowHeight)
    }

    /// The box's place for `position` next to or inside `plot`, or nil if no legend is drawn.
    func frame(for position: LineChart.LegendPosition, plot: Rect) -> Rect? {
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
        case .outsideRight: return Rect(x: plot.maxX + 2 * Self.inset, y: plot.y, width: w, height: h)
        case .best:
            let corners: [LineChart.LegendPosition] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
            let frames = corners.compactMap { frame(for: $0, plot: plot) }
            // The first corner with the fewest line pieces underneath; ties keep the top right.
            return frames.min { covered(by: $0) < covered(by: $1) }
        }
    }

    /// How many line segments, markers and band edges lie under `box`.
    private func covered(by box: Rect) -> Int {
        var count = 0
        for series in entries {
            for run in series.runs {
                if run.count == 1 {
                    if box.contains(run[0]) { count += 1 }
                } else {
                    for (a, b) in zip(run, run.dropFirst()) where box.intersects(a, b) { count += 1 }
                }
            }
            for outline in series.bands {
                for (a, b) in zip(outline, outline.dropFirst() + outline.prefix(1)) where box.intersects(a, b) {
                    count += 1
                }
            }
        }
        return count
    }

    /// Draws the box at `box`.
    func write(into svg: inout SVGWriter, at box: Rect) {
        let f = NumberFormat.coordinate
        svg.open("g", [("class", "legend")])
        svg.element("rect", [("x", f(box.x)), ("y", f(box.y)), ("width", f(box.width)), ("height", f(box.height)),
                             ("fill", "#ffffff"), ("fill-opacity", "0.85"), ("stroke", "#bbbbbb")])
        for (row, series) in entries.enumerated() {
            let middle = box.y + Self.padding / 2 + (Double(row) + 0.5) * Self.rowHeight
            let start = box.x + Self.padding, end = start + Self.sampleWidth
            if series.hasBand {
                svg.element("rect", [("x", f(start)), ("y", f(middle - 5)), ("width", f(Self.sampleWidth)),
                                     ("height", "10"), ("fill", series.color), ("fill-opacity", "0.18")])
            }
            if series.isMarkersOnly {
                svg.element("circle", [("class", "legend-marker"), ("data-series", series.label),
                                       ("cx", f(start + Self.sampleWidth / 2)), ("cy", f(middle)),
                                       ("r", f(ChartRenderer.markerRadius)), ("fill", series.color)])
            } else {
                var line = [("class", "legend-line"), ("data-series", series.label),
                            ("x1", f(start)), ("y1", f(middle)), ("x2", f(end)), ("y2", f(middle)),
                            ("stroke", series.color), ("stroke-width", "2")]
                if series.dashed { line.append(("stroke-dasharray", ChartRenderer.dashPattern)) }
                svg.element("line", line)
            }
            svg.element("text", [("class", "legend-label"), ("x", f(end + Self.gap)), ("y", f(middle + 4)),
                                 ("font-size", f(Self.fontSize))], content: series.label)
        }
        svg.close("g")
    }
}
