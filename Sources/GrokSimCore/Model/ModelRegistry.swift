/// The models this program knows, by name; installed once at start-up, before any config is read.
///
/// The executable (and each test target) installs its list; the engine looks models up here when it
/// reads a config, so it never names one.
public enum ModelRegistry {
    nonisolated(unsafe) private static var installed: [any Model] = []

    /// Sets the known models; the first is the one a config without a `model` key uses.
    public static func install(_ models: [any Model]) {
        precondition(Set(models.map(\.name)).count == models.count, "model names must be unique")
        installed = models
    }

    public static var models: [any Model] { installed }

    /// The model used when a config names none.
    public static var defaultModel: any Model {
        precondition(!installed.isEmpty, "no models installed")
        return installed[0]
    }

    /// The model named `name`, or an error listing the known ones.
    public static func model(named name: String) throws -> any Model {
        if let model = installed.first(where: { $0.name == name }) { return model }
        throw ConfigError("config: model must be one of " + installed.map { "\"\($0.name)\"" }.joined(separator: ", ")
                          + " (got \"\(name)\")")
    }

    /// The model of a resolved config (it was resolved against the registry, so it is there).
    public static func model(of config: ExperimentConfig) -> any Model {
        installed.first { $0.name == config.model }!
    }
}
