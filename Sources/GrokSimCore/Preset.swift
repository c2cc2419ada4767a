/// A named configuration that users start from, listed by `groksim presets`.
public struct Preset: Sendable {
    public let name: String
    public let summary: String
    /// Keys and values applied on top of the defaults, as they would be written in a config file.
    public let settings: [(String, ConfigValue)]

    /// The paper's experimental settings (Xu et al. 2024, Appendix A.7), shared by its two figures.
    private static let paperSettings: [(String, ConfigValue)] = [
        ("n", .integer(200)), ("p", .integer(40_000)), ("m", .integer(1000)), ("n_test", .integer(200)),
        ("mu_norm_factor", .number(2.5)), ("eta", .number(0.05)), ("omega", .number(1e-15)),
    ]

    /// Every preset.
    public static let all: [Preset] = [
        Preset(name: "xu2024-fig1",
               summary: "Xu et al. 2024, Figure 1 (left): p=40000, n=200, m=1000, alpha=1e-12, 40 steps",
               settings: paperSettings + [("alpha", .number(1e-12)), ("steps", .integer(40)),
                                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(15)]))]),
        Preset(name: "xu2024-fig1-slow",
               summary: "Xu et al. 2024, Figure 1 (right): as xu2024-fig1 with alpha=1e-16, 4000 steps",
               settings: paperSettings + [("alpha", .number(1e-16)), ("steps", .integer(4000)),
                                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(1000)]))]),
        Preset(name: "small",
               summary: "seconds on a laptop: p=10000, n=100, m=300, alpha=1e-9, 40 steps; same phenomenon as xu2024-fig1",
               settings: [("n", .integer(100)), ("p", .integer(10_000)), ("m", .integer(300)), ("n_test", .integer(400)),
                          ("mu_norm_factor", .number(2.5)), ("eta", .number(0.05)), ("omega", .number(1e-15)),
                          ("alpha", .number(1e-9)), ("steps", .integer(40)),
                          ("checkpoint_steps", .list([.integer(0), .integer(1), .integer(10)]))]),
    ]

    /// The preset named `name`, or an error listing the ones that exist.
    public static func named(_ name: String) throws -> Preset {
        if let preset = all.first(where: { $0.name == name }) { return preset }
        throw ConfigError("unknown preset '\(name)' (presets: \(all.map(\.name).joined(separator: ", ")); see 'groksim presets')")
    }
}
