import _CGSL

/// Process-wide GSL set-up and error translation.
enum GSL {
    /// GSL's default error handler aborts the process; every call here checks the returned status instead.
    private static let handlerOff: Void = { _ = gsl_set_error_handler_off() }()

    /// Turns the default handler off; call before any GSL routine that can fail.
    static func prepare() { _ = handlerOff }

    /// Throws a ``SolverError/library(name:code:message:)`` for a non-zero GSL status.
    static func check(_ status: Int32, _ routine: String) throws {
        guard status != Int32(GSL_SUCCESS) else { return }
        throw SolverError.library(name: routine, code: Int(status), message: String(cString: gsl_strerror(status)))
    }

    /// Calls `body` with a `gsl_function` that evaluates the Swift closure `f`.
    static func withFunction<R>(_ f: (Double) -> Double, _ body: (UnsafeMutablePointer<gsl_function>) throws -> R)
        rethrows -> R {
        try withoutActuallyEscaping(f) { escaping in
            var closure = escaping
            return try withUnsafeMutablePointer(to: &closure) { context in
                var function = gsl_function(
                    function: { x, context in
                        context!.assumingMemoryBound(to: ((Double) -> Double).self).pointee(x)
                    },
                    params: UnsafeMutableRawPointer(context))
                return try body(&function)
            }
        }
    }
}
