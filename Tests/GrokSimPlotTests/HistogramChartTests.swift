#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import GrokSimPlot

final class HistogramChartTests: XCTestCase {
    private let digits = (0..<10).map(Double.init)

    func testTenValuesInFiveBinsAreTwoPerBin() throws {
        let chart = HistogramChart(series: [.init(label: "digits", values: digits)], binCount: 5)
        let bins = chart.bins()
        XCTAssertEqual(bins.counts, [[2, 2, 2, 2, 2]])
        XCTAssertEqual(bins.heights, [[2, 2, 2, 2, 2]])
        XCTAssertEqual(bins.edges.count, 6)
        XCTAssertEqual(bins.edges.first, 0)
        XCTAssertEqual(bins.edges.last, 9)
        let svg = try SVGDocument(chart.svg())
        let outline = try XCTUnwrap(svg.elements("polyline", class: "histogram-outline").first)
        XCTAssertEqual(outline.value(of: "data-counts"), "2 2 2 2 2")
        XCTAssertEqual(outline.value(of: "data-series"), "digits")
        // Up from the baseline, two corners per bin, back down.
        XCTAssertEqual(outline.pointCount, 12)
        XCTAssertEqual(svg.elements("polygon", class: "histogram-fill").map { $0.value(of: "fill-opacity") }, ["0.25"])
        XCTAssertEqual(svg.texts(class: "y-label"), ["count"])
    }

    func testSharedBinsSpanEverySeries() {
        let chart = HistogramChart(series: [.init(label: "a", values: [0, 1, 2]), .init(label: "b", values: [3, 4])],
                                   binCount: 4)
        let bins = chart.bins()
        XCTAssertEqual(bins.edges, [0, 1, 2, 3, 4])
        XCTAssertEqual(bins.counts, [[1, 1, 1, 0], [0, 0, 0, 2]])
    }

    func testGivenEdgesCountOnlyValuesInsideWithTheLastEdgeIncluded() {
        let chart = HistogramChart(series: [.init(label: "a", values: [-1, 0, 0.5, 1, 1.5, 2, 3])], binEdges: [2, 0, 1, .nan])
        let bins = chart.bins()
        XCTAssertEqual(bins.edges, [0, 1, 2])
        XCTAssertEqual(bins.counts, [[2, 3]])
    }

    func testDensityHasUnitAreaForEachSeries() throws {
        let chart = HistogramChart(series: [.init(label: "small", values: [0, 1, 1, 2]),
                                            .init(label: "large", values: (0..<100).map { Double($0) / 50 })],
                                   binCount: 7, normalization: .density)
        let bins = chart.bins()
        for heights in bins.heights {
            let area = heights.indices.map { heights[$0] * (bins.edges[$0 + 1] - bins.edges[$0]) }.reduce(0, +)
            XCTAssertEqual(area, 1, accuracy: 1e-12)
        }
        XCTAssertEqual(try SVGDocument(chart.svg()).texts(class: "y-label"), ["density"])
    }

    func testNonFiniteValuesAreSkippedAndNeverPrinted() throws {
        let values: [Double] = [0, .nan, 1, .infinity, 2, -.infinity, 3]
        let chart = HistogramChart(title: "t", series: [.init(label: "s", values: values)], binCount: 2,
                                   normalization: .density)
        let bins = chart.bins()
        XCTAssertEqual(bins.edges, [0, 1.5, 3])
        XCTAssertEqual(bins.counts, [[2, 2]])
        let svg = try SVGDocument(chart.svg())
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        XCTAssertTrue(svg.texts(class: "no-data").isEmpty)
    }

    func testEmptyInputSaysNoData() throws {
        for chart in [HistogramChart(), HistogramChart(series: [.init(label: "e", values: [.nan])])] {
            let svg = try SVGDocument(chart.svg())
            XCTAssertEqual(svg.texts(class: "no-data"), ["no data"])
            XCTAssertTrue(svg.elements("polyline", class: "histogram-outline").isEmpty)
        }
    }

    func testOneDistinctValueStillGetsBins() {
        let bins = HistogramChart(series: [.init(label: "c", values: [3, 3, 3])], binCount: 2).bins()
        XCTAssertEqual(bins.edges, [2.5, 3, 3.5])
        XCTAssertEqual(bins.counts, [[0, 3]])
    }

    func testSeriesAreInTheLegendWithTheirColoursAndEscaped() throws {
        let nasty = #"step <10⁴> & "late""#
        let chart = HistogramChart(series: [.init(label: "step 0", values: digits),
                                            .init(label: nasty, values: digits.map { $0 + 3 }, color: "teal")])
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "legend-label"), ["step 0", nasty])
        XCTAssertEqual(svg.elements("rect", class: "legend-swatch").map { $0.value(of: "data-series") }, ["step 0", nasty])
        XCTAssertEqual(svg.elements("polyline", class: "histogram-outline").map { $0.value(of: "stroke") },
                       [Palette.color(at: 0), "teal"])
        XCTAssertEqual(svg.elements("polygon", class: "histogram-fill").map { $0.value(of: "data-series") }, ["step 0", nasty])
    }
}
