import _CGSL

/// Adaptive Gauss-Kronrod quadrature of a smooth function on a finite interval (GSL's QAG, 61-point rule).
public struct Quadrature: Sendable {
    /// Requested relative error of the integral.
    public var relativeTolerance: Double
    /// Requested absolute error of the integral; 0 asks for relative accuracy only.
    public var absoluteTolerance: Double
    /// Most subintervals the bisection may create.
    public var maximumIntervals: Int

    public init(relativeTolerance: Double = 1e-12, absoluteTolerance: Double = 0, maximumIntervals: Int = 2000) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.maximumIntervals = maximumIntervals
    }

    /// ∫ f over [a, b], with GSL's estimate of its absolute error.
    public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) throws
        -> (value: Double, errorEstimate: Double) {
        GSL.prepare()
        guard let workspace = gsl_integration_workspace_alloc(maximumIntervals) else {
            throw SolverError.library(name: "gsl_integration_workspace_alloc", code: -1, message: "out of memory")
        }
        defer { gsl_integration_workspace_free(workspace) }
        var value = 0.0
        var error = 0.0
        let status = GSL.withFunction(f) { function in
            gsl_integration_qag(function, a, b, absoluteTolerance, relativeTolerance, maximumIntervals,
                                Int32(GSL_INTEG_GAUSS61), workspace, &value, &error)
        }
        // A roundoff report on an integrand that has underflowed to zero still gives the right (zero) answer.
        if status == Int32(GSL_EROUND), error <= max(absoluteTolerance, 1e-10 * abs(value)) {
            return (value, error)
        }
        try GSL.check(status, "gsl_integration_qag")
        return (value, error)
    }
}
