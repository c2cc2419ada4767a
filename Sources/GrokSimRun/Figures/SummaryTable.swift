import Foundation
import GrokSimCore

/// A short text table of the metrics at roughly log-spaced steps, the view of a run that shows the phenomenon.
public enum SummaryTable {
    /// Rows to show: every recorded step up to 3, then about 4 per decade, and the last.
    public static func selectedRows(_ steps: [Int]) -> [Int] {
        var chosen: [Int] = []
        var nextAllowed = 0.0
        for (index, step) in steps.enumerated() {
            if step <= 3 || Double(step) >= nextAllowed || index == steps.count - 1 {
                chosen.append(index)
                nextAllowed = max(4, Double(step) * pow(10, 0.25))
            }
        }
        return chosen
    }

    /// The table for metric rows in the order of `model.metrics`.
    public static func render(model: any Model, steps: [Int], rows: [[Double]]) -> String {
        let indices = model.summaryColumns.map { model.metrics.index(of: $0.metric.name)! }
        return render(model: model, steps: steps, column: { row, k in rows[row][indices[k]] })
    }

    /// The table for metrics read back by name from a run file.
    public static func render(model: any Model, steps: [Int], metrics: [String: [Double]]) -> String {
        let columns = model.summaryColumns
        return render(model: model, steps: steps, column: { row, k in metrics[columns[k].metric.name]?[row] ?? .nan })
    }

    private static func render(model: any Model, steps: [Int], column: (Int, Int) -> Double) -> String {
        let columns = model.summaryColumns
        var lines = [columns.map(\.header).joined(separator: ", ") + " by step:"]
        lines.append(TableCell.padded("step", 8) + columns.map { TableCell.padded($0.header, 11) }.joined())
        for row in selectedRows(steps) {
            var line = String(format: "%8d", steps[row])
            for k in columns.indices {
                let value = column(row, k)
                line += value.isNaN ? TableCell.padded("-", 11) : String(format: "%11.\(columns[k].decimals)f", value)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
