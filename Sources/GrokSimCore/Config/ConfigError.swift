/// A problem with a configuration, described in one line that names the key or the place.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
