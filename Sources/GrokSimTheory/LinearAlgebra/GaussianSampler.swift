import _CGSL

/// Seeded standard-normal and uniform variates from GSL's Mersenne Twister, for sampled checks of the theory
/// (random point sets, Wishart matrices); reproducible for a given seed.
public final class GaussianSampler {
    private let generator: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt) {
        generator = gsl_rng_alloc(groksim_gsl_rng_mt19937())!
        gsl_rng_set(generator, seed)
    }

    deinit { gsl_rng_free(generator) }

    /// One N(0, σ²) variate.
    public func normal(standardDeviation: Double = 1) -> Double {
        gsl_ran_gaussian_ziggurat(generator, standardDeviation)
    }

    /// `count` independent N(0, σ²) variates.
    public func normals(_ count: Int, standardDeviation: Double = 1) -> [Double] {
        (0..<count).map { _ in gsl_ran_gaussian_ziggurat(generator, standardDeviation) }
    }

    /// A uniform variate on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(generator) }

    /// `count` independent fair ±1 signs.
    public func signs(_ count: Int) -> [Double] { (0..<count).map { _ in gsl_rng_uniform(generator) < 0.5 ? -1 : 1 } }

    /// N points in R^d with independent N(0, σ²) coordinates.
    public func points(count: Int, dimension: Int, standardDeviation: Double = 1) -> PointMatrix {
        PointMatrix(count: count, dimension: dimension, values: normals(count * dimension, standardDeviation: standardDeviation))
    }
}
