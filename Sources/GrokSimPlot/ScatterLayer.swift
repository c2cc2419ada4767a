/// A set of points drawn as markers, in a ``ScatterChart`` or over a ``HeatmapChart``.
///
/// A layer is one legend entry; give points that should read differently (another label,
/// a flipped label) their own layer.
public struct ScatterLayer: Sendable {
    /// The shape drawn at each point.
    public enum Marker: String, Sendable, Hashable, CaseIterable {
        /// A filled disc.
        case circle
        /// A diagonal cross, drawn as strokes only, so it can mark a point drawn under it.
        case cross
        /// A filled square.
        case square
        /// A filled triangle, pointing up.
        case triangle
    }

    /// The name shown in the legend and written to the `data-layer` attribute.
    public var label: String
    public var x: [Double]
    /// The values paired with `x`; if the lengths differ, the extra values are ignored.
    public var y: [Double]
    /// Any SVG colour; `nil` takes the next colour of ``Palette/okabeIto``.
    public var color: String?
    public var marker: Marker
    /// The marker's width in pixels.
    public var size: Double
    /// From 0 (invisible) to 1 (opaque); below 1, dense clouds of points show where they pile up.
    public var opacity: Double

    /// Creates a layer from paired coordinates.
    public init(label: String, x: [Double], y: [Double], color: String? = nil, marker: Marker = .circle,
                size: Double = 6, opacity: Double = 1) {
        self.label = label
        self.x = x
        self.y = y
        self.color = color
        self.marker = marker
        self.size = size
        self.opacity = opacity
    }
}
