#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import GrokSimPlot

final class HeatmapChartTests: XCTestCase {
    /// Three columns by two rows, ranging from -2 to 2.
    private let small = HeatmapChart(x: [-1, 0, 1], y: [0, 1], z: [[-2, 0, 1], [-1, 0, 2]], colorLabel: "f(x)")

    func testCellColoursRunFromBlueThroughWhiteToRed() throws {
        let svg = try SVGDocument(small.svg())
        let fills = svg.elements("rect", class: "heatmap-cell").map { $0.value(of: "fill") }
        XCTAssertEqual(fills.count, 6)
        // Row-major from the first row: the minimum is full blue, zero white, the maximum full red.
        XCTAssertEqual(fills[0], "#2166ac")
        XCTAssertEqual(fills[1], "#ffffff")
        XCTAssertEqual(fills[5], "#b2182b")
        // Half the range is halfway from white to red.
        XCTAssertEqual(fills[2], "#d98c95")
        // The range is symmetric: -1 is as pale as +1 is.
        XCTAssertEqual(fills[3], DivergingColorMap.hex(DivergingColorMap.zero, DivergingColorMap.negative, 0.5))
    }

    func testGivenColourRangeIsUsedAndWidenedToZero() throws {
        var chart = small
        chart.colorRange = -4...4
        let fills = try SVGDocument(chart.svg()).elements("rect", class: "heatmap-cell").map { $0.value(of: "fill") }
        XCTAssertEqual(fills[0], DivergingColorMap.hex(DivergingColorMap.zero, DivergingColorMap.negative, 0.5))
        XCTAssertEqual(fills[5], "#d98c95")
        // A range that leaves out zero still puts white at zero.
        let map = DivergingColorMap(range: 1...3, values: [])
        XCTAssertEqual(map.lower, 0)
        XCTAssertEqual(map.upper, 3)
        XCTAssertEqual(map.color(0), "#ffffff")
        XCTAssertEqual(map.color(-5), "#ffffff")
        XCTAssertEqual(map.color(7), "#b2182b")
    }

    func testCellsTileThePlotWithoutGaps() throws {
        let svg = try SVGDocument(small.svg())
        let cells = svg.elements("rect", class: "heatmap-cell")
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        func number(_ e: XMLElement, _ name: String) -> Double { Double(e.value(of: name) ?? "") ?? .nan }
        // Neighbours in a row share an edge exactly.
        XCTAssertEqual(number(cells[0], "x") + number(cells[0], "width"), number(cells[1], "x"), accuracy: 1e-9)
        XCTAssertEqual(number(cells[0], "x"), number(frame, "x"), accuracy: 0.06)
        XCTAssertEqual(number(cells[2], "x") + number(cells[2], "width"), number(frame, "x") + number(frame, "width"),
                       accuracy: 0.06)
        // The first row is the lowest on the page.
        XCTAssertGreaterThan(number(cells[0], "y"), number(cells[3], "y"))
    }

    func testEquallyColouredNeighboursInARowShareOneRect() throws {
        let chart = HeatmapChart(x: [0, 1, 2, 3], y: [0, 1], z: [[5, 5, 5, -5], [5, -5, -5, -5]])
        let cells = try SVGDocument(chart.svg()).elements("rect", class: "heatmap-cell")
        XCTAssertEqual(cells.map { $0.value(of: "fill") }, ["#b2182b", "#2166ac", "#b2182b", "#2166ac"])
        let widths = cells.map { Double($0.value(of: "width")!)! }
        XCTAssertEqual(widths[0], 3 * widths[1], accuracy: 0.2)
        XCTAssertEqual(widths[3], 3 * widths[2], accuracy: 0.2)
        XCTAssertEqual(widths[0] + widths[1], widths[2] + widths[3], accuracy: 1e-9)
    }

    func testColourBarHasTickLabelsAndLabel() throws {
        let svg = try SVGDocument(small.svg())
        XCTAssertEqual(svg.texts(class: "colorbar-tick-label"), ["-2", "-1", "0", "1", "2"])
        XCTAssertEqual(svg.texts(class: "colorbar-label"), ["f(x)"])
        let stops = svg.elements("stop")
        XCTAssertEqual(stops.map { $0.value(of: "stop-color") }, ["#2166ac", "#ffffff", "#b2182b"])
        XCTAssertEqual(stops.map { $0.value(of: "offset") }, ["0", "0.5", "1"])
        let bar = try XCTUnwrap(svg.elements("rect", class: "colorbar-fill").first)
        let gradient = try XCTUnwrap(svg.elements("linearGradient").first?.value(of: "id"))
        XCTAssertEqual(bar.value(of: "fill"), "url(#\(gradient))")
        // The bar is right of the plot.
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        XCTAssertGreaterThan(Double(bar.value(of: "x")!)!, Double(frame.value(of: "x")!)! + Double(frame.value(of: "width")!)!)
    }

    /// The contour's vertices, parsed from its `M x,yL x,y` path data.
    private func contourPoints(_ svg: SVGDocument) throws -> [(x: Double, y: Double)] {
        let d = try XCTUnwrap(svg.elements("path", class: "zero-contour").first?.value(of: "d"))
        return d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { pair in
            let parts = pair.split(separator: ",").map { Double($0)! }
            return (parts[0], parts[1])
        }
    }

