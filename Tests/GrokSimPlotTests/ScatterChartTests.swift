#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import GrokSimPlot

final class ScatterChartTests: XCTestCase {
    private func markerCount(_ path: XMLElement) -> Int {
        (path.value(of: "d") ?? "").filter { $0 == "M" }.count
    }

    func testEveryLayerIsOnePathWithItsPointsAndInTheLegend() throws {
        let layers = [ScatterLayer(label: "y = +1", x: [0, 1, 2], y: [0, 1, 2]),
                      ScatterLayer(label: "y = -1", x: [3, 4], y: [1, 0], color: "teal", marker: .square),
                      ScatterLayer(label: "flipped", x: [1], y: [2], marker: .cross)]
        let svg = try SVGDocument(ScatterChart(layers: layers).svg())
        let paths = svg.elements("path", class: "scatter-layer")
        XCTAssertEqual(paths.map { $0.value(of: "data-layer") }, ["y = +1", "y = -1", "flipped"])
        XCTAssertEqual(paths.map(markerCount), [3, 2, 1])
        XCTAssertEqual(paths.map { $0.value(of: "data-count") }, ["3", "2", "1"])
        XCTAssertEqual(svg.texts(class: "legend-label"), ["y = +1", "y = -1", "flipped"])
        let legendMarkers = svg.elements("path", class: "legend-marker")
        XCTAssertEqual(legendMarkers.map { $0.value(of: "data-layer") }, ["y = +1", "y = -1", "flipped"])
        XCTAssertEqual(legendMarkers.map { $0.value(of: "data-marker") }, ["circle", "square", "cross"])
        // Default colours come from the palette; the legend matches the points.
        XCTAssertEqual(paths[0].value(of: "fill"), Palette.color(at: 0))
        XCTAssertEqual(paths[1].value(of: "fill"), "teal")
        XCTAssertEqual(paths[2].value(of: "stroke"), Palette.color(at: 2))
        XCTAssertEqual(legendMarkers.map { $0.value(of: "fill") }, paths.map { $0.value(of: "fill") })
    }

    func testMarkerShapes() throws {
        let layers = ScatterLayer.Marker.allCases.map { ScatterLayer(label: $0.rawValue, x: [1, 2], y: [1, 2], marker: $0) }
        let svg = try SVGDocument(ScatterChart(layers: layers).svg())
        let paths = Dictionary(uniqueKeysWithValues: svg.elements("path", class: "scatter-layer").map {
            ($0.value(of: "data-marker") ?? "", $0)
        })
        XCTAssertEqual(Set(paths.keys), ["circle", "cross", "square", "triangle"])
        let d = paths.mapValues { $0.value(of: "d") ?? "" }
        XCTAssertTrue(d["circle"]!.contains("a"))
        XCTAssertTrue(d["square"]!.contains("h") && d["square"]!.contains("v") && d["square"]!.hasSuffix("z"))
        XCTAssertTrue(d["triangle"]!.contains("l") && !d["triangle"]!.contains("v") && d["triangle"]!.hasSuffix("z"))
        XCTAssertTrue(d["cross"]!.contains("m") && !d["cross"]!.contains("z"))
        // A cross is strokes only; the other shapes are filled.
        XCTAssertEqual(paths["cross"]!.value(of: "fill"), "none")
        XCTAssertEqual(paths["circle"]!.value(of: "stroke"), "none")
        XCTAssertTrue(paths.values.allSatisfy { markerCount($0) == 2 })
    }

    func testMarkerSizeAndOpacity() throws {
        let layer = ScatterLayer(label: "w", x: [0, 1], y: [0, 1], size: 10, opacity: 0.3)
        let path = try XCTUnwrap(SVGDocument(ScatterChart(layers: [layer]).svg()).elements("path", class: "scatter-layer").first)
        XCTAssertTrue(path.value(of: "d")!.contains("a5,5 "))
        XCTAssertEqual(path.value(of: "fill-opacity"), "0.3")
    }

