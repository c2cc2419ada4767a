extension LineChart {
    /// One line of a chart: paired x and y values, with an optional shaded band around it.
    public struct Series: Sendable {
        /// The name shown in the legend and written to the `data-series` attribute.
        public var label: String
        public var x: [Double]
        /// The values paired with `x`; if the lengths differ, the extra values are ignored.
        public var y: [Double]
        /// Any SVG colour (`"#0072B2"`, `"teal"`); `nil` takes the next colour of ``Palette/okabeIto``.
        public var color: String?
        /// Whether the line is dashed, to tell apart series that share a colour.
        public var dashed: Bool
        /// A shaded region from `lower` to `upper` at each `x`, e.g. a spread over seeds.
        ///
        /// Points where either bound cannot be drawn break the band there, as with the line.
        public var band: (lower: [Double], upper: [Double])?

        /// Creates a series from paired values.
        public init(label: String, x: [Double], y: [Double], color: String? = nil, dashed: Bool = false,
                    band: (lower: [Double], upper: [Double])? = nil) {
            self.label = label
            self.x = x
            self.y = y
            self.color = color
            self.dashed = dashed
            self.band = band
        }

        /// Creates a series whose x values are the indices 0, 1, 2, … of `y`.
        public init(label: String, y: [Double], color: String? = nil, dashed: Bool = false,
                    band: (lower: [Double], upper: [Double])? = nil) {
            self.init(label: label, x: y.indices.map(Double.init), y: y, color: color, dashed: dashed, band: band)
        }
    }
}
