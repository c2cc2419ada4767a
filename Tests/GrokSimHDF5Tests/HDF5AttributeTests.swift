import Foundation
import XCTest
import GrokSimTestSupport
import GrokSimHDF5

final class HDF5AttributeTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory = nil
    }

    func testEveryAttributeTypeSurvivesReopening() throws {
        let path = directory.path("attributes.h5")
        do {
            let file = try HDF5File.create(path: path)
            let group = try file.root.createGroup("run")
            let dataset = try group.createDataset("W", of: Float.self, shape: [2])
            try group.setAttribute("model", "mlp")
            try group.setAttribute("note", "λ = 0.5, ünïcode")
            try group.setAttribute("empty", "")
            try group.setAttribute("long", String(repeating: "x", count: 10_000))
            try group.setAttribute("vlen", "variable", variableLength: true)
            try group.setAttribute("seed", 42)
            try group.setAttribute("big", Int64.min)
            try group.setAttribute("lr", 1e-3)
            try group.setAttribute("widths", [784, 128, 10])
            try group.setAttribute("offsets", [Int64(-5), 1 << 40])
            try group.setAttribute("betas", [0.9, 0.999])
            try group.setAttribute("none", [Double]())
            try dataset.setAttribute("units", "nats")
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        let group = try file.root.openGroup("run")
        XCTAssertEqual(try group.attributeNames(),
                       ["betas", "big", "empty", "long", "lr", "model", "none", "note", "offsets", "seed", "vlen", "widths"])
        XCTAssertEqual(try group.attribute("model", as: String.self), "mlp")
        XCTAssertEqual(try group.attribute("note", as: String.self), "λ = 0.5, ünïcode")
        XCTAssertEqual(try group.attribute("empty", as: String.self), "")
        XCTAssertEqual(try group.attribute("long", as: String.self).count, 10_000)
        XCTAssertEqual(try group.attribute("vlen", as: String.self), "variable")
        XCTAssertEqual(try group.attribute("seed", as: Int.self), 42)
        XCTAssertEqual(try group.attribute("seed", as: Int64.self), 42)
        XCTAssertEqual(try group.attribute("big", as: Int64.self), Int64.min)
        XCTAssertEqual(try group.attribute("lr", as: Double.self), 1e-3)
        XCTAssertEqual(try group.attribute("widths", as: [Int].self), [784, 128, 10])
        XCTAssertEqual(try group.attribute("offsets", as: [Int64].self), [-5, 1 << 40])
        XCTAssertEqual(try group.attribute("betas", as: [Double].self), [0.9, 0.999])
        XCTAssertEqual(try group.attribute("none", as: [Double].self), [])
        XCTAssertEqual(try group.openDataset("W").attribute("units", as: String.self), "nats")
        XCTAssertTrue(try group.hasAttribute("lr"))
        XCTAssertFalse(try group.hasAttribute("momentum"))
    }

    func testOverwritingAnAttributeReplacesValueAndType() throws {
        let file = try HDF5File.create(path: directory.path("overwrite.h5"))
        let root = file.root
        try root.setAttribute("status", "running")
        try root.setAttribute("status", "finished successfully")
        XCTAssertEqual(try root.attribute("status", as: String.self), "finished successfully")
        try root.setAttribute("status", "ok")
        XCTAssertEqual(try root.attribute("status", as: String.self), "ok")
        try root.setAttribute("step", 10)
        try root.setAttribute("step", 20)
        XCTAssertEqual(try root.attribute("step", as: Int.self), 20)
        // A different type under the same name.
        try root.setAttribute("step", [1.5, 2.5])
        XCTAssertEqual(try root.attribute("step", as: [Double].self), [1.5, 2.5])
        XCTAssertEqual(try root.attributeNames(), ["status", "step"])
        try root.deleteAttribute("status")
        XCTAssertEqual(try root.attributeNames(), ["step"])
    }

    func testNumericConversionsAndTypeMismatches() throws {
        let file = try HDF5File.create(path: directory.path("convert.h5"))
        let root = file.root
        try root.setAttribute("ratio", 3.0)
        try root.setAttribute("count", 7)
        try root.setAttribute("name", "adam")
        try root.setAttribute("pair", [1, 2])
        // HDF5 converts between stored and requested numeric types.
        XCTAssertEqual(try root.attribute("ratio", as: Int.self), 3)
        XCTAssertEqual(try root.attribute("count", as: Double.self), 7.0)
        XCTAssertEqual(try root.attribute("count", as: [Double].self), [7.0])
        XCTAssertEqual(try root.attribute("pair", as: [Double].self), [1.0, 2.0])

        assertHDF5Error(["cannot read attribute 'name' as Double from '/'", "it holds strings, not numbers"]) {
            try root.attribute("name", as: Double.self)
        }
        assertHDF5Error(["cannot read attribute 'count' as a string", "it holds int64, not a string"]) {
            try root.attribute("count", as: String.self)
        }
        assertHDF5Error(["attribute 'pair'", "it has 2 elements, expected 1"]) {
            try root.attribute("pair", as: Int.self)
        }
        assertHDF5Error(["cannot read attribute 'missing'", "no such attribute"]) {
            try root.attribute("missing", as: Int64.self)
        }
        assertHDF5Error(["cannot write attribute 'bad'", "NUL character"]) {
            try root.setAttribute("bad", "a\u{0}b")
        }
        XCTAssertFalse(try root.hasAttribute("bad"))
    }
}
