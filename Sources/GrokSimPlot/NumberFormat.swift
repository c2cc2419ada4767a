import Foundation

/// Formats numbers for SVG coordinates and tick labels; never produces "nan" or "inf".
enum NumberFormat {
    /// `value` rounded to `decimals` places with trailing zeros dropped: 0.20 → "0.2", 3.0 → "3", -0.001 → "0".
    static func compact(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        let decimals = min(max(decimals, 0), 12)
        var unit: Int64 = 1
        for _ in 0..<decimals { unit *= 10 }
        let scaled = (value * Double(unit)).rounded()
        // Beyond 2^53 the digits are noise anyway, and Int64 would trap.
        guard abs(scaled) < 9e15 else { return scientific(value, significantDigits: 4) }
        let n = Int64(scaled)
        if n == 0 { return "0" }
        let magnitude = n.magnitude
        let whole = magnitude / UInt64(unit), fraction = magnitude % UInt64(unit)
        var text = (n < 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: decimals - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// An SVG coordinate: two decimals, which is finer than any screen pixel.
    static func coordinate(_ value: Double) -> String {
        compact(value, decimals: 2)
    }

    /// `value` as a mantissa times a power of ten, e.g. "2.5×10⁶"; zero is "0".
    static func scientific(_ value: Double, significantDigits: Int) -> String {
        guard value.isFinite, value != 0 else { return "0" }
        var exponent = Int(log10(abs(value)).rounded(.down))
        var mantissa = value / pow(10, Double(exponent))
        let decimals = max(significantDigits - 1, 0)
        // Rounding can carry the mantissa to 10 (9.9996 → "10"); move that digit into the exponent.
        if abs(Double(compact(mantissa, decimals: decimals)) ?? 0) >= 10 {
            exponent += 1
            mantissa /= 10
        }
        return compact(mantissa, decimals: decimals) + "×10" + superscript(exponent)
    }

    /// A power of ten for a log-axis label: plain digits from 0.001 to 1000, "10⁴" style beyond.
    static func powerOfTen(_ exponent: Int) -> String {
        if (-3...3).contains(exponent) {
            return compact(pow(10, Double(exponent)), decimals: 3)
        }
        return "10" + superscript(exponent)
    }

    /// An integer in Unicode superscript digits, so a label stays one plain text node.
    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(n.magnitude).map { digits[Int(String($0))!] }
    }
}
