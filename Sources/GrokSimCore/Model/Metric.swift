/// One scalar recorded on the metrics schedule, declared once by a model with its description and units.
///
/// The run file, the summary table, the progress line, ensembles and the figures all read these
/// declarations; no other code spells a model's metric names.
public struct Metric: Sendable, Equatable {
    public let name: String
    public let description: String
    public let units: String

    public init(_ name: String, units: String = "1", _ description: String) {
        self.name = name
        self.description = description
        self.units = units
    }
}

extension Array where Element == Metric {
    /// Position of the metric named `name` in a metrics row.
    public func index(of name: String) -> Int? {
        firstIndex { $0.name == name }
    }
}

/// A column of the summary table: a metric, its short header and how many decimals to print.
public struct SummaryColumn: Sendable {
    public let metric: Metric
    public let header: String
    public let decimals: Int

    public init(_ metric: Metric, _ header: String, decimals: Int = 3) {
        self.metric = metric
        self.header = header
        self.decimals = decimals
    }
}

/// A standard line figure of a run: metrics against t + 1 on a log axis.
public struct MetricFigure: Sendable {
    /// One line: a metric and its legend label.
    public struct Line: Sendable {
        public let metric: Metric
        public let label: String
        public let dashed: Bool

        public init(_ metric: Metric, _ label: String, dashed: Bool = false) {
            self.metric = metric
            self.label = label
            self.dashed = dashed
        }
    }

    public let fileName: String
    public let title: String
    public let yLabel: String
    public let logY: Bool
    /// Fixed y range (accuracies), or nil to fit the data.
    public let yRange: ClosedRange<Double>?
    public let lines: [Line]

    public init(fileName: String, title: String, yLabel: String, logY: Bool = false, yRange: ClosedRange<Double>? = nil,
                lines: [Line]) {
        self.fileName = fileName
        self.title = title
        self.yLabel = yLabel
        self.logY = logY
        self.yRange = yRange
        self.lines = lines
    }
}
