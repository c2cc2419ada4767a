/// Sums and products of array sizes that saturate at `Int.max` instead of trapping, so a config with
/// absurd sizes reaches validation and is refused with one line rather than crashing on the arithmetic.
public enum SizeArithmetic {
    /// The sum, or `Int.max` when it overflows.
    public static func sum(_ terms: Int...) -> Int {
        var total = 0
        for term in terms {
            let (value, overflow) = total.addingReportingOverflow(term)
            if overflow { return Int.max }
            total = value
        }
        return total
    }

    /// The product, or `Int.max` when it overflows.
    public static func product(_ factors: Int...) -> Int {
        var total = 1
        for factor in factors {
            let (value, overflow) = total.multipliedReportingOverflow(by: factor)
            if overflow { return Int.max }
            total = value
        }
        return total
    }
}
