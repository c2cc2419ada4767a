import Foundation
import GrokSimTheory
import XCTest

final class GSLWrapperTests: XCTestCase {
    func testQuadratureAndRootFinderOnKnownAnswers() throws {
        XCTAssertEqual(try Quadrature().integrate(from: 0, to: Double.pi) { sin($0) }.value, 2, accuracy: 1e-14)
        XCTAssertEqual(try BracketingRootFinder().root(between: 1, and: 2) { cos($0) }, Double.pi / 2, accuracy: 1e-12)
        XCTAssertThrowsError(try BracketingRootFinder().root(between: 2, and: 3) { cos($0) }, "no sign change: GSL must refuse")
    }
}
