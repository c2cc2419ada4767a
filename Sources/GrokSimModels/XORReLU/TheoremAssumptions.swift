import Foundation
import GrokSimCore

/// The assumptions (A1)–(A6) of Xu et al.'s theorem, evaluated for a config with a chosen constant C.
///
/// The theorem holds for a large universal constant C; C = 1 is the most generous reading. The paper's
/// own experiments violate (A1), (A2) and (A5), which this report makes visible for any config.
public enum TheoremAssumptions {
    /// One inequality, both of its sides, and whether it holds.
    public struct Check: Sendable, Equatable {
        public let name: String
        public let statement: String
        public let left: Double
        public let right: Double
        /// True when the inequality reads left >= right; false when it reads left <= right.
        public let leftIsLarger: Bool

        public var holds: Bool { leftIsLarger ? left >= right : left <= right }
    }

    /// Every assumption for `config` with constant `constant`.
    public static func evaluate(_ config: XORReLUSettings, constant: Double = 1) -> [Check] {
        let n = Double(config.n), p = Double(config.p), m = Double(config.m)
        let mu2 = config.resolvedMuNorm * config.resolvedMuNorm
        let c = constant
        return [
            Check(name: "A1", statement: "||mu||^2 >= C n^0.51 sqrt(p)", left: mu2, right: c * pow(n, 0.51) * p.squareRoot(), leftIsLarger: true),
            Check(name: "A2", statement: "p >= C n^2 ||mu||^2", left: p, right: c * n * n * mu2, leftIsLarger: true),
            Check(name: "A3", statement: "eta <= 1/C", left: config.eta, right: 1 / c, leftIsLarger: false),
            Check(name: "A4", statement: "alpha <= 1/(C n p)", left: config.alpha, right: 1 / (c * n * p), leftIsLarger: false),
            Check(name: "A5", statement: "omega n m^1.5 p <= alpha ||mu||^2", left: config.omega * n * pow(m, 1.5) * p,
                  right: config.alpha * mu2, leftIsLarger: false),
            Check(name: "A6", statement: "m >= C n^0.02", left: m, right: c * pow(n, 0.02), leftIsLarger: true),
        ]
    }

    /// A table of the checks, one line each.
    public static func table(_ checks: [Check], constant: Double) -> String {
        var lines = [String(format: "Assumptions of Xu et al. (2024), Theorem, with C = %g:", constant)]
        for check in checks {
            let relation = check.leftIsLarger ? ">=" : "<="
            lines.append(String(format: "  %@  %@  %@   %.4g %@ %.4g", check.name, check.holds ? "holds " : "FAILS ",
                                check.statement.padding(toLength: 34, withPad: " ", startingAt: 0), check.left, relation, check.right))
        }
        let failing = checks.filter { !$0.holds }.map(\.name)
        lines.append(failing.isEmpty ? "All six hold." : "Not in the theorem's regime: \(failing.joined(separator: ", ")) fail.")
        return lines.joined(separator: "\n")
    }

    /// One line for the start of a run, e.g. "A1 fails, A2 fails, A3 holds, ...".
    public static func summary(_ checks: [Check], constant: Double) -> String {
        String(format: "assumptions at C = %g: ", constant)
            + checks.map { "\($0.name) \($0.holds ? "holds" : "fails")" }.joined(separator: ", ")
            + " (details: groksim check)"
    }
}
