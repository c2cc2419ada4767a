import Foundation

/// The power of an embedding's columns at each frequency of the discrete Fourier basis on Z_p.
///
/// For a neuron's weights u_0..u_(p-1) on one operand, the power at frequency k = 1..(p-1)/2 is
/// (|u^_k|^2 + |u^_(p-k)|^2) / p = 2 |u^_k|^2 / p with u^_k = sum_x u_x e^(-2 pi i k x / p); with the constant
/// part |u^_0|^2 / p these add up to sum_x u_x^2 (Parseval), so shares of power are shares of the squared norm.
/// A memorising network spreads power over every frequency; a grokked one (Nanda et al. 2023) puts it on a few.
public struct FourierSpectrum: Sendable {
    public let modulus: Int
    private let cosines: [Double]
    private let sines: [Double]

    public init(modulus p: Int) {
        modulus = p
        cosines = (0..<p).map { Foundation.cos(2 * Double.pi * Double($0) / Double(p)) }
        sines = (0..<p).map { Foundation.sin(2 * Double.pi * Double($0) / Double(p)) }
    }

    /// Frequencies 1..(p-1)/2.
    public var frequencyCount: Int { (modulus - 1) / 2 }

    /// Adds the power of the `p` values at `values` (stride 1) to `power[k - 1]` for k = 1..(p-1)/2.
    public func addPower(of values: (Int) -> Double, into power: inout [Double]) {
        let p = modulus
        for k in 1...frequencyCount {
            var re = 0.0, im = 0.0
            var phase = 0
            for x in 0..<p {
                let u = values(x)
                re += u * cosines[phase]
                im -= u * sines[phase]
                phase += k
                if phase >= p { phase -= p }
            }
            power[k - 1] += 2 * (re * re + im * im) / Double(p)
        }
    }

    /// The fewest frequencies whose power adds up to `share` of the total (0 when there is no power).
    public static func count(of power: [Double], carrying share: Double) -> Int {
        let total = power.reduce(0, +)
        guard total > 0 else { return 0 }
        var running = 0.0
        for (index, value) in power.sorted(by: >).enumerated() {
            running += value
            if running >= share * total { return index + 1 }
        }
        return power.count
    }
}
