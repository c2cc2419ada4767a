/// How the per-eigenmode decay is counted in GD steps t with step η.
public enum TimeEvolution: Sendable, Equatable {
    /// The gradient-flow limit the science notes use: a mode with rate a decays as e^(−ηat).
    case gradientFlow
    /// Plain gradient descent: (1 − ηa)^t, exact for the discrete recursion; needs ηa < 1 on the whole spectrum.
    case gradientDescent
}
