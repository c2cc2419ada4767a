import Foundation
import XCTest
import GrokSimTestSupport
import GrokSimHDF5

final class HDF5DatasetTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory = nil
    }

    /// Writes `values` as a [2, 3] dataset, closes the file, reopens it and reads them back.
    private func roundTrip<T: HDF5Scalar & Equatable>(_ values: [T], expected type: HDF5ScalarType,
                                                      line: UInt = #line) throws {
        let path = directory.path("\(T.self).h5")
        do {
            let file = try HDF5File.create(path: path)
            let dataset = try file.root.createDataset("values", of: T.self, shape: [2, 3])
            try dataset.write(values)
            try file.close()
        }
        let file = try HDF5File.open(path: path)
        let dataset = try file.root.openDataset("values")
        XCTAssertEqual(try dataset.shape, [2, 3], line: line)
        XCTAssertEqual(try dataset.elementType, type, line: line)
        XCTAssertEqual(try dataset.elementSize, type.size, line: line)
        XCTAssertEqual(try dataset.isFloatingPoint, type.isFloatingPoint, line: line)
        XCTAssertEqual(try dataset.read(as: T.self), values, line: line)
    }

    func testRoundTripEveryScalarType() throws {
        try roundTrip([1.5, -2.25, 3e300, 0, .infinity, -1e-300] as [Double], expected: .float64)
        try roundTrip([1.5, -2.25, 3e30, 0, .infinity, -1e-30] as [Float], expected: .float32)
        try roundTrip([Int64.min, -1, 0, 1, 1 << 40, .max], expected: .int64)
        try roundTrip([Int32.min, -1, 0, 1, 1 << 20, .max], expected: .int32)
        try roundTrip([Int8.min, -1, 0, 1, 42, .max], expected: .int8)
        try roundTrip([UInt8.min, 1, 2, 128, 200, .max], expected: .uint8)
    }

    func testScalarAndEmptyDatasets() throws {
        let file = try HDF5File.create(path: directory.path("shapes.h5"))
        let scalar = try file.root.createDataset("seed", of: Int64.self, shape: [])
        try scalar.write([Int64(1234)])
        XCTAssertEqual(try scalar.shape, [])
        XCTAssertEqual(try scalar.read(as: Int64.self), [1234])

        let empty = try file.root.createDataset("empty", of: Double.self, shape: [0, 4])
        try empty.write([Double]())
        XCTAssertEqual(try empty.read(as: Double.self), [])
        XCTAssertEqual(try empty.readRows(offset: 0, count: 0, as: Double.self), [])
    }

    func testRowHyperslabsIn2D() throws {
        let path = directory.path("rows.h5")
        let file = try HDF5File.create(path: path)
        let matrix = try file.root.createDataset("W", of: Double.self, shape: [5, 3])
        // Rows 0-1 and 2-4 written separately, the second from a buffer.
        try matrix.writeRows([0, 1, 2, 10, 11, 12] as [Double], rowOffset: 0, rowCount: 2)
        let tail: [Double] = [20, 21, 22, 30, 31, 32, 40, 41, 42]
        try tail.withUnsafeBufferPointer { try matrix.writeRows($0, rowOffset: 2, rowCount: 3) }
        try file.close()

        let reopened = try HDF5File.open(path: path)
        let W = try reopened.root.openDataset("W")
        XCTAssertEqual(try W.read(as: Double.self), [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42])
        XCTAssertEqual(try W.readRows(offset: 1, count: 2, as: Double.self), [10, 11, 12, 20, 21, 22])
        XCTAssertEqual(try W.readRows(offset: 4, count: 1, as: Double.self), [40, 41, 42])
        // HDF5 converts to the requested memory type.
        XCTAssertEqual(try W.readRows(offset: 3, count: 1, as: Float.self), [30, 31, 32])
        XCTAssertEqual(try W.readRows(offset: 3, count: 1, as: Int32.self), [30, 31, 32])
    }

    func testSizeMismatchesThrowInsteadOfCrashing() throws {
        let file = try HDF5File.create(path: directory.path("sizes.h5"))
        let matrix = try file.root.createDataset("W", of: Float.self, shape: [4, 3])
        assertHDF5Error(["cannot write dataset '/W'", "got 5 values for 12 elements"]) {
            try matrix.write([Float](repeating: 0, count: 5))
        }
        assertHDF5Error(["cannot write rows 1..<3 of dataset '/W'", "got 3 values for 6 elements"]) {
            try matrix.writeRows([Float](repeating: 0, count: 3), rowOffset: 1, rowCount: 2)
        }
        assertHDF5Error(["cannot write rows 3..<5", "the dataset has 4 rows"]) {
            try matrix.writeRows([Float](repeating: 0, count: 6), rowOffset: 3, rowCount: 2)
        }
        assertHDF5Error(["cannot read rows -1..<1", "the dataset has 4 rows"]) {
            try matrix.readRows(offset: -1, count: 2, as: Float.self)
        }
        var small = [Float](repeating: 0, count: 11)
        assertHDF5Error(["cannot read dataset '/W' in", "as Float: buffer has 11 slots for 12 elements"]) {
            try small.withUnsafeMutableBufferPointer { try matrix.read(into: $0) }
        }
        assertHDF5Error(["cannot resize dataset '/W'", "at most [4, 3]"]) {
            try matrix.resize(to: [5, 3])
        }
        assertHDF5Error(["cannot append to dataset '/W'", "exceed the maximum length 4"]) {
            try matrix.append([Float](repeating: 1, count: 3))
        }
        // Nothing above changed the dataset.
        XCTAssertEqual(try matrix.shape, [4, 3])
        XCTAssertEqual(try matrix.read(as: Float.self), [Float](repeating: 0, count: 12))
    }

    func testExtendableAppendAcrossCalls() throws {
        let path = directory.path("append.h5")
        do {
            let file = try HDF5File.create(path: path)
            let steps = try file.root.createDataset("metrics/step", of: Int64.self, shape: [0], maxShape: [nil])
            let loss = try file.root.createDataset("metrics/loss", of: Double.self, shape: [0, 2], maxShape: [nil, 2])
            XCTAssertEqual(try steps.chunk, [1024])
            XCTAssertEqual(try steps.maxShape, [nil])
            for call in 0..<5 {
                let first = Int64(call * 3)
                try steps.append([first, first + 1, first + 2])
                try loss.append([Double(call), -Double(call)])
                try file.flush()
            }
            try steps.append([Int64]())
            XCTAssertEqual(try steps.shape, [15])
            XCTAssertEqual(try loss.shape, [5, 2])
            assertHDF5Error(["cannot append to dataset '/metrics/loss'", "3 values are not whole rows of 2"]) {
                try loss.append([1.0, 2.0, 3.0])
            }
            try file.close()
        }
        let file = try HDF5File.open(path: path, writable: true)
        let steps = try file.root.openDataset("metrics/step")
        XCTAssertEqual(try steps.read(as: Int64.self), Array(0..<15))
        try steps.append([Int64(99)])
        XCTAssertEqual(try steps.readRows(offset: 14, count: 2, as: Int64.self), [14, 99])
        let loss = try file.root.openDataset("/metrics/loss")
        XCTAssertEqual(try loss.read(as: Double.self), [0, -0, 1, -1, 2, -2, 3, -3, 4, -4])
        try loss.resize(to: [2, 2])
        XCTAssertEqual(try loss.read(as: Double.self), [0, 0, 1, -1])
    }

    func testChunkingAndCompression() throws {
        let file = try HDF5File.create(path: directory.path("chunks.h5"))
        let root = file.root
        XCTAssertNil(try root.createDataset("fixed", of: Double.self, shape: [10]).chunk)
        // Whole rows of an extendable 2-D dataset, bounded by the row count cap.
        XCTAssertEqual(try root.createDataset("rows", of: Double.self, shape: [0, 10], maxShape: [nil, 10]).chunk,
                       [1024, 10])
        // Wide rows: as many as fit in 1 MiB.
        XCTAssertEqual(try root.createDataset("wide", of: Double.self, shape: [0, 65536], maxShape: [nil, 65536]).chunk,
                       [2, 65536])
        XCTAssertEqual(try root.createDataset("given", of: Float.self, shape: [8, 8], chunk: [4, 2]).chunk, [4, 2])

        let compressed = try root.createDataset("zipped", of: Double.self, shape: [1000], compression: 6)
        XCTAssertEqual(try compressed.chunk, [1000])
        let values = (0..<1000).map { Double($0 % 7) }
        try compressed.write(values)
        XCTAssertEqual(try compressed.read(as: Double.self), values)

        assertHDF5Error(["cannot create dataset '/bad'", "compression level 12"]) {
            try root.createDataset("bad", of: Double.self, shape: [4], compression: 12)
        }
        assertHDF5Error(["cannot create dataset '/bad'", "maxShape [2] is smaller than shape [4]"]) {
            try root.createDataset("bad", of: Double.self, shape: [4], maxShape: [2])
        }
        assertHDF5Error(["cannot create dataset '/bad'", "chunk [8] must be positive and within maxShape [4]"]) {
            try root.createDataset("bad", of: Double.self, shape: [4], chunk: [8])
        }
        assertHDF5Error(["cannot create dataset '/fixed'", "already exists"]) {
            try root.createDataset("fixed", of: Double.self, shape: [10])
        }
        XCTAssertFalse(try root.exists("bad"))
    }

    func testTypeChecksAndConversions() throws {
        let file = try HDF5File.create(path: directory.path("types.h5"))
        let counts = try file.root.createDataset("counts", of: Int32.self, shape: [3])
        XCTAssertTrue(try counts.isInteger)
        XCTAssertFalse(try counts.isFloatingPoint)
        XCTAssertEqual(try counts.elementTypeDescription, "int32")
        // Doubles written to an int32 dataset are converted by HDF5.
        try counts.write([1.0, 2.0, 300.0] as [Double])
        XCTAssertEqual(try counts.read(as: Int32.self), [1, 2, 300])
        XCTAssertEqual(try counts.read(as: Double.self), [1, 2, 300])
    }

    func testWritingToReadOnlyFileThrows() throws {
        let path = directory.path("readonly.h5")
        do {
            let file = try HDF5File.create(path: path)
            try file.root.createDataset("x", of: Double.self, shape: [2]).write([1.0, 2.0])
        }
        let file = try HDF5File.open(path: path)
        XCTAssertFalse(file.isWritable)
        let x = try file.root.openDataset("x")
        assertHDF5Error(["cannot write dataset '/x' in '\(path)'"]) { try x.write([3.0, 4.0]) }
        assertHDF5Error(["cannot create group '/g' in '\(path)'"]) { try file.root.createGroup("g") }
        XCTAssertEqual(try x.read(as: Double.self), [1, 2])
    }
}
