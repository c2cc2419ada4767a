import Foundation
import XCTest
import GrokSimTestSupport
import GrokSimHDF5

final class HDF5GroupTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory = nil
    }

    func testExistsChecksEveryComponentOfNestedPaths() throws {
        let file = try HDF5File.create(path: directory.path("nested.h5"))
        let root = file.root
        let checkpoints = try root.createGroup("checkpoints")
        try checkpoints.createDataset("step_00000010/W", of: Double.self, shape: [2, 2])
        XCTAssertTrue(try root.exists("checkpoints"))
        XCTAssertTrue(try root.exists("checkpoints/step_00000010"))
        XCTAssertTrue(try root.exists("checkpoints/step_00000010/W"))
        XCTAssertTrue(try root.exists("/checkpoints/step_00000010/W"))
        XCTAssertTrue(try checkpoints.exists("step_00000010/W"))
        XCTAssertTrue(try root.exists("/"))
        XCTAssertFalse(try root.exists(""))
        XCTAssertFalse(try root.exists("checkpoints/step_00000020/W"))
        XCTAssertFalse(try root.exists("missing/deeper/still"))
        // A dataset in the middle of a path is not a group.
        XCTAssertFalse(try root.exists("checkpoints/step_00000010/W/x"))
        XCTAssertFalse(try checkpoints.exists("W"))

        XCTAssertEqual(try root.memberNames(), ["checkpoints"])
        try checkpoints.createGroup("step_00000002")
        try checkpoints.createGroup("step_00000001")
        XCTAssertEqual(try checkpoints.memberNames(), ["step_00000001", "step_00000002", "step_00000010"])
        let step = try root.openGroup("checkpoints/step_00000010")
        XCTAssertEqual(step.path, "/checkpoints/step_00000010")
        XCTAssertEqual(step.name, "step_00000010")
        XCTAssertEqual(try step.openDataset("W").path, "/checkpoints/step_00000010/W")
    }

    func testOpeningTheWrongKindOrMissingObjectsFailsClearly() throws {
        let path = directory.path("kinds.h5")
        let file = try HDF5File.create(path: path)
        try file.root.createDataset("metrics/step", of: Int64.self, shape: [1])
        assertHDF5Error(["cannot open dataset '/metrics/loss' in '\(path)'", "no such object"]) {
            try file.root.openDataset("metrics/loss")
        }
        assertHDF5Error(["cannot open dataset '/metrics' in '\(path)'", "it is a group"]) {
            try file.root.openDataset("metrics")
        }
        assertHDF5Error(["cannot open group '/metrics/step'", "it is a dataset"]) {
            try file.root.openGroup("metrics/step")
        }
        assertHDF5Error(["cannot create group '/metrics'", "already exists"]) {
            try file.root.createGroup("metrics")
        }
    }

    func testDeleteRemovesLinks() throws {
        let file = try HDF5File.create(path: directory.path("delete.h5"))
        let root = file.root
        try root.createDataset("checkpoints/old/W", of: Float.self, shape: [3])
        try root.createDataset("checkpoints/new/W", of: Float.self, shape: [3])
        try root.delete("checkpoints/old")
        XCTAssertFalse(try root.exists("checkpoints/old/W"))
        XCTAssertEqual(try root.openGroup("checkpoints").memberNames(), ["new"])
        assertHDF5Error(["cannot delete '/checkpoints/old'", "no such object"]) {
            try root.delete("checkpoints/old")
        }
    }

    func testSoftAndHardLinks() throws {
        let file = try HDF5File.create(path: directory.path("links.h5"))
        let root = file.root
        try root.createDataset("checkpoints/step_5/W", of: Double.self, shape: [2]).write([5.0, 6.0])
        try root.createSoftLink("latest", to: "/checkpoints/step_5")
        try root.createHardLink("pinned", to: "checkpoints/step_5/W")
        XCTAssertEqual(try root.openDataset("latest/W").read(as: Double.self), [5, 6])
        XCTAssertEqual(try root.openDataset("pinned").read(as: Double.self), [5, 6])
        // A dangling soft link exists as a link but not as an object.
        try root.delete("checkpoints/step_5")
        XCTAssertFalse(try root.exists("latest"))
        XCTAssertEqual(try root.openDataset("pinned").read(as: Double.self), [5, 6])
        assertHDF5Error(["cannot create soft link '/latest'", "already exists"]) {
            try root.createSoftLink("latest", to: "/elsewhere")
        }
    }

    func testExternalLinkResolvesWhenReading() throws {
        let dataPath = directory.path("data.h5")
        let indexPath = directory.path("index.h5")
        do {
            let data = try HDF5File.create(path: dataPath)
            let weights = try data.root.createDataset("model/W", of: Double.self, shape: [2, 2])
            try weights.write([1.0, 2.0, 3.0, 4.0])
            try weights.setAttribute("units", "weights")
            let index = try HDF5File.create(path: indexPath)
            // Relative to the linking file's directory, not the current directory.
            try index.root.createExternalLink("W", file: "data.h5", path: "/model/W")
            try index.root.createExternalLink("broken", file: "nowhere.h5", path: "/x")
            try data.close()
            try index.close()
        }
        XCTAssertNotEqual(FileManager.default.currentDirectoryPath, directory.url.path)
        let index = try HDF5File.open(path: indexPath)
        XCTAssertEqual(try index.root.memberNames(), ["W", "broken"])
        XCTAssertTrue(try index.root.exists("W"))
        XCTAssertFalse(try index.root.exists("broken"))
        let weights = try index.root.openDataset("W")
        XCTAssertEqual(try weights.shape, [2, 2])
        XCTAssertEqual(try weights.read(as: Double.self), [1, 2, 3, 4])
        XCTAssertEqual(try weights.attribute("units", as: String.self), "weights")
        // Closing the linking file also releases the target file.
        try index.close()
        assertHDF5Error(["file '\(indexPath)' is closed"]) { try weights.shape }
        let renamed = directory.path("data-renamed.h5")
        try FileManager.default.moveItem(atPath: dataPath, toPath: renamed)
        let data = try HDF5File.open(path: renamed, writable: true)
        XCTAssertEqual(try data.root.openDataset("model/W").read(as: Double.self), [1, 2, 3, 4])
    }

    func testExternalLinksIntoFilesThatAreOpen() throws {
        let dataPath = directory.path("data.h5")
        let data = try HDF5File.create(path: dataPath)
        try data.root.createDataset("x", of: Int64.self, shape: [3]).write([Int64(7), 8, 9])
        try data.flush()
        // A link into another file that this process has open for writing...
        let index = try HDF5File.create(path: directory.path("index.h5"))
        try index.root.createExternalLink("x", file: "data.h5", path: "/x")
        XCTAssertEqual(try index.root.openDataset("x").read(as: Int64.self), [7, 8, 9])
        // ...and a link from a file into itself.
        try data.root.createExternalLink("self", file: "data.h5", path: "/x")
        XCTAssertTrue(try data.root.exists("self"))
        XCTAssertEqual(try data.root.openDataset("self").read(as: Int64.self), [7, 8, 9])
        try index.close()
        try data.close()
        _ = try HDF5File.create(path: dataPath, overwrite: true)
    }
}
