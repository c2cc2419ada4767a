import XCTest
@testable import GrokSimCore

/// Tile-wise outputs and gradients equal the plain products, and do not depend on how whole tiles are split.
final class TiledLinearMapTests: XCTestCase {
    private func value(_ i: Int, _ k: Int) -> Double { Double((i * 31 + k * 17) % 23) / 7 - 1.5 }

    func testOutputsAndGradientsMatchPlainSumsAndEverySplit() {
        let n = 9, d = 200, c = 3
        let tile = TiledLinearMap<Double>.tileSize(width: d)
        XCTAssertEqual(tile, 6)
        let weights = (0..<(d * c)).map { Double(($0 * 13) % 11) / 5 - 1 }
        var reference: [Double]? = nil
        var referenceGradient: [Double]? = nil
        let residuals = (0..<(n * c)).map { Double(($0 * 7) % 5) / 3 - 0.5 }
        for parts in [1, 2, 3, 7] {
            let partition = WidthPartition(width: d, parts: parts, granularity: tile)
            let total = ExactAccumulator(count: n * c)
            var gradient = [Double](repeating: 0, count: d * c)
            for part in 0..<parts {
                let map = TiledLinearMap<Double>(count: n, outputs: c, columns: partition.range(of: part), tile: tile, value: value)
                var padded = [Double](repeating: 0, count: map.paddedRows * c)
                for k in map.columns { for j in 0..<c { padded[(k - map.paddedColumns.lowerBound) * c + j] = weights[k * c + j] } }
                let local = ExactAccumulator(count: n * c)
                map.accumulateOutputs(weights: padded, into: local)
                // What the all-reduce does: an integer sum of the accumulators' limbs.
                for slot in total.storage.indices { total.storage[slot] += local.storage[slot] }
                var localGradient = [Double](repeating: 0, count: map.paddedRows * c)
                residuals.withUnsafeBufferPointer { map.gradient(residuals: $0, into: &localGradient) }
                for k in map.columns { for j in 0..<c { gradient[k * c + j] = localGradient[(k - map.paddedColumns.lowerBound) * c + j] } }
            }
            let outputs = (0..<(n * c)).map { total.value($0) }
            for i in 0..<n {
                for j in 0..<c {
                    let plain = (0..<d).reduce(0.0) { $0 + value(i, $1) * weights[$1 * c + j] }
                    XCTAssertEqual(outputs[i * c + j], plain, accuracy: 1e-11)
                }
            }
            if let reference, let referenceGradient {
                XCTAssertEqual(outputs.map(\.bitPattern), reference.map(\.bitPattern), "\(parts) parts")
                XCTAssertEqual(gradient.map(\.bitPattern), referenceGradient.map(\.bitPattern), "\(parts) parts")
            } else {
                reference = outputs
                referenceGradient = gradient
            }
        }
    }
}
