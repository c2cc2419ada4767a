/// Why a theory computation could not return a value.
public enum SolverError: Error, Equatable, CustomStringConvertible {
    /// A library call returned an error code.
    case library(name: String, code: Int, message: String)
    /// An iterative method stopped before meeting its tolerance, or its answer failed the caller-side check.
    case notConverged(String)
    /// The input does not describe a problem the routine solves.
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .library(name, code, message): return "\(name) failed with code \(code): \(message)"
        case let .notConverged(reason): return "not converged: \(reason)"
        case let .invalidInput(reason): return "invalid input: \(reason)"
        }
    }
}
