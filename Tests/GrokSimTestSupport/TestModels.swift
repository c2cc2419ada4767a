import GrokSimCore
import GrokSimModels

/// The registry the tests run with (the executable's list), and the conformance cases every model joins.
public enum TestModels {
    /// Installs the same models as the executable; call it in `setUp` before reading any config.
    public static func install() {
        ModelRegistry.install([XORReLUModel(), LinearLogisticModel(), TeacherStudentModel(), DiagonalNetModel(), MatrixCompletionModel(),
                               ConstantLabelLogisticModel(), RandomLabelMLPModel(), ModularMLPModel()])
    }

    /// A small config of a model for the conformance suite: one line per model (and per representation).
    public struct Case: Sendable {
        public let name: String
        public let settings: [(String, ConfigValue)]
        /// Only plain GD applies (the XOR reduced representation is exact for GD alone).
        public var gradientDescentOnly = false

        /// The config, with `extra` settings on top.
        public func config(_ extra: [(String, ConfigValue)] = []) throws -> ExperimentConfig {
            install()
            return try ConfigLoader.resolve(preset: nil, file: settings, overrides: extra)
        }
    }

    public static let conformanceCases: [Case] = [
        Case(name: "xor-relu", settings: [("model", .string("xor-relu")), ("n", .integer(7)), ("p", .integer(9)), ("m", .integer(5)),
                                          ("n_test", .integer(3)), ("mu_norm", .number(2)), ("eta", .number(0.3)), ("omega", .number(1)),
                                          ("alpha", .number(1)), ("steps", .integer(1)), ("seed", .integer(21)),
                                          ("representation", .string("explicit"))]),
        // p = 40 > 2 + n + m: W has columns the data never touch (they only decay).
        Case(name: "xor-relu-reduced", settings: [("model", .string("xor-relu")), ("n", .integer(7)), ("p", .integer(40)), ("m", .integer(5)),
                                                  ("n_test", .integer(3)), ("mu_norm", .number(2)), ("eta", .number(0.3)), ("omega", .number(1)),
                                                  ("alpha", .number(1)), ("steps", .integer(1)), ("seed", .integer(21)),
                                                  ("representation", .string("exact-reduced"))], gradientDescentOnly: true),
        Case(name: "linear-logistic", settings: [("model", .string("linear-logistic")), ("n", .integer(9)), ("d", .integer(6)),
                                                 ("n_test", .integer(5)), ("init_scale", .number(0.7)), ("learning_rate", .number(1)),
                                                 ("label_noise", .number(0.2)), ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "teacher-student", settings: [("model", .string("teacher-student")), ("d_in", .integer(7)), ("d_out", .integer(3)),
                                                 ("n", .integer(9)), ("n_test", .integer(5)), ("eta", .number(0.1)), ("init_scale", .number(0.7)),
                                                 ("label_noise", .number(0.1)), ("steps", .integer(1)),
                                                 ("seed", .integer(5))]),
        Case(name: "diagonal-net", settings: [("model", .string("diagonal-net")), ("n", .integer(9)), ("d", .integer(6)),
                                              ("n_test", .integer(5)), ("init_scale", .number(0.7)), ("learning_rate", .number(0.1)),
                                              ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "diagonal-net-l2-margin", settings: [("model", .string("diagonal-net")), ("task", .string("l2-margin")), ("n", .integer(7)),
                                                        ("d", .integer(6)), ("n_test", .integer(5)), ("gamma", .number(1)),
                                                        ("init_norm", .number(3)), ("depth", .integer(3)), ("learning_rate", .number(0.1)),
                                                        ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "matrix-completion", settings: [("model", .string("matrix-completion")), ("d", .integer(7)),
                                                   ("observed_fraction", .number(0.4)), ("init_scale", .number(0.7)),
                                                   ("init_noise", .number(0.2)), ("learning_rate", .number(0.05)),
                                                   ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "constant-label-logistic", settings: [("model", .string("constant-label-logistic")), ("n", .integer(9)), ("d", .integer(6)),
                                                         ("n_test", .integer(5)), ("init_scale", .number(0.7)), ("init_bias", .number(0.3)),
                                                         ("learning_rate", .number(1)), ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "constant-label-two-gaussians", settings: [("model", .string("constant-label-logistic")), ("task", .string("two-gaussians")),
                                                              ("n", .integer(9)), ("d", .integer(6)), ("n_test", .integer(5)),
                                                              ("init_scale", .number(0.7)), ("sigma_a", .number(0.3)), ("mu", .number(1)),
                                                              ("learning_rate", .number(1)), ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "constant-label-toy", settings: [("model", .string("constant-label-logistic")), ("task", .string("toy-1d")),
                                                    ("n_test", .integer(5)), ("init_scale", .number(0.7)), ("init_bias", .number(0.3)),
                                                    ("loss", .string("exponential")), ("learning_rate", .number(1)), ("steps", .integer(1)),
                                                    ("seed", .integer(4))]),
        Case(name: "random-label-mlp", settings: [("model", .string("random-label-mlp")), ("n", .integer(9)), ("d", .integer(4)),
                                                  ("width", .integer(7)), ("n_test", .integer(5)), ("learning_rate", .number(0.3)),
                                                  ("steps", .integer(1)), ("seed", .integer(4))]),
        // h = 20 with tiles of 8: three tiles, the last one short.
        Case(name: "modular-mlp", settings: [("model", .string("modular-mlp")), ("p", .integer(5)), ("hidden", .integer(20)),
                                             ("train_fraction", .number(0.6)), ("learning_rate", .number(0.1)), ("init_scale", .number(1.3)),
                                             ("steps", .integer(1)), ("seed", .integer(4))]),
        Case(name: "modular-mlp-divide-fast", settings: [("model", .string("modular-mlp")), ("p", .integer(7)), ("hidden", .integer(9)),
                                                         ("operation", .string("divide")), ("reduction", .string("fast")),
                                                         ("learning_rate", .number(0.1)), ("steps", .integer(1)), ("seed", .integer(5))]),
    ]
}
