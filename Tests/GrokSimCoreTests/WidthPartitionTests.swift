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

    /// With a granularity, blocks start on tile boundaries and differ by at most one tile; with fewer tiles
    /// than parts the split falls back to elements.
    func testGranularBlocksAreWholeTiles() {
        for width in [1, 13, 64, 65, 300, 1000, 1001] {
            for parts in Set([1, 2, 3, 5, width].filter { $0 <= width }) {
                let partition = WidthPartition(width: width, parts: parts, granularity: 64)
                let tiles = (width + 63) / 64
                var next = 0
                var sizes: [Int] = []
                for part in 0..<parts {
                    let range = partition.range(of: part)
                    XCTAssertEqual(range.lowerBound, next, "width \(width) parts \(parts) part \(part)")
                    XCTAssertFalse(range.isEmpty)
                    if tiles >= parts { XCTAssertEqual(range.lowerBound % 64, 0, "width \(width) parts \(parts)") }
                    XCTAssertEqual(partition.owner(of: range.lowerBound), part)
                    XCTAssertEqual(partition.owner(of: range.upperBound - 1), part)
                    next = range.upperBound
                    sizes.append(range.count)
                }
                XCTAssertEqual(next, width)
                XCTAssertLessThanOrEqual(sizes.dropLast().max().map { $0 - sizes.dropLast().min()! } ?? 0, tiles >= parts ? 64 : 1)
            }
        }
        XCTAssertEqual((0..<2).map { WidthPartition(width: 1000, parts: 2, granularity: 64).range(of: $0) }, [0..<512, 512..<1000])
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
