import XCTest
@testable import GrokSimCore

final class WidthPartitionTests: XCTestCase {
    func testBlocksAreContiguousCoverEverythingAndDifferByAtMostOne() {
        for width in [1, 2, 7, 10, 1000, 1001] {
            for parts in Set([1, 2, 3, 7, width].filter { $0 <= width }) {
                let partition = WidthPartition(width: width, parts: parts)
                var next = 0
                var sizes: [Int] = []
                for part in 0..<parts {
                    let range = partition.range(of: part)
                    XCTAssertEqual(range.lowerBound, next, "width \(width) parts \(parts) part \(part)")
                    XCTAssertFalse(range.isEmpty)
                    for index in range { XCTAssertEqual(partition.owner(of: index), part) }
                    next = range.upperBound
                    sizes.append(range.count)
                }
                XCTAssertEqual(next, width)
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1)
            }
        }
    }

    func testUnevenSplitGivesExtraToFirstBlocks() {
        let partition = WidthPartition(width: 10, parts: 3)
        XCTAssertEqual((0..<3).map { partition.range(of: $0) }, [0..<4, 4..<7, 7..<10])
    }
}

final class QuantilesTests: XCTestCase {
    func testPercentilesInterpolateAndIgnoreNaN() {
        XCTAssertEqual(Quantiles.median([3, 1, 2]), 2)
        XCTAssertEqual(Quantiles.median([4, 1, 3, 2]), 2.5)
        XCTAssertEqual(Quantiles.percentile([0, 10], 0.2), 2, accuracy: 1e-12)
        XCTAssertEqual(Quantiles.percentile([5, .nan, 1], 1), 5)
        XCTAssertTrue(Quantiles.median([.nan]).isNaN)
    }
}
