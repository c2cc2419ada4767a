import Foundation

/// The one line printed for an error that ends a job; a full disk is named as such, not as HDF5's long report.
enum ErrorLine {
    /// `error` as one line; "no space left on device writing FILE" when the file system is full.
    static func text(_ error: Error) -> String {
        let description = String(describing: error)
        guard description.contains("errno = 28") || description.contains("No space left on device") else {
            return description.split(whereSeparator: \.isNewline).joined(separator: " ")
        }
        // The file HDF5 names (after " in '" or "filename = '", else the first quoted path); temporary names
        // stand for the file being written.
        var file = "a file"
        for marker in [" in '", "filename = '", "'"] {
            if let start = description.range(of: marker), let end = description[start.upperBound...].firstIndex(of: "'") {
                file = String(description[start.upperBound..<end])
                break
            }
        }
        for suffix in [".edit.tmp", ".tmp"] where file.hasSuffix(suffix) { file = String(file.dropLast(suffix.count)) }
        if let range = file.range(of: ".tmp-") { file = String(file[..<range.lowerBound]) }
        return "no space left on device writing \(file)"
    }
}
