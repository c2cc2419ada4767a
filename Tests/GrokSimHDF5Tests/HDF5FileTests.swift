import Foundation
import XCTest
import GrokSimTestSupport
import GrokSimHDF5

final class HDF5FileTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory = nil
    }

    /// Writes a small valid file and returns its path.
    private func writeSampleFile(_ name: String = "sample.h5") throws -> String {
        let path = directory.path(name)
        let file = try HDF5File.create(path: path)
        let values = try file.root.createDataset("metrics/loss", of: Double.self, shape: [0], maxShape: [nil])
        try values.append((0..<4096).map { Double($0) })
        try file.root.setAttribute("model", "transformer-small")
        try file.close()
        return path
    }

    func testCreateWithoutOverwriteLeavesExistingFileUntouched() throws {
        let path = try writeSampleFile()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        assertHDF5Error(["cannot create HDF5 file '\(path)'", "file already exists"]) {
            try HDF5File.create(path: path, overwrite: false)
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(before, after)
        XCTAssertEqual(try HDF5File.open(path: path).root.attribute("model", as: String.self), "transformer-small")

        // With overwrite the old content is gone.
        let replaced = try HDF5File.create(path: path, overwrite: true)
        XCTAssertEqual(try replaced.root.memberNames(), [])
        XCTAssertTrue(replaced.isWritable)
    }

    func testCreateInMissingDirectoryFails() throws {
        let path = directory.path("no/such/dir/run.h5")
        assertHDF5Error(["cannot create HDF5 file '\(path)'"]) { try HDF5File.create(path: path) }
    }

    func testOpenFailuresHaveDistinctMessages() throws {
        let missing = directory.path("missing.h5")
        let missingMessage = assertHDF5Error(["cannot open '\(missing)'", "no such file"]) {
            try HDF5File.open(path: missing)
        }

        let text = directory.path("notes.txt")
        try "just some text, not HDF5\n".write(toFile: text, atomically: true, encoding: .utf8)
        let textMessage = assertHDF5Error(["cannot open '\(text)'", "not an HDF5 file"]) {
            try HDF5File.open(path: text)
        }

        let valid = try writeSampleFile()
        let truncated = directory.path("truncated.h5")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: valid))
        XCTAssertGreaterThan(bytes.count, 8192)
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        let truncatedMessage = assertHDF5Error(["cannot open '\(truncated)'", "corrupt or truncated"]) {
            try HDF5File.open(path: truncated)
        }
        assertHDF5Error(["cannot open '\(directory.url.path)'", "is a directory"]) {
            try HDF5File.open(path: directory.url.path)
        }

        XCTAssertEqual(Set([missingMessage, textMessage, truncatedMessage].compactMap { $0 }).count, 3)
        XCTAssertFalse(truncatedMessage?.contains("not an HDF5 file") ?? true)
    }

    func testCloseReleasesTheFileAndInvalidatesObjects() throws {
        let path = directory.path("close.h5")
        let file = try HDF5File.create(path: path)
        let group = try file.root.createGroup("g")
        let dataset = try group.createDataset("x", of: Int64.self, shape: [0], maxShape: [nil])
        try dataset.append([1, 2, 3])
        try file.close()
        try file.close()  // idempotent
        XCTAssertFalse(file.isOpen)
        XCTAssertFalse(dataset.isOpen)
        assertHDF5Error(["cannot append to dataset '/g/x'", "file '\(path)' is closed"]) {
            try dataset.append([Int64(4)])
        }
        assertHDF5Error(["is closed"]) { try group.memberNames() }
        assertHDF5Error(["cannot flush", "is closed"]) { try file.flush() }

        // Released at once, although objects from it are still referenced.
        let moved = directory.path("moved.h5")
        try FileManager.default.moveItem(atPath: path, toPath: moved)
        let reopened = try HDF5File.open(path: moved, writable: true)
        XCTAssertEqual(try reopened.root.openDataset("g/x").read(as: Int64.self), [1, 2, 3])
        try reopened.close()
        // Creating over it with overwrite works because nothing holds it open.
        _ = try HDF5File.create(path: moved, overwrite: true)
    }

    func testObjectsKeepTheirFileOpenUntilReleased() throws {
        let path = directory.path("lifetime.h5")
        var dataset: HDF5Dataset? = try HDF5File.create(path: path).root
            .createDataset("x", of: Double.self, shape: [2])
        // The HDF5File value is gone, but the dataset still works.
        try dataset?.write([1.0, 2.0])
        XCTAssertEqual(try dataset?.read(as: Double.self), [1, 2])
        // While it is open, creating over it fails (HDF5 refuses to truncate an open file).
        assertHDF5Error(["cannot create HDF5 file"]) { try HDF5File.create(path: path, overwrite: true) }
        dataset = nil
        // Releasing the last object closed the file.
        _ = try HDF5File.create(path: path, overwrite: true)
    }

    func testFailuresPrintNothingOnAnyThread() throws {
        let missing = directory.path("missing.h5")
        let valid = try writeSampleFile()
        @Sendable func fail() -> [String] {
            var messages: [String] = []
            do { _ = try HDF5File.open(path: valid).root.openDataset("no/such/dataset") } catch {
                messages.append("\(error)")
            }
            do { _ = try HDF5File.create(path: missing + "/inside/a/file.h5") } catch { messages.append("\(error)") }
            do { try HDF5File.open(path: valid).root.setAttribute("x", 1.0) } catch { messages.append("\(error)") }
            return messages
        }
        let captured = try captureStandardError {
            XCTAssertEqual(fail().count, 3)
            // HDF5's error printing is per thread in thread-safe builds, so try a fresh thread.
            let results = MessageBox()
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                results.set(fail())
                done.signal()
            }
            thread.start()
            done.wait()
            XCTAssertEqual(results.get().count, 3)
            XCTAssertTrue(results.get().allSatisfy { !$0.isEmpty })
        }
        XCTAssertTrue(captured.contains("capture-marker"), captured)
        XCTAssertFalse(captured.contains("HDF5-DIAG"), captured)
        XCTAssertFalse(captured.contains("#000"), captured)
    }

    /// Runs `body` with file descriptor 2 redirected to a file and returns what was written,
    /// after writing a marker that proves the capture works.
    private func captureStandardError(_ body: () throws -> Void) throws -> String {
        let path = directory.path("stderr.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let target = Foundation.open(path, O_WRONLY)
        XCTAssertGreaterThanOrEqual(target, 0)
        let saved = dup(2)
        fflush(nil)
        dup2(target, 2)
        do {
            _ = "capture-marker\n".withCString { Foundation.write(2, $0, strlen($0)) }
            try body()
        } catch {
            fflush(nil)
            dup2(saved, 2)
            throw error
        }
        fflush(nil)
        dup2(saved, 2)
        Foundation.close(saved)
        Foundation.close(target)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testH5dumpReadsWrittenFile() throws {
        let h5dump = "/usr/bin/h5dump"
        guard FileManager.default.isExecutableFile(atPath: h5dump) else {
            throw XCTSkip("h5dump is not installed")
        }
        let path = directory.path("dump.h5")
        do {
            let file = try HDF5File.create(path: path)
            let weights = try file.root.createDataset("checkpoints/step_00000010/W", of: Float.self, shape: [3, 4])
            try weights.write([Float](repeating: 0.5, count: 12))
            try file.root.createDataset("metrics/step", of: Int64.self, shape: [0], maxShape: [nil]).append([1, 2])
            try file.root.setAttribute("optimizer", "adamw-fixed")
            try file.root.setAttribute("comment", "stored variable-length", variableLength: true)
            try file.root.setAttribute("lr", 0.001)
            try file.close()
        }
        // -H prints the structure but no values, attribute values included; -A adds those.
        let header = try runH5dump(h5dump, ["-H", path])
        for fragment in ["DATASET \"W\"", "DATASET \"step\"", "GROUP \"step_00000010\"",
                         "ATTRIBUTE \"optimizer\"", "H5T_IEEE_F32LE", "H5T_STD_I64LE",
                         "H5T_STR_NULLTERM", "STRSIZE 12;", "STRSIZE H5T_VARIABLE;", "H5S_UNLIMITED"] {
            XCTAssertTrue(header.contains(fragment), "h5dump -H output lacks \(fragment):\n\(header)")
        }
        let attributes = try runH5dump(h5dump, ["-A", path])
        for fragment in ["\"adamw-fixed\"", "\"stored variable-length\"", "0.001", "DATASET \"W\""] {
            XCTAssertTrue(attributes.contains(fragment), "h5dump -A output lacks \(fragment):\n\(attributes)")
        }
        XCTAssertFalse(attributes.contains("adamw-fixed\\000"), attributes)
    }

    /// Runs h5dump, asserts it succeeded and returns what it printed.
    private func runH5dump(_ h5dump: String, _ arguments: [String], line: UInt = #line) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "h5dump \(arguments) failed:\n\(output)", line: line)
        return output
    }
}

/// Carries messages from another thread back to the test.
private final class MessageBox: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func set(_ newMessages: [String]) { lock.withLock { messages = newMessages } }
    func get() -> [String] { lock.withLock { messages } }
}
