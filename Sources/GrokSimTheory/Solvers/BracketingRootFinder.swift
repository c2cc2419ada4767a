import _CGSL

/// A root of a continuous function on an interval where it changes sign (GSL's Brent solver).
public struct BracketingRootFinder: Sendable {
    /// The search stops when the bracket is narrower than this fraction of the root...
    public var relativeTolerance: Double
    /// ...or narrower than this absolute width.
    public var absoluteTolerance: Double
    /// Iteration cap; reaching it throws ``SolverError/notConverged(_:)``.
    public var maximumIterations: Int

    public init(relativeTolerance: Double = 1e-12, absoluteTolerance: Double = 0, maximumIterations: Int = 500) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.maximumIterations = maximumIterations
    }

    /// The x in [lower, upper] with f(x) = 0; f(lower) and f(upper) must have opposite signs.
    public func root(between lower: Double, and upper: Double, of f: (Double) -> Double) throws -> Double {
        GSL.prepare()
        guard let solver = gsl_root_fsolver_alloc(groksim_gsl_root_fsolver_brent()) else {
            throw SolverError.library(name: "gsl_root_fsolver_alloc", code: -1, message: "out of memory")
        }
        defer { gsl_root_fsolver_free(solver) }
        return try GSL.withFunction(f) { function in
            try GSL.check(gsl_root_fsolver_set(solver, function, lower, upper), "gsl_root_fsolver_set")
            for _ in 0..<maximumIterations {
                try GSL.check(gsl_root_fsolver_iterate(solver), "gsl_root_fsolver_iterate")
                let status = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver), gsl_root_fsolver_x_upper(solver),
                                                    absoluteTolerance, relativeTolerance)
                if status == Int32(GSL_SUCCESS) { return gsl_root_fsolver_root(solver) }
            }
            throw SolverError.notConverged("Brent root search took more than \(maximumIterations) iterations")
        }
    }
}
