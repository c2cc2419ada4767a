/// An error thrown by a failing HDF5 operation.
///
/// The description is one line: what was attempted, on which object and file,
/// followed by the most specific message HDF5 recorded, if any, for example
/// `cannot open dataset '/metrics/step' in 'run.h5': object 'step' doesn't exist`.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// What failed, naming the object path and the file.
    public let message: String

    /// The innermost message from HDF5's error stack, when the failure came from the library.
    public let detail: String?

    /// Creates an error from a message and an optional library detail.
    public init(_ message: String, detail: String? = nil) {
        self.message = message
        // Library messages occasionally carry newlines; keep the description on one line.
        self.detail = detail.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }
    }

    public var description: String {
        guard let detail, !detail.isEmpty else { return message }
        return "\(message): \(detail)"
    }
}
