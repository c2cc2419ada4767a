import Foundation

/// Exact draws from the chi distribution with any number of degrees of freedom up to 2^53.
///
/// chi_k is the length of a standard Gaussian vector in R^k, the new diagonal entry of a Bartlett
/// decomposition. It is sampled as sqrt(2 G) with G ~ Gamma(k/2, 1) by Marsaglia and Tsang's rejection
/// method (ACM TOMS 26(3), 2000), which is exact for every shape; shapes below 1 use
/// Gamma(a) = Gamma(a + 1) U^(1/a). For huge k the acceptance test is evaluated as
/// d (log1p(e) - e) with a series, because d - d v + d log v cancels catastrophically in floating point
/// when d = k/2 - 1/3 is 10^15 and v = 1 + e is within 1e-7 of 1.
public enum ChiDistribution {
    /// The largest degrees of freedom accepted: every integer up to it is exact in a Double.
    public static let maximumDegreesOfFreedom = 1 << 53

    /// The chi draw number `index` of `stream` with `degreesOfFreedom` >= 1.
    ///
    /// Attempt k of the rejection loop uses the Philox blocks (index, 2k) and (index, 2k + 1), so the draw depends
    /// only on (seed, stream, index), never on what else was drawn.
    public static func sample(degreesOfFreedom: Int, stream: RandomStream, index: UInt64) -> Double {
        precondition(degreesOfFreedom >= 1 && degreesOfFreedom <= maximumDegreesOfFreedom)
        let shape = Double(degreesOfFreedom) / 2
        if shape >= 1 {
            return (2 * gammaAboveOne(shape: shape, stream: stream, index: index)).squareRoot()
        }
        // k = 1: Gamma(1/2) = Gamma(3/2) U^2; the uniform comes from a block no attempt of the loop uses.
        let boost = stream.bits(index, attempt: UInt32.max)
        let u = RandomStream.unitInterval(boost.0, boost.1)
        let g = gammaAboveOne(shape: shape + 1, stream: stream, index: index) * pow(u, 1 / shape)
        return (2 * g).squareRoot()
    }

    /// Gamma(shape, 1) for shape >= 1 (Marsaglia–Tsang), returned as d (1 + e) with d = shape - 1/3.
    static func gammaAboveOne(shape: Double, stream: RandomStream, index: UInt64) -> Double {
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        var attempt: UInt32 = 0
        while true {
            // Two blocks per attempt: a Box–Muller normal from 53-bit uniforms, then the acceptance uniform.
            let b = stream.bits(index, attempt: 2 * attempt)
            let a = stream.bits(index, attempt: 2 * attempt + 1)
            attempt += 1
            let x = (-2 * log(RandomStream.unitInterval(b.0, b.1))).squareRoot()
                * cos(2 * Double.pi * RandomStream.unitInterval(b.2, b.3))
            let u = RandomStream.unitInterval(a.0, a.1)
            let cx = c * x
            if cx <= -1 { continue }
            // v = (1 + cx)^3 = 1 + e, with e formed directly so it keeps its digits when cx is tiny.
            let e = cx * (3 + cx * (3 + cx))
            if log(u) < 0.5 * x * x + d * logOnePlusMinus(e) {
                return d + d * e
            }
        }
    }

    /// log(1 + e) - e, accurate also when |e| is tiny.
    static func logOnePlusMinus(_ e: Double) -> Double {
        if abs(e) > 0.01 { return log1p(e) - e }
        // -e^2/2 + e^3/3 - e^4/4 + ...: ten terms reach double precision for |e| <= 0.01.
        var term = e * e
        var sum = 0.0
        for k in 2 ... 11 {
            sum += (k % 2 == 0 ? -term : term) / Double(k)
            term *= e
        }
        return sum
    }
}
