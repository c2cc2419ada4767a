import XCTest
@testable import GrokSimPlot

final class NumberFormatTests: XCTestCase {
    func testCompactDropsTrailingZerosAndNegativeZero() {
        XCTAssertEqual(NumberFormat.compact(0.2), "0.2")
        XCTAssertEqual(NumberFormat.compact(3), "3")
        XCTAssertEqual(NumberFormat.compact(1234.567), "1234.57")
        XCTAssertEqual(NumberFormat.compact(-12.005, decimals: 1), "-12")
        XCTAssertEqual(NumberFormat.compact(-0.001), "0")
        XCTAssertEqual(NumberFormat.compact(0.000123, decimals: 6), "0.000123")
        XCTAssertEqual(NumberFormat.compact(-7.25), "-7.25")
    }

    func testNonFiniteNeverPrints() {
        for value in [Double.nan, .infinity, -.infinity] {
            XCTAssertEqual(NumberFormat.compact(value), "0")
            XCTAssertEqual(NumberFormat.scientific(value, significantDigits: 3), "0")
        }
    }

    func testScientificAndPowers() {
        XCTAssertEqual(NumberFormat.scientific(2.5e6, significantDigits: 2), "2.5×10⁶")
        XCTAssertEqual(NumberFormat.scientific(-3e-5, significantDigits: 1), "-3×10⁻⁵")
        XCTAssertEqual(NumberFormat.scientific(9.9996, significantDigits: 3), "1×10¹")
        XCTAssertEqual(NumberFormat.compact(1e20), "1×10²⁰")
        XCTAssertEqual(NumberFormat.powerOfTen(0), "1")
        XCTAssertEqual(NumberFormat.powerOfTen(-3), "0.001")
        XCTAssertEqual(NumberFormat.powerOfTen(3), "1000")
        XCTAssertEqual(NumberFormat.powerOfTen(12), "10¹²")
        XCTAssertEqual(NumberFormat.powerOfTen(-10), "10⁻¹⁰")
    }

    func testEscapeCoversAllMarkupCharacters() {
        XCTAssertEqual(SVGWriter.escape(#"a<b & "c" 'd' e>f"#), "a&lt;b &amp; &quot;c&quot; &#39;d&#39; e&gt;f")
        XCTAssertEqual(SVGWriter.escape("tab\there\u{0}"), "tab here")
        XCTAssertEqual(SVGWriter.escape("ünïcode ✓"), "ünïcode ✓")
    }
}