    func testZeroContourOfZEqualsXIsAVerticalLineAtZero() throws {
        // Zero lies a fifth of the way from -0.1 to 0.4, so a contour not interpolated along the edges misses it.
        let xs = stride(from: -1.6, through: 2.4, by: 0.5).map { $0 }
        let ys = stride(from: -1.0, through: 1.0, by: 0.25).map { $0 }
        let chart = HeatmapChart(x: xs, y: ys, z: ys.map { _ in xs })
        let svg = try SVGDocument(chart.svg())
        let points = try contourPoints(svg)
        // One segment across each of the eight rows of squares.
        XCTAssertEqual(points.count, 16)
        let zeroTick = try XCTUnwrap(svg.elements("text", class: "x-tick-label").first { $0.stringValue == "0" })
        let zeroX = Double(zeroTick.value(of: "x")!)!
        for p in points { XCTAssertEqual(p.x, zeroX, accuracy: 0.06) }
        // It runs from the first row of grid points to the last.
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        let top = Double(frame.value(of: "y")!)!, height = Double(frame.value(of: "height")!)!
        let rowHeight = height / Double(ys.count)
        XCTAssertEqual(points.map(\.y).min()!, top + rowHeight / 2, accuracy: 0.1)
        XCTAssertEqual(points.map(\.y).max()!, top + height - rowHeight / 2, accuracy: 0.1)
        XCTAssertEqual(svg.elements("path", class: "zero-contour").first?.value(of: "data-series"), "0 contour")
        XCTAssertEqual(svg.texts(class: "legend-label"), ["0 contour"])
    }

    func testNoContourWithoutASignChangeOrWhenTurnedOff() throws {
        let positive = HeatmapChart(x: [0, 1, 2], y: [0, 1], z: [[0, 1, 2], [1, 2, 3]])
        XCTAssertTrue(try SVGDocument(positive.svg()).elements("path", class: "zero-contour").isEmpty)
        var off = small
        off.zeroContour = false
        XCTAssertTrue(try SVGDocument(off.svg()).elements("path", class: "zero-contour").isEmpty)
        XCTAssertFalse(try SVGDocument(small.svg()).elements("path", class: "zero-contour").isEmpty)
    }

    func testSaddleGetsTwoSegments() {
        // Corners + - + - around the square: two corners are cut off, never a crossing line.
        let segments = ZeroContour.segments(xs: [0, 1], ys: [0, 1]) { c, r in [[1.0, -1.0], [-1.0, 1.0]][r][c] }
        XCTAssertEqual(segments.count, 2)
        let circle = ZeroContour.segments(xs: [-1, 0, 1], ys: [-1, 0, 1]) { c, r in
            let (x, y) = (Double(c - 1), Double(r - 1))
            return x * x + y * y - 0.5
        }
        XCTAssertEqual(circle.count, 4)
    }

    func testFlatRowMajorValuesMatchNestedRows() {
        let flat = HeatmapChart(x: [-1, 0, 1], y: [0, 1], values: [-2, 0, 1, -1, 0, 2], colorLabel: "f(x)")
        XCTAssertEqual(flat.z, small.z)
        XCTAssertEqual(flat.svg(), small.svg())
    }

    func testScatterLayersAreDrawnOverTheFieldAndListed() throws {
        var chart = small
        chart.layers = [.init(label: "y = +1", x: [0.5, 0.2], y: [0.5, 0.8]),
                        .init(label: "flipped", x: [-0.5], y: [0.2], marker: .cross)]
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "legend-label"), ["0 contour", "y = +1", "flipped"])
        XCTAssertEqual(svg.elements("path", class: "scatter-layer").map { $0.value(of: "data-count") }, ["2", "1"])
        // Drawn after (over) the cells.
        let order = svg.text.range(of: "scatter-layer")!.lowerBound > svg.text.range(of: "heatmap-cell")!.lowerBound
        XCTAssertTrue(order)
    }

    func testNonFiniteCellsAreSkippedAndEmptyGridSaysNoData() throws {
        let chart = HeatmapChart(title: "t", x: [0, 1, .nan], y: [0, 1], z: [[1, .nan, 5], [-.infinity, 2]])
        let svg = try SVGDocument(chart.svg())
        // Column 2 has no position; (1, 0) is NaN, (0, 1) infinite, and (1, 1) is fine.
        XCTAssertEqual(svg.elements("rect", class: "heatmap-cell").count, 2)
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        XCTAssertTrue(svg.texts(class: "no-data").isEmpty)
        let empty = try SVGDocument(HeatmapChart(x: [], y: [], z: []).svg())
        XCTAssertEqual(empty.texts(class: "no-data"), ["no data"])
        XCTAssertTrue(empty.elements("g", class: "colorbar").isEmpty)
    }

    func testLabelsAreEscaped() throws {
        let nasty = #"<f> & "g" 'h'"#
        var chart = small
        chart.title = nasty
        chart.colorLabel = nasty
        chart.contourLabel = nasty
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "colorbar-label"), [nasty])
        XCTAssertEqual(svg.texts(class: "legend-label"), [nasty])
        XCTAssertEqual(svg.elements("path", class: "zero-contour").first?.value(of: "data-series"), nasty)
    }
}
