import Foundation
import XCTest
import GrokSimHDF5

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
