/// Validation of the ±1 label vectors the margin solvers take.
enum Labels {
    static func check(_ labels: [Double], count: Int) throws {
        guard labels.count == count else {
            throw SolverError.invalidInput("\(labels.count) labels for \(count) points")
        }
        guard labels.allSatisfy({ $0 == 1 || $0 == -1 }) else { throw SolverError.invalidInput("labels must be ±1") }
        guard count > 0 else { throw SolverError.invalidInput("no points") }
    }
}
