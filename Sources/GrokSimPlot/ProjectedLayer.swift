/// A scatter layer mapped to pixels, shared by ``ScatterChart`` and ``HeatmapChart``.
struct ProjectedLayer {
    let label: String
    let color: String
    let marker: ScatterLayer.Marker
    let size: Double
    let opacity: Double
    /// Marker centres of the drawable points whose marker touches the plot; the rest could not be seen.
    let points: [Point]

    init(_ layer: ScatterLayer, index: Int, x: Axis, y: Axis, in plot: Rect) {
        label = layer.label
        color = layer.color.flatMap { $0.isEmpty ? nil : $0 } ?? Palette.color(at: index)
        marker = layer.marker
        size = layer.size.isFinite ? min(max(layer.size, 1), 100) : 6
        opacity = layer.opacity
        let reach = size / 2 + 1
        let visible = Rect(x: plot.x - reach, y: plot.y - reach, width: plot.width + 2 * reach,
                           height: plot.height + 2 * reach)
        var points: [Point] = []
        for i in 0..<min(layer.x.count, layer.y.count)
        where Axis.isDrawable(layer.x[i], on: x.scale) && Axis.isDrawable(layer.y[i], on: y.scale) {
            let p = ChartFrame.project(layer.x[i], layer.y[i], x, y, plot)
            if visible.contains(p) { points.append(p) }
        }
        self.points = points
    }

    /// The data-space coordinates of the drawable points, for choosing the axis ranges.
    static func drawableValues(of layers: [ScatterLayer], xScale: LineChart.Scale = .linear,
                               yScale: LineChart.Scale = .linear) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for layer in layers {
            for i in 0..<min(layer.x.count, layer.y.count)
            where Axis.isDrawable(layer.x[i], on: xScale) && Axis.isDrawable(layer.y[i], on: yScale) {
                xs.append(layer.x[i])
                ys.append(layer.y[i])
            }
        }
        return (xs, ys)
    }

    var legendEntry: Legend.Entry {
        Legend.Entry(label: label, color: color, sample: .marker(marker, size: size), dataAttribute: "data-layer")
    }

    /// One `path` for the whole layer; an empty layer writes nothing but keeps its legend entry.
    func write(into svg: inout SVGWriter) {
        guard !points.isEmpty else { return }
        svg.element("path", [("class", "scatter-layer"), ("data-layer", label), ("data-marker", marker.rawValue),
                             ("data-count", String(points.count))]
                    + MarkerPath.style(marker, color: color, opacity: opacity)
                    + [("d", MarkerPath.path(marker, at: points, radius: size / 2))])
    }
}

extension Legend {
    /// The legend of scatter layers (after any `extra` entries), avoiding their markers.
    init(layers: [ProjectedLayer], extra: [Entry] = [], segments: [(Point, Point)] = []) {
        self.init(entries: extra + layers.map(\.legendEntry), points: layers.flatMap(\.points), segments: segments)
    }
}
