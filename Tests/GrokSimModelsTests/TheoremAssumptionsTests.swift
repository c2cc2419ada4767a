import XCTest
import GrokSimTestSupport
import GrokSimModels
@testable import GrokSimCore

final class TheoremAssumptionsTests: XCTestCase {
    override func setUp() {
        TestModels.install()
    }

    private func holding(_ config: ExperimentConfig, constant: Double = 1) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: TheoremAssumptions.evaluate(config.settings, constant: constant).map { ($0.name, $0.holds) })
    }

    /// The science notes: the paper's experiments violate (A1), (A2) and (A5) by large factors.
    func testPaperSettingsViolateA1A2A5() throws {
        let paper = try ConfigLoader.resolve(preset: try Preset.named("xu2024-fig1"), file: [], overrides: [])
        XCTAssertEqual(holding(paper), ["A1": false, "A2": false, "A3": true, "A4": true, "A5": false, "A6": true])
        let a1 = TheoremAssumptions.evaluate(paper.settings)[0]
        XCTAssertEqual(a1.left, 1250, accuracy: 1e-9)
        XCTAssertEqual(a1.right, pow(200, 0.51) * 200, accuracy: 1e-9)
    }

    /// A config inside the regime (n = 50, p = 1e9, ||mu||^2 = 3e5) satisfies all six at C = 1, and a
    /// larger constant breaks the ones it should.
    func testTheoremRegimeConfigAndTheConstant() throws {
        var config = ExperimentConfig()
        config.n = 50; config.p = 1_000_000_000; config.m = 100
        config.muNorm = (3e5).squareRoot(); config.alpha = 1e-11; config.omega = 1e-20; config.eta = 0.05
        XCTAssertEqual(holding(config).values.filter { $0 }.count, 6)
        let strict = holding(config, constant: 30)
        XCTAssertEqual(strict["A3"], false)   // eta = 0.05 > 1/30
        XCTAssertEqual(strict["A6"], true)    // 100 >= 30 * 50^0.02
        XCTAssertEqual(strict["A2"], false)
        XCTAssertTrue(TheoremAssumptions.table(TheoremAssumptions.evaluate(config.settings), constant: 1).contains("All six hold."))
    }
}
