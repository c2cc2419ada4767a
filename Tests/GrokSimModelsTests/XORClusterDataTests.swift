import XCTest
import GrokSimTestSupport
import GrokSimModels
@testable import GrokSimCore

final class XORClusterDataTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    /// Flip rate, cluster balance and the noise law on 20 000 points (tolerances: 5 binomial or normal standard errors).
    func testStatistics() {
        let count = 20_000, p = 6, muNorm = 3.0, eta = 0.1
        let data = XORClusterData<Double>(count: count, dimension: p, muNorm: muNorm, flipRate: eta, seed: 4,
                                          labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise)
        let n = Double(count)
        let flips = Double(data.flipped.filter { $0 }.count)
        XCTAssertEqual(flips / n, eta, accuracy: 5 * (eta * (1 - eta) / n).squareRoot())
        for cluster in 0..<4 {
            let share = Double(data.clusters.filter { $0 == cluster }.count) / n
            XCTAssertEqual(share, 0.25, accuracy: 5 * (0.25 * 0.75 / n).squareRoot())
        }
        var meanAlongMean = 0.0, noiseSum = 0.0, noiseSquares = 0.0
        for i in 0..<count {
            let row = data.point(i)
            let cluster = data.clusters[i]
            let axis = cluster / 2, sign = cluster % 2 == 0 ? 1.0 : -1.0
            XCTAssertEqual(data.cleanLabels[i], axis == 0 ? 1 : -1)
            XCTAssertEqual(data.labels[i], data.flipped[i] ? -data.cleanLabels[i] : data.cleanLabels[i])
            meanAlongMean += sign * row[axis]
            for k in 2..<p {
                noiseSum += row[k]
                noiseSquares += row[k] * row[k]
            }
        }
        let noiseCount = n * Double(p - 2)
        XCTAssertEqual(meanAlongMean / n, muNorm, accuracy: 5 / n.squareRoot())
        XCTAssertEqual(noiseSum / noiseCount, 0, accuracy: 5 / noiseCount.squareRoot())
        XCTAssertEqual(noiseSquares / noiseCount, 1, accuracy: 5 * 2.0.squareRoot() / noiseCount.squareRoot())
    }

    /// A smaller sample is a prefix of a larger one, and test data never has flipped labels.
    func testPrefixPropertyAndCleanTestData() {
        let small = XORClusterData<Double>(count: 5, dimension: 30, muNorm: 2, flipRate: 0.3, seed: 9,
                                           labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise)
        let large = XORClusterData<Double>(count: 12, dimension: 30, muNorm: 2, flipRate: 0.3, seed: 9,
                                           labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise)
        XCTAssertEqual(Array(small.x), Array(large.x.prefix(5 * 30)))
        XCTAssertEqual(small.labels, Array(large.labels.prefix(5)))
        let test = XORClusterData<Double>(count: 500, dimension: 3, muNorm: 2, flipRate: 0, seed: 9,
                                          labelStream: XORStreams.testLabels, noiseStream: XORStreams.testNoise)
        XCTAssertEqual(test.labels, test.cleanLabels)
        XCTAssertNotEqual(Array(test.x.prefix(3)), Array(large.x.prefix(3)))
    }

    func testFloat32DataIsTheRoundedFloat64Data() {
        let double = XORClusterData<Double>(count: 4, dimension: 10, muNorm: 2, flipRate: 0, seed: 1,
                                            labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise)
        let single = XORClusterData<Float>(count: 4, dimension: 10, muNorm: 2, flipRate: 0, seed: 1,
                                           labelStream: XORStreams.trainLabels, noiseStream: XORStreams.trainNoise)
        XCTAssertEqual(Array(single.x), double.x.map { Float($0) })
    }
}