    func testThousandsOfPointsStayCompact() throws {
        let n = 3000
        let x = (0..<n).map { sin(Double($0) * 0.37) * 3.14159 }, y = (0..<n).map { cos(Double($0) * 0.91) * 2.71828 }
        let text = ScatterChart(layers: [.init(label: "neurons", x: x, y: y, size: 3)]).svg()
        let svg = try SVGDocument(text)
        XCTAssertEqual(svg.elements("path", class: "scatter-layer").map(markerCount), [n])
        XCTAssertLessThan(text.utf8.count, 60 * n)
        // Marker coordinates have at most one decimal.
        let d = try XCTUnwrap(svg.elements("path", class: "scatter-layer").first?.value(of: "d"))
        let numbers = d.split(whereSeparator: { !"0123456789.-".contains($0) })
        XCTAssertTrue(numbers.allSatisfy { !$0.contains(".") || $0.split(separator: ".").last!.count == 1 })
    }

    func testEqualAspectMakesUnitsEqualOnBothAxes() throws {
        func frameRatio(_ x: [Double], _ y: [Double], _ equal: Bool) throws -> Double {
            let chart = ScatterChart(layers: [.init(label: "p", x: x, y: y)], equalAspect: equal, width: 720, height: 440)
            let frame = try XCTUnwrap(SVGDocument(chart.svg()).elements("rect", class: "frame").first)
            let (width, height) = (Double(frame.value(of: "width")!)!, Double(frame.value(of: "height")!)!)
            // Shrunk to fit, never grown past the document.
            XCTAssertLessThan(width, 720)
            XCTAssertLessThan(height, 440)
            return width / height
        }
        // Wide data narrows the height; tall data narrows the width. The padded spans are 11 and 1.1.
        XCTAssertEqual(try frameRatio([0, 10, 0, 10], [0, 0, 1, 1], true), 10, accuracy: 0.01)
        XCTAssertEqual(try frameRatio([0, 1, 0, 1], [0, 0, 10, 10], true), 0.1, accuracy: 0.001)
        XCTAssertNotEqual(try frameRatio([0, 10, 0, 10], [0, 0, 1, 1], false), 10, accuracy: 1)
    }

    func testNonFinitePointsAreSkippedAndEmptySaysNoData() throws {
        let layer = ScatterLayer(label: "s", x: [0, .nan, 2, 3, .infinity], y: [0, 1, -.infinity, 3, 4])
        let svg = try SVGDocument(ScatterChart(title: "t", layers: [layer]).svg())
        XCTAssertEqual(svg.elements("path", class: "scatter-layer").map(markerCount), [2])
        XCTAssertFalse(svg.text.lowercased().contains("nan"))
        XCTAssertFalse(svg.text.lowercased().contains("inf"))
        XCTAssertTrue(svg.texts(class: "no-data").isEmpty)
        let empty = try SVGDocument(ScatterChart(layers: [.init(label: "none", x: [], y: [])]).svg())
        XCTAssertEqual(empty.texts(class: "no-data"), ["no data"])
        XCTAssertTrue(empty.elements("path", class: "scatter-layer").isEmpty)
        XCTAssertEqual(try SVGDocument(ScatterChart().svg()).texts(class: "no-data"), ["no data"])
    }

    func testLinearAxesHaveNiceTicks() throws {
        let svg = try SVGDocument(ScatterChart(xRange: 0...1, yRange: -10...10,
                                               layers: [.init(label: "p", x: [0.5], y: [0])]).svg())
        XCTAssertEqual(svg.texts(class: "x-tick-label"), ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        XCTAssertEqual(svg.texts(class: "y-tick-label"), ["-10", "-5", "0", "5", "10"])
    }

    func testLabelsAreEscapedAndOutsideLegendIsBesideThePlot() throws {
        let nasty = #"<w_j, μ₁> & "x" 'y'"#
        let chart = ScatterChart(title: nasty, caption: nasty, xLabel: nasty,
                                 layers: [.init(label: nasty, x: [1, 2], y: [1, 2])], legend: .outsideRight)
        let svg = try SVGDocument(chart.svg())
        XCTAssertEqual(svg.texts(class: "legend-label"), [nasty])
        XCTAssertEqual(svg.texts(class: "caption"), [nasty])
        XCTAssertEqual(svg.elements("path", class: "scatter-layer").first?.value(of: "data-layer"), nasty)
        let frame = try XCTUnwrap(svg.elements("rect", class: "frame").first)
        let box = try XCTUnwrap(svg.elements("g", class: "legend").first?.children?.first as? XMLElement)
        XCTAssertGreaterThan(Double(box.value(of: "x")!)!, Double(frame.value(of: "x")!)! + Double(frame.value(of: "width")!)!)
    }
}
