/// A series mapped to pixels: its line as runs of drawable points, split wherever a point is skipped.
struct ProjectedSeries {
    let label: String
    let color: String
    let dashed: Bool
    /// Runs of consecutive drawable points; a run of one point is drawn as a marker.
    let runs: [[Point]]
    /// Closed outlines of the band, one per run of drawable band points (upper edge, then lower reversed).
    let bands: [[Point]]

    var hasBand: Bool { !bands.isEmpty }

    /// Whether every drawn point stands alone, so the legend should show a marker rather than a line.
    var isMarkersOnly: Bool { !runs.isEmpty && runs.allSatisfy { $0.count == 1 } }

    init(_ series: LineChart.Series, index: Int, x: Axis, y: Axis, in plot: Rect) {
        label = series.label
        color = series.color.flatMap { $0.isEmpty ? nil : $0 } ?? Palette.color(at: index)
        dashed = series.dashed
        // Clamped far outside the plot: the clip path hides it, and the numbers stay printable.
        func project(_ u: Double, _ v: Double) -> Point { ChartFrame.project(u, v, x, y, plot) }
        let count = min(series.x.count, series.y.count)
        runs = Self.runs(count: count) { i in
            let (u, v) = (series.x[i], series.y[i])
            guard Axis.isDrawable(u, on: x.scale), Axis.isDrawable(v, on: y.scale) else { return nil }
            return project(u, v)
        }
        guard let band = series.band else {
            bands = []
            return
        }
        let bandCount = min(series.x.count, band.lower.count, band.upper.count)
        let bandRuns = Self.runs(count: bandCount) { i -> (Point, Point)? in
            let (u, low, high) = (series.x[i], band.lower[i], band.upper[i])
            guard Axis.isDrawable(u, on: x.scale), Axis.isDrawable(low, on: y.scale),
                  Axis.isDrawable(high, on: y.scale) else { return nil }
            return (project(u, high), project(u, low))
        }
        // A band needs two points to have an area.
        bands = bandRuns.filter { $0.count >= 2 }.map { $0.map(\.0) + $0.reversed().map(\.1) }
    }

    /// Splits indices 0..<count into maximal runs where `point` is not nil.
    private static func runs<P>(count: Int, _ point: (Int) -> P?) -> [[P]] {
        var runs: [[P]] = [], current: [P] = []
        for i in 0..<max(count, 0) {
            if let p = point(i) {
                current.append(p)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The data-space points this series draws, for choosing the axis ranges.
    static func drawableValues(of series: LineChart.Series, xScale: LineChart.Scale, yScale: LineChart.Scale,
                               xRange: ClosedRange<Double>?) -> (x: [Double], y: [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        func inside(_ u: Double) -> Bool { xRange.map { $0.contains(u) } ?? true }
        for i in 0..<min(series.x.count, series.y.count)
        where Axis.isDrawable(series.x[i], on: xScale) && Axis.isDrawable(series.y[i], on: yScale) {
            xs.append(series.x[i])
            if inside(series.x[i]) { ys.append(series.y[i]) }
        }
        if let band = series.band {
            for i in 0..<min(series.x.count, band.lower.count, band.upper.count)
            where Axis.isDrawable(series.x[i], on: xScale) && inside(series.x[i])
                && Axis.isDrawable(band.lower[i], on: yScale) && Axis.isDrawable(band.upper[i], on: yScale) {
                ys += [band.lower[i], band.upper[i]]
            }
        }
        return (xs, ys)
    }
}
