/// Colours for signed values: blue below zero, white at zero, red above, deepening with the magnitude.
///
/// Colours are interpolated linearly in RGB, which is also how an SVG gradient between the same
/// stops is drawn, so the colour bar matches the cells exactly.
struct DivergingColorMap {
    /// The colour of `lower` and below (RdBu's darkest blue).
    static let negative = (r: 0x21, g: 0x66, b: 0xAC)
    /// The colour of `upper` and above (RdBu's darkest red).
    static let positive = (r: 0xB2, g: 0x18, b: 0x2B)
    static let zero = (r: 0xFF, g: 0xFF, b: 0xFF)

    /// The value drawn in full blue; never positive.
    let lower: Double
    /// The value drawn in full red; never negative, and greater than `lower`.
    let upper: Double

    /// A map over `range` widened to include zero, since zero is the white centre; without a usable range,
    /// the symmetric range ±max|value| of the finite `values`.
    init(range: ClosedRange<Double>?, values: [Double]) {
        if let range, range.lowerBound.isFinite, range.upperBound.isFinite,
           min(range.lowerBound, 0) < max(range.upperBound, 0) {
            lower = min(range.lowerBound, 0)
            upper = max(range.upperBound, 0)
        } else {
            let largest = values.filter(\.isFinite).map(abs).max() ?? 0
            // An all-zero field still needs a span to place the colour bar's ticks on.
            let m = largest > 0 ? min(largest, 1e300) : 1
            (lower, upper) = (-m, m)
        }
    }

    /// Where `value` sits on the colour bar: 0 at `lower`, 1 at `upper`, clamped.
    func fraction(_ value: Double) -> Double {
        min(max((value - lower) / (upper - lower), 0), 1)
    }

    /// The colour of `value` as `#rrggbb`; values beyond the range take the end colours.
    func color(_ value: Double) -> String {
        let t: Double
        let end: (r: Int, g: Int, b: Int)
        if value < 0 {
            (t, end) = (lower < 0 ? min(value / lower, 1) : 0, Self.negative)
        } else {
            (t, end) = (upper > 0 ? min(value / upper, 1) : 0, Self.positive)
        }
        return Self.hex(Self.zero, end, t.isFinite ? t : 0)
    }

    /// The colour a fraction `t` of the way from `a` to `b`.
    static func hex(_ a: (r: Int, g: Int, b: Int), _ b: (r: Int, g: Int, b: Int), _ t: Double) -> String {
        func channel(_ x: Int, _ y: Int) -> String {
            let v = Int((Double(x) + (Double(y) - Double(x)) * t).rounded())
            let digits = String(min(max(v, 0), 255), radix: 16, uppercase: false)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "#" + channel(a.r, b.r) + channel(a.g, b.g) + channel(a.b, b.b)
    }
}
