/// Scatter markers as SVG path data: every marker of a layer in one `d` attribute, which keeps
/// a layer of thousands of points to a few tens of kilobytes.
enum MarkerPath {
    /// Marker coordinates get one decimal: a tenth of a pixel is invisible, and each point costs fewer bytes.
    static func number(_ value: Double) -> String {
        NumberFormat.compact(value, decimals: 1)
    }

    /// Path data drawing `shape` with radius `radius` (half its width) centred at each of `centres`;
    /// each marker starts with its own `M`, so the count of `M`s is the count of markers.
    static func path(_ shape: ScatterLayer.Marker, at centres: [Point], radius: Double) -> String {
        let r = max(radius, 0.5), n = number
        // Relative commands after the first move: the shape's offsets are the same for every point.
        let tail: String
        let start: (Point) -> Point
        switch shape {
        case .circle:
            tail = "a\(n(r)),\(n(r)) 0 1 0 \(n(2 * r)),0a\(n(r)),\(n(r)) 0 1 0 \(n(-2 * r)),0"
            start = { Point(x: $0.x - r, y: $0.y) }
        case .square:
            // A square of the same area as the circle would be smaller; matching width reads as the same size.
            let side = 2 * r * 0.9
            tail = "h\(n(side))v\(n(side))h\(n(-side))z"
            start = { Point(x: $0.x - side / 2, y: $0.y - side / 2) }
        case .triangle:
            // Apex up, centroid on the point; a little larger than the circle, since a triangle covers less of it.
            let big = r * 1.15
            tail = "l\(n(big * 0.866)),\(n(1.5 * big))h\(n(-2 * big * 0.866))z"
            start = { Point(x: $0.x, y: $0.y - big) }
        case .cross:
            let d = 2 * r * 0.8
            tail = "l\(n(d)),\(n(d))m0,\(n(-d))l\(n(-d)),\(n(d))"
            start = { Point(x: $0.x - d / 2, y: $0.y - d / 2) }
        }
        var text = ""
        text.reserveCapacity(centres.count * (tail.utf8.count + 12))
        for centre in centres {
            let p = start(centre)
            text += "M\(n(p.x)),\(n(p.y))" + tail
        }
        return text
    }

    /// Fill and stroke attributes for `shape`: crosses are stroked, the other shapes filled.
    static func style(_ shape: ScatterLayer.Marker, color: String, opacity: Double) -> [(String, String)] {
        let alpha = min(max(opacity.isFinite ? opacity : 1, 0), 1)
        let opacityText = alpha < 1 ? NumberFormat.compact(alpha) : nil
        if shape == .cross {
            return [("fill", "none"), ("stroke", color), ("stroke-width", "1.5"), ("stroke-linecap", "round")]
                + (opacityText.map { [("stroke-opacity", $0)] } ?? [])
        }
        return [("fill", color), ("stroke", "none")] + (opacityText.map { [("fill-opacity", $0)] } ?? [])
    }
}
