import Foundation
import XCTest
import GrokSimHDF5

/// A fresh directory for one test, removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("GrokSimHDF5Tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }
}

/// Asserts that `body` throws an ``HDF5Error`` whose description contains every fragment,
/// and returns the description.
@discardableResult
func assertHDF5Error<T>(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                        _ body: () throws -> T) -> String? {
    do {
        let value = try body()
        XCTFail("expected an HDF5Error containing \(fragments), got \(value)", file: file, line: line)
        return nil
    } catch let error as HDF5Error {
        let text = error.description
        for fragment in fragments {
            XCTAssertTrue(text.contains(fragment), "'\(text)' does not contain '\(fragment)'",
                          file: file, line: line)
        }
        XCTAssertFalse(text.contains("\n"), "error description spans lines: \(text)", file: file, line: line)
        return text
    } catch {
        XCTFail("expected an HDF5Error, got \(type(of: error)): \(error)", file: file, line: line)
        return nil
    }
}
