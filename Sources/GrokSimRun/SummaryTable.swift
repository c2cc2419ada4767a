import Foundation
import GrokSimCore

/// A short text table of the metrics at roughly log-spaced steps, the view of a run that shows the phenomenon.
public enum SummaryTable {
    /// Columns shown: a metric name and its header.
    static let columns: [(String, String)] = [
        ("train_accuracy", "train"), ("train_accuracy_flipped", "flipped"), ("test_accuracy", "test"),
        ("test_accuracy_plus_mu1", "+mu1"), ("test_accuracy_minus_mu1", "-mu1"),
        ("test_accuracy_plus_mu2", "+mu2"), ("test_accuracy_minus_mu2", "-mu2"), ("train_loss", "train loss"),
    ]

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

    /// The table for metric rows in the order of `Metric.all`.
    public static func render(steps: [Int], rows: [[Double]]) -> String {
        let indices = columns.map { Metric.index(of: $0.0)! }
        return render(steps: steps, column: { row, k in rows[row][indices[k]] })
    }

    /// The table for metrics read back by name from a run file.
    public static func render(steps: [Int], metrics: [String: [Double]]) -> String {
        render(steps: steps, column: { row, k in metrics[columns[k].0]?[row] ?? .nan })
    }

    private static func render(steps: [Int], column: (Int, Int) -> Double) -> String {
        var lines = ["accuracy (train, on flipped points, clean test, test per cluster) and training loss by GD step:"]
        lines.append(TableCell.padded("step", 8) + columns.map { TableCell.padded($0.1, 11) }.joined())
        for row in selectedRows(steps) {
            var line = String(format: "%8d", steps[row])
            for k in columns.indices {
                let value = column(row, k)
                line += value.isNaN ? TableCell.padded("-", 11) : String(format: k == columns.count - 1 ? "%11.5f" : "%11.3f", value)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
