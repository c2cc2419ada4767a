import Foundation

/// One axis of a chart: its scale, the range of values it shows, and its ticks.
struct Axis: Equatable {
    /// A marked value on an axis; major ticks get a label and a grid line.
    struct Tick: Equatable {
        var value: Double
        var label: String?
        var isMajor: Bool
    }

    let scale: LineChart.Scale
    /// The smallest value shown; positive on a log axis.
    let lower: Double
    /// The largest value shown; greater than `lower`.
    let upper: Double
    let ticks: [Tick]

    /// An axis showing `range` if it is usable, otherwise the range of `data` widened by `padding`
    /// (a fraction of the span, in scaled units) on each side.
    init(scale: LineChart.Scale, range: ClosedRange<Double>?, data: [Double], padding: Double) {
        // Past this size the span (upper - lower) itself would overflow.
        let limit = 1e300
        let values = data.filter { Self.isDrawable($0, on: scale) }.map { min(max($0, -limit), limit) }
        var bounds: (Double, Double)
        if let range, range.lowerBound.isFinite, range.upperBound.isFinite,
           scale == .linear || range.upperBound > 0 {
            bounds = (range.lowerBound, range.upperBound)
            if scale == .log10 && bounds.0 <= 0 {
                // A log axis cannot start at zero; start where the data starts, or three decades down.
                bounds.0 = values.filter { $0 < range.upperBound }.min() ?? range.upperBound / 1000
            }
        } else if let low = values.min(), let high = values.max() {
            let (a, b) = (Self.transform(low, scale), Self.transform(high, scale))
            let pad = (b - a) * padding
            bounds = (Self.inverse(a - pad, scale), Self.inverse(b + pad, scale))
        } else {
            bounds = scale == .linear ? (0, 1) : (1, 10)
        }
        bounds = Self.widened(bounds, scale)
        self.scale = scale
        self.lower = bounds.0
        self.upper = bounds.1
        self.ticks = scale == .linear ? Self.linearTicks(lower: lower, upper: upper)
                                      : Self.logTicks(lower: lower, upper: upper)
    }

    /// Whether `value` has a position on an axis with this scale.
    static func isDrawable(_ value: Double, on scale: LineChart.Scale) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// Where `value` falls: 0 at `lower`, 1 at `upper`, beyond them outside the range.
    func fraction(_ value: Double) -> Double {
        let a = Self.transform(lower, scale), b = Self.transform(upper, scale)
        return (Self.transform(value, scale) - a) / (b - a)
    }

    private static func transform(_ value: Double, _ scale: LineChart.Scale) -> Double {
        scale == .linear ? value : log10(value)
    }

    private static func inverse(_ value: Double, _ scale: LineChart.Scale) -> Double {
        scale == .linear ? value : pow(10, value)
    }

    /// Puts bounds in order and gives an empty range some width, so there is always a span to divide by.
    private static func widened(_ bounds: (Double, Double), _ scale: LineChart.Scale) -> (Double, Double) {
        var (low, high) = (min(bounds.0, bounds.1), max(bounds.0, bounds.1))
        // Keep clear of overflow and underflow, which padding or an extreme range could reach.
        if scale == .linear {
            (low, high) = (max(low, -1e302), min(high, 1e302))
        } else {
            (low, high) = (min(max(low, 1e-300), 1e299), min(max(high, 1e-300), 1e300))
        }
        if scale == .linear {
            if high - low <= abs(high) * 1e-12 {
                let half = low == 0 ? 0.5 : abs(low) * 0.1
                (low, high) = (low - half, high + half)
            }
        } else if high / low <= 1 + 1e-12 {
            (low, high) = (low / 10.squareRoot(), high * 10.squareRoot())
        }
        return (low, high)
    }

