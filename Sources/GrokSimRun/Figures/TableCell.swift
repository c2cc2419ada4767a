import Foundation

/// Cells of the plain-text tables the commands print.
public enum TableCell {
    /// `text` right-aligned in `width` columns (never truncated).
    public static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `value` with a printf `format`, or "-" for NaN (a value never reached or not measured).
    public static func number(_ value: Double, _ format: String) -> String {
        value.isNaN ? "-" : String(format: format, value)
    }
}
