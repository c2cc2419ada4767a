import XCTest
@testable import GrokSimCore

final class LogisticLossTests: XCTestCase {
    func testFiniteAndAccurateAtExtremeMargins() {
        XCTAssertEqual(LogisticLoss.value(margin: 0), log(2), accuracy: 1e-15)
        XCTAssertEqual(LogisticLoss.value(margin: 1e-12), log(2) - 0.5e-12, accuracy: 3e-16)
        XCTAssertEqual(LogisticLoss.value(margin: 800), 0)
        XCTAssertEqual(LogisticLoss.value(margin: 40), exp(-40), accuracy: exp(-40) * 1e-14)
        XCTAssertEqual(LogisticLoss.value(margin: -800), 800)
        XCTAssertEqual(LogisticLoss.value(margin: -1e300), 1e300)
        XCTAssertEqual(LogisticLoss.value(margin: 1e300), 0)
        XCTAssertEqual(LogisticLoss.pointWeight(margin: 0), 0.5)
        XCTAssertEqual(LogisticLoss.pointWeight(margin: -1e300), 1)
        XCTAssertEqual(LogisticLoss.pointWeight(margin: 1e300), 0)
        XCTAssertEqual(LogisticLoss.pointWeight(margin: 50), exp(-50) / (1 + exp(-50)), accuracy: 1e-35)
    }

    func testPointWeightIsMinusTheDerivativeOfTheLoss() {
        for margin in [-30.0, -3, -0.1, 0, 0.2, 4, 25] {
            let h = 1e-6
            let derivative = (LogisticLoss.value(margin: margin + h) - LogisticLoss.value(margin: margin - h)) / (2 * h)
            XCTAssertEqual(-derivative, LogisticLoss.pointWeight(margin: margin), accuracy: 1e-8)
        }
    }
}
