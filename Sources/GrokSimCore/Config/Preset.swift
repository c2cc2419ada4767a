/// A named configuration of one model that users start from, listed by `groksim presets`.
public struct Preset: Sendable {
    public let name: String
    public let model: String
    public let summary: String
    /// Keys and values applied on top of the model's defaults, as they would be written in a config file.
    public let settings: [(String, ConfigValue)]

    public init(name: String, model: String, summary: String, settings: [(String, ConfigValue)]) {
        self.name = name
        self.model = model
        self.summary = summary
        self.settings = settings
    }

    /// Every registered model's presets.
    public static var all: [Preset] { ModelRegistry.models.flatMap(\.presets) }

    /// The preset named `name`, or an error listing the ones that exist.
    public static func named(_ name: String) throws -> Preset {
        if let preset = all.first(where: { $0.name == name }) { return preset }
        throw ConfigError("unknown preset '\(name)' (presets: \(all.map(\.name).joined(separator: ", ")); see 'groksim presets')")
    }
}