    /// Ticks at multiples of a step of 1, 2 or 5 × 10^k, choosing the step that gives five to eight ticks.
    ///
    /// Now and then no step does (e.g. 10 or 3 ticks over [26, 45]); then more ticks beat fewer,
    /// because three labels hardly show the scale.
    static func linearTicks(lower: Double, upper: Double) -> [Tick] {
        let span = upper - lower
        guard span > 0, span.isFinite else { return [] }
        let magnitude = Int(log10(span).rounded(.down))
        var best: (count: Int, first: Int, step: Double, exponent: Int)?
        for exponent in (magnitude - 2)...(magnitude + 1) {
            for multiplier in [1.0, 2.0, 5.0] {
                let step = multiplier * pow(10, Double(exponent))
                let low = lower / step, high = upper / step
                // Far from zero the multiples are not representable; such ranges fall back below.
                guard abs(low) < 1e15, abs(high) < 1e15 else { continue }
                // The slack absorbs rounding, e.g. 0.6 / 0.2 = 2.9999999999999996.
                let first = Int((low - 1e-9).rounded(.up)), last = Int((high + 1e-9).rounded(.down))
                let count = last - first + 1
                if best == nil || Self.badness(count) <= Self.badness(best!.count) {
                    best = (count, first, step, exponent)
                }
            }
        }
        guard let best, best.count > 0 else {
            return [lower, upper].map { Tick(value: $0, label: NumberFormat.scientific($0, significantDigits: 6), isMajor: true) }
        }
        let values = (0..<best.count).map { Double(best.first + $0) * best.step }
        let largest = values.map(abs).max() ?? 0
        let useScientific = largest >= 1e6 || best.exponent < -4
        return values.map { value in
            let label: String
            if useScientific {
                let digits = value == 0 ? 1 : Int(log10(abs(value)).rounded(.down)) - best.exponent + 1
                label = NumberFormat.scientific(value, significantDigits: max(digits, 1))
            } else {
                label = NumberFormat.compact(value, decimals: max(-best.exponent, 0))
            }
            return Tick(value: value, label: label, isMajor: true)
        }
    }

    /// How far `count` ticks are from the ideal: 0 for six, small within five to eight, large for too few.
    private static func badness(_ count: Int) -> (Int, Int) {
        let outside = count < 5 ? 2 * (5 - count) : max(count - 8, 0)
        return (outside, abs(count - 6))
    }

    /// Labelled ticks at powers of ten (every few decades when there are many),
    /// unlabelled ones at the other decades and, over a few decades, at 2…9 times each power.
    ///
    /// A range holding fewer than two powers of ten gets labelled linear ticks instead,
    /// since a single label would not tell the reader the scale.
    static func logTicks(lower: Double, upper: Double) -> [Tick] {
        guard lower > 0, upper > lower, upper.isFinite else { return [] }
        let a = log10(lower), b = log10(upper)
        let first = Int((a - 1e-9).rounded(.up)), last = Int((b + 1e-9).rounded(.down))
        let decades = last - first + 1
        if decades < 2 {
            return linearTicks(lower: lower, upper: upper).filter { $0.value > 0 }
        }
        // At most eight labels; labelled exponents are multiples of the stride so they read 10⁰, 10³, 10⁶ …
        let stride = (decades + 7) / 8
        var ticks: [Tick] = []
        for exponent in first...last {
            let labelled = exponent % stride == 0
            ticks.append(Tick(value: pow(10, Double(exponent)),
                              label: labelled ? NumberFormat.powerOfTen(exponent) : nil, isMajor: labelled))
        }
        if b - a <= 6 {
            for exponent in Int(a.rounded(.down))...Int(b.rounded(.down)) {
                for multiplier in 2...9 {
                    let value = Double(multiplier) * pow(10, Double(exponent))
                    let position = log10(value)
                    if position >= a - 1e-9 && position <= b + 1e-9 {
                        ticks.append(Tick(value: value, label: nil, isMajor: false))
                    }
                }
            }
        }
        return ticks
    }
}
