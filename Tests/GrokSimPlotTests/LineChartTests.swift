#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import GrokSimPlot

final class LineChartTests: XCTestCase {
    private let ramp = (0..<10).map(Double.init)

    func testDocumentIsXMLWithSizedSVGRoot() throws {
        let chart = LineChart(title: "loss", series: [.init(label: "train", x: ramp, y: ramp)], width: 640, height: 400)
        let svg = try SVGDocument(chart.svg())
        XCTAssertTrue(svg.text.hasPrefix("<?xml version=\"1.0\""))
        XCTAssertEqual(svg.root.localName ?? svg.root.name, "svg")
        XCTAssertEqual(svg.root.value(of: "width"), "640")
        XCTAssertEqual(svg.root.value(of: "height"), "400")
        XCTAssertEqual(svg.root.value(of: "viewBox"), "0 0 640 400")
        XCTAssertEqual(svg.root.value(of: "version"), "1.1")
        XCTAssertEqual(svg.root.uri ?? svg.root.value(of: "xmlns"), "http://www.w3.org/2000/svg")
    }

    func testEverySeriesIsInTheLegendAndTaggedOnItsLine() throws {
        let labels = ["train loss", "test loss", "test accuracy"]
        let chart = LineChart(series: labels.enumerated().map { i, label in
            .init(label: label, x: ramp, y: ramp.map { $0 * Double(i + 1) }, dashed: i == 1)
        })
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "legend-label"), labels)
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map { $0.value(of: "data-series") }, labels)
        XCTAssertEqual(svg.elements("line", class: "legend-line").map { $0.value(of: "data-series") }, labels)
        // Without explicit colours the series take distinct palette colours, the same in line and legend.
        let strokes = svg.elements("polyline", class: "series-line").map { $0.value(of: "stroke") }
        XCTAssertEqual(strokes, Array(Palette.okabeIto.prefix(3)))
        XCTAssertEqual(svg.elements("line", class: "legend-line").map { $0.value(of: "stroke") }, strokes)
        // Only the dashed series is dashed, in the plot and in the legend.
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map { $0.value(of: "stroke-dasharray") != nil },
                       [false, true, false])
        XCTAssertEqual(svg.elements("line", class: "legend-line").map { $0.value(of: "stroke-dasharray") != nil },
                       [false, true, false])
    }

    func testExplicitColourIsUsed() throws {
        let chart = LineChart(series: [.init(label: "a", x: ramp, y: ramp, color: "teal")])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.elements("polyline", class: "series-line").first?.value(of: "stroke"), "teal")
    }

    func testPolylineHasOnePointPerFinitePoint() throws {
        let x = (1...37).map(Double.init)
        let chart = LineChart(series: [.init(label: "s", x: x, y: x.map { $0 * $0 })])
        let lines = try SVGDocument(chart.svg()).elements("polyline", class: "series-line")
        XCTAssertEqual(lines.map(\.pointCount), [37])
    }

    func testMismatchedLengthsDrawOnlyThePairs() throws {
        let chart = LineChart(series: [.init(label: "s", x: [1, 2, 3, 4, 5], y: [3, 1, 2])])
        let lines = try SVGDocument(chart.svg()).elements("polyline", class: "series-line")
        XCTAssertEqual(lines.map(\.pointCount), [3])
    }

    func testNonFinitePointsBreakTheLineAndAreNeverPrinted() throws {
        let y: [Double] = [1, 2, .nan, 4, 5, 6, .infinity, 8, -.infinity, 10]
        let chart = LineChart(title: "t", series: [.init(label: "s", x: ramp, y: y)])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map(\.pointCount), [2, 3])
        // The two isolated points, 8 and 10, become markers.
        XCTAssertEqual(svg.elements("circle", class: "series-marker").count, 2)
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        XCTAssertTrue(svg.texts(class: "no-data").isEmpty)
    }

    func testNonPositiveValuesAreSkippedOnLogAxes() throws {
        let x: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]
        let y: [Double] = [5, 1, 0, -1, 10, 100, 1000, 10]
        let chart = LineChart(xScale: .log10, yScale: .log10, series: [.init(label: "s", x: x, y: y)])
        let svg = try SVGDocument(chart.svg())
        // x = 0 is dropped on the log x axis, y = 0 and -1 on the log y axis: runs [1] and [4, 5, 6, 7].
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map(\.pointCount), [4])
        XCTAssertEqual(svg.elements("circle", class: "series-marker").count, 1)
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        // The same data on linear axes keeps every point.
        let linear = LineChart(series: [.init(label: "s", x: x, y: y)])
        XCTAssertEqual(try SVGDocument(linear.svg()).elements("polyline", class: "series-line").map(\.pointCount), [8])
    }

    func testLogAxisFromOneToThousandLabelsEachDecade() throws {
        let x: [Double] = [1, 3, 10, 30, 100, 300, 1000]
        let chart = LineChart(xScale: .log10, series: [.init(label: "s", x: x, y: x)])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "x-tick-label"), ["1", "10", "100", "1000"])
        // Minor ticks at 2…9 within each of the three decades, unlabelled.
        let ticks = Axis.logTicks(lower: 1, upper: 1000)
        XCTAssertEqual(ticks.filter(\.isMajor).map(\.value), [1, 10, 100, 1000])
        XCTAssertEqual(ticks.filter { !$0.isMajor }.count, 24)
        XCTAssertTrue(ticks.filter { !$0.isMajor }.allSatisfy { $0.label == nil })
        XCTAssertEqual(svg.elements("g", class: "ticks").first?.children?.count, 4 + 24 + svg.texts(class: "y-tick-label").count)
    }

    func testLogAxisUsesPowersForLargeAndSmallValues() {
        let ticks = Axis.logTicks(lower: 1e-6, upper: 1e6)
        // Thirteen decades are too many to label; every second one is, and no minor ticks are drawn.
        XCTAssertEqual(ticks.compactMap(\.label), ["10⁻⁶", "10⁻⁴", "0.01", "1", "100", "10⁴", "10⁶"])
        XCTAssertEqual(ticks.count, 13)
        XCTAssertEqual(Axis.logTicks(lower: 1e-3, upper: 1e4).compactMap(\.label),
                       ["0.001", "0.01", "0.1", "1", "10", "100", "1000", "10⁴"])
    }

    func testLogAxisWithinOneDecadeStillHasLabels() {
        let labels = Axis.logTicks(lower: 2, upper: 8).compactMap(\.label)
        XCTAssertGreaterThanOrEqual(labels.count, 3)
        XCTAssertEqual(labels.first, "2")
        XCTAssertEqual(labels.last, "8")
    }

    func testLinearTicksOnUnitIntervalAreNice() throws {
        XCTAssertEqual(Axis.linearTicks(lower: 0, upper: 1).compactMap(\.label), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let chart = LineChart(yRange: 0...1, series: [.init(label: "acc", x: ramp, y: ramp.map { $0 / 10 })])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "y-tick-label"), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        // The automatic x range is exactly the data, 0 to 9.
        XCTAssertEqual(svg.texts(class: "x-tick-label"), ["0", "2", "4", "6", "8"])
    }

    func testLinearTicksAreOneTwoOrFiveTimesAPowerOfTen() {
        // A deterministic sweep of widths over fourteen decades, at offsets on both sides of zero.
        var counts: [Int: Int] = [:], total = 0
        for exponent in -6...7 {
            for fraction in stride(from: 0.0, to: 1.0, by: 0.01) {
                for offset in [-0.73, -0.2, 0, 0.31, 1.7, 12.4] {
                    let width = pow(10, Double(exponent) + fraction), a = offset * width, b = a + width
                    let ticks = Axis.linearTicks(lower: a, upper: b), values = ticks.map(\.value)
                    counts[values.count, default: 0] += 1
                    total += 1
                    guard (4...10).contains(values.count) else {
                        return XCTFail("\(values.count) ticks for [\(a), \(b)]")
                    }
                    XCTAssertTrue(values.allSatisfy { $0 >= a - 1e-9 * width && $0 <= b + 1e-9 * width }, "[\(a), \(b)]")
                    let step = values[1] - values[0]
                    let mantissa = step / pow(10, (log10(step) + 1e-9).rounded(.down))
                    XCTAssertTrue([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) for [\(a), \(b)]")
                    XCTAssertEqual(Set(ticks.compactMap(\.label)).count, values.count,
                                   "labels must tell the ticks apart for [\(a), \(b)]: \(ticks.compactMap(\.label))")
                }
            }
        }
        // Outside five to eight only where no 1-2-5 step fits, e.g. 9 or 4 ticks over a width of 8.5.
        let inRange = (5...8).reduce(0) { $0 + counts[$1, default: 0] }
        XCTAssertGreaterThan(Double(inRange), 0.8 * Double(total), "\(counts)")
    }

    func testLinearTickLabelsForLargeAndNegativeValues() {
        XCTAssertEqual(Axis.linearTicks(lower: -1, upper: 1).compactMap(\.label), ["-1", "-0.5", "0", "0.5", "1"])
        XCTAssertEqual(Axis.linearTicks(lower: 0, upper: 10_000).compactMap(\.label),
                       ["0", "2000", "4000", "6000", "8000", "10000"])
        XCTAssertEqual(Axis.linearTicks(lower: 0, upper: 1e7).compactMap(\.label),
                       ["0", "2×10⁶", "4×10⁶", "6×10⁶", "8×10⁶", "1×10⁷"])
    }

    func testEmptyChartsSayNoData() throws {
        let charts = [
            LineChart(),
            LineChart(title: "nothing", series: [.init(label: "s", x: [], y: [])]),
            LineChart(series: [.init(label: "s", x: [1, 2, 3], y: [.nan, .infinity, .nan])]),
            LineChart(yScale: .log10, series: [.init(label: "s", x: [1, 2], y: [0, -3])]),
        ]
        for chart in charts {
            let svg = try SVGDocument(chart.svg())
            XCTAssertEqual(svg.texts(class: "no-data"), ["no data"])
            XCTAssertTrue(svg.elements("polyline").isEmpty)
            XCTAssertTrue(svg.elements("circle").isEmpty)
            XCTAssertFalse(svg.text.lowercased().contains("nan"))
            XCTAssertFalse(svg.text.lowercased().contains("inf"))
        }
    }

    func testSinglePointSeriesIsAMarker() throws {
        let chart = LineChart(series: [.init(label: "final", x: [3], y: [0.5]), .init(label: "s", x: ramp, y: ramp)])
        let svg = try SVGDocument(chart.svg())
        let markers = svg.elements("circle", class: "series-marker")
        XCTAssertEqual(markers.map { $0.value(of: "data-series") }, ["final"])
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map { $0.value(of: "data-series") }, ["s"])
        // The legend shows each series the way it is drawn.
        XCTAssertEqual(svg.elements("circle", class: "legend-marker").map { $0.value(of: "data-series") }, ["final"])
        XCTAssertEqual(svg.elements("line", class: "legend-line").map { $0.value(of: "data-series") }, ["s"])
        // A marker on the plot's edge is still drawn whole, outside the clipped group.
        let edge = try SVGDocument(LineChart(series: [.init(label: "last", x: [0, 1, 2, 3], y: [1, .nan, 2, .nan]),
                                                      .init(label: "first", x: [3], y: [1])]).svg())
        XCTAssertEqual(edge.elements("circle", class: "series-marker").count, 3)
        XCTAssertTrue(edge.elements("g", class: "data").first.map { SVGDocument.descendants(of: $0, "circle").isEmpty } ?? false)
        // A lone point alone in a chart still gets axes around it rather than a zero-width range.
        let alone = try SVGDocument(LineChart(series: [.init(label: "p", x: [3], y: [0.5])]).svg())
        XCTAssertEqual(alone.elements("circle", class: "series-marker").count, 1)
        XCTAssertGreaterThanOrEqual(alone.texts(class: "x-tick-label").count, 2)
    }

    func testTextIsEscaped() throws {
        let nasty = #"a<b & "c" 'd'"#
        let chart = LineChart(title: nasty, caption: nasty, xLabel: nasty, yLabel: nasty,
                              series: [.init(label: nasty, x: ramp, y: ramp)])
        let svg = try SVGDocument(chart.svg())
        XCTAssertTrue(svg.text.contains("a&lt;b &amp; &quot;c&quot; &#39;d&#39;"))
        XCTAssertFalse(svg.text.contains("a<b"))
        XCTAssertEqual(svg.texts(class: "legend-label"), [nasty])
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map { $0.value(of: "data-series") }, [nasty])
        for name in ["title", "caption", "x-label", "y-label"] {
            XCTAssertEqual(svg.texts(class: name), [nasty], name)
        }
    }

    func testCharactersXMLForbidsAreDropped() throws {
        let chart = LineChart(title: "line\none", series: [.init(label: "bell\u{7}", x: ramp, y: ramp)])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "legend-label"), ["bell"])
        XCTAssertEqual(svg.texts(class: "title"), ["line one"])
    }

    func testBandIsAShadedPolygonBrokenAtGaps() throws {
        let y = ramp
        let lower = y.map { $0 - 1 }, upper = y.enumerated().map { $0.offset == 4 ? .nan : $0.element + 1 }
        let chart = LineChart(series: [.init(label: "mean", x: ramp, y: y, band: (lower, upper))])
        let svg = try SVGDocument(chart.svg())
        let bands = svg.elements("polygon", class: "series-band")
        // Points 0…3 and 5…9, each outline running along the upper edge and back along the lower.
        XCTAssertEqual(bands.map(\.pointCount), [8, 10])
        XCTAssertEqual(bands.map { $0.value(of: "data-series") }, ["mean", "mean"])
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map(\.pointCount), [10])
    }

    func testBandWidensTheAutomaticRange() {
        let series = LineChart.Series(label: "s", x: [0, 1], y: [0, 1], band: ([-5, -5], [5, 5]))
        let values = ProjectedSeries.drawableValues(of: series, xScale: .linear, yScale: .linear, xRange: nil)
        let axis = Axis(scale: .linear, range: nil, data: values.y, padding: 0.05)
        XCTAssertLessThan(axis.lower, -5)
        XCTAssertGreaterThan(axis.upper, 5)
    }

    func testFixedRangesOverrideTheData() throws {
        let chart = LineChart(xRange: 2...4, yRange: -1...1, series: [.init(label: "s", x: ramp, y: ramp)])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "y-tick-label"), ["-1", "-0.5", "0", "0.5", "1"])
        XCTAssertEqual(svg.texts(class: "x-tick-label").first, "2")
        XCTAssertEqual(svg.texts(class: "x-tick-label").last, "4")
        // Points outside stay in the line (the clip path hides them), so the line runs to the plot's edge.
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map(\.pointCount), [10])
        XCTAssertNotNil(svg.elements("g", class: "data").first?.value(of: "clip-path"))
    }

    func testLogAxisIgnoresANonPositiveFixedLowerBound() {
        let axis = Axis(scale: .log10, range: 0...100, data: [0.5, 3, 100], padding: 0)
        XCTAssertEqual(axis.lower, 0.5)
        XCTAssertEqual(axis.upper, 100)
    }

    func testExtremeValuesStayPrintable() throws {
        let chart = LineChart(series: [.init(label: "s", x: [0, 1, 2, 3], y: [-1e308, 1e308, 0, .greatestFiniteMagnitude])])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.elements("polyline", class: "series-line").map(\.pointCount), [4])
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        let tiny = LineChart(yScale: .log10, series: [.init(label: "s", x: [0, 1], y: [.leastNonzeroMagnitude, 1e300])])
        let tinySVG = try SVGDocument(tiny.svg())
        XCTAssertFalse(tinySVG.text.lowercased().contains("nan"))
        XCTAssertFalse(tinySVG.text.lowercased().contains("inf"))
    }

    func testBestLegendAvoidsTheLine() throws {
        // A rising diagonal crosses the top-right and bottom-left corners, leaving the top left free.
        let chart = LineChart(series: [.init(label: "rising", x: ramp, y: ramp)])
        let svg = try SVGDocument(chart.svg())
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        let box = try XCTUnwrap(svg.elements("g", class: "legend").first?.children?.first as? XMLElement)
        let frameX = try XCTUnwrap(Double(frame.value(of: "x") ?? "")), frameWidth = try XCTUnwrap(Double(frame.value(of: "width") ?? ""))
        let frameY = try XCTUnwrap(Double(frame.value(of: "y") ?? "")), frameHeight = try XCTUnwrap(Double(frame.value(of: "height") ?? ""))
        let boxX = try XCTUnwrap(Double(box.value(of: "x") ?? "")), boxY = try XCTUnwrap(Double(box.value(of: "y") ?? ""))
        XCTAssertLessThan(boxX, frameX + frameWidth / 2)
        XCTAssertLessThan(boxY, frameY + frameHeight / 2)
    }

    func testOutsideLegendSitsRightOfThePlotAndHiddenHasNone() throws {
        var chart = LineChart(series: [.init(label: "a rather long series label", x: ramp, y: ramp)], legend: .outsideRight)
        let svg = try SVGDocument(chart.svg())
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        let box = try XCTUnwrap(svg.elements("g", class: "legend").first?.children?.first as? XMLElement)
        let frameRight = try XCTUnwrap(Double(frame.value(of: "x") ?? "")) + XCTUnwrap(Double(frame.value(of: "width") ?? ""))
        let boxX = try XCTUnwrap(Double(box.value(of: "x") ?? "")), boxWidth = try XCTUnwrap(Double(box.value(of: "width") ?? ""))
        XCTAssertGreaterThan(boxX, frameRight)
        XCTAssertLessThanOrEqual(boxX + boxWidth, 720)
        chart.legend = .hidden
        XCTAssertTrue(try SVGDocument(chart.svg()).elements("g", class: "legend").isEmpty)
    }

    func testIndexInitialiserNumbersThePoints() {
        let series = LineChart.Series(label: "s", y: [5, 6, 7])
        XCTAssertEqual(series.x, [0, 1, 2])
    }
}
