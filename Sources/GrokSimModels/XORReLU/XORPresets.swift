import Foundation
import GrokSimCore

/// The XOR model's presets: the paper's figures (Xu et al. 2024, Appendix A.7), a laptop-sized variant and
/// configs inside the theorem's assumptions.
public enum XORPresets {
    /// The paper's experimental settings (Xu et al. 2024, Appendix A.7), shared by its two figures.
    private static let paperSettings: [(String, ConfigValue)] = [
        ("n", .integer(200)), ("p", .integer(40_000)), ("m", .integer(1000)), ("n_test", .integer(200)),
        ("mu_norm_factor", .number(2.5)), ("eta", .number(0.05)), ("omega", .number(1e-15)),
    ]

    /// Every preset of the model.
    public static let all: [Preset] = [
        Preset(name: "xu2024-fig1",
               model: XORReLUModel.modelName, summary: "Xu et al. 2024, Figure 1 (left): p=40000, n=200, m=1000, alpha=1e-12, 40 steps",
               settings: paperSettings + [("alpha", .number(1e-12)), ("steps", .integer(40)),
                                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(15)]))]),
        Preset(name: "xu2024-fig1-slow",
               model: XORReLUModel.modelName, summary: "Xu et al. 2024, Figure 1 (right): as xu2024-fig1 with alpha=1e-16, 4000 steps",
               settings: paperSettings + [("alpha", .number(1e-16)), ("steps", .integer(4000)),
                                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(1000)]))]),
        Preset(name: "small",
               model: XORReLUModel.modelName, summary: "seconds on a laptop: p=10000, n=100, m=300, alpha=1e-9, 40 steps; same phenomenon as xu2024-fig1",
               settings: [("n", .integer(100)), ("p", .integer(10_000)), ("m", .integer(300)), ("n_test", .integer(400)),
                          ("mu_norm_factor", .number(2.5)), ("eta", .number(0.05)), ("omega", .number(1e-15)),
                          ("alpha", .number(1e-9)), ("steps", .integer(40)),
                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(10)]))]),
    ] + [25, 50, 100, 200].map(theoremRegime(n:))

    /// A config inside the theorem's assumptions (A1)–(A6) at C = 1 with margin, for n training points.
    ///
    /// p is 2 n^5.02 rounded up to a power of ten (A1 and A2 together need p >= n^5.02),
    /// ||mu||^2 = p / (1.2 n^2) so that (A2) holds with a factor 1.2 and (A1) with at least 1.4; alpha is half
    /// the (A4) bound and omega half the (A5) bound; m = 100. Such p only fits the reduced representation.
    public static func theoremRegime(n: Int) -> Preset {
        let m = 100
        let nd = Double(n)
        let p = Int(pow(10, ceil(log10(2 * pow(nd, 5.02)))))
        let muNorm = roundDown3((Double(p) / 1.2).squareRoot() / nd)
        let alpha = roundDown3(0.5 / (nd * Double(p)))
        let bound5: Double = alpha * muNorm * muNorm / (nd * pow(Double(m), 1.5) * Double(p))
        let omega = roundDown3(0.5 * bound5)
        let sqrtN = Int(nd.squareRoot().rounded())
        return Preset(name: "theorem-n\(n)",
                      model: XORReLUModel.modelName, summary: "inside (A1)-(A6) at C=1: n=\(n), p=\(String(format: "%.0e", Double(p))), m=\(m), "
                          + "||mu||=\(muNorm), alpha=\(alpha), omega=\(omega), exact-reduced, 40 steps",
                      settings: [("n", .integer(n)), ("p", .integer(p)), ("m", .integer(m)), ("n_test", .integer(1000)),
                                 ("mu_norm", .number(muNorm)), ("eta", .number(0.05)), ("alpha", .number(alpha)),
                                 ("omega", .number(omega)), ("steps", .integer(40)),
                                 ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(sqrtN)])),
                                 ("representation", .string(Representation.exactReduced.rawValue))])
    }

    /// `value` rounded down to three significant digits, so presets print readably and keep their margins.
    private static func roundDown3(_ value: Double) -> Double {
        // Shrinking by 0.5% first makes round-to-nearest land at or below `value`.
        Double(String(format: "%.2e", value * 0.995))!
    }

}
