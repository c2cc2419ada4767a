/// Contiguous blocks of a width dimension (the m hidden neurons) split over ranks.
///
/// With `granularity` g > 1 and at least as many g-wide tiles as parts, blocks are whole tiles (the last
/// tile may be short), the first `tiles % parts` blocks getting one tile more; a model whose products run on
/// whole tiles then pads nothing but the last tile. Otherwise the first `width % parts` blocks get one extra
/// element, so any number of parts from 1 to `width` works.
public struct WidthPartition: Sendable, Equatable {
    public let width: Int
    public let parts: Int
    /// Elements per tile of the split (1 when the split is by elements).
    public let granularity: Int

    public init(width: Int, parts: Int, granularity: Int = 1) {
        precondition(width >= 1 && parts >= 1 && parts <= width, "need 1 <= parts <= width")
        precondition(granularity >= 1)
        self.width = width
        self.parts = parts
        let tiles = (width + granularity - 1) / granularity
        self.granularity = tiles >= parts ? granularity : 1
    }

    private var units: Int { (width + granularity - 1) / granularity }

    /// First element of block `part`.
    public func start(of part: Int) -> Int {
        min(width, (part * (units / parts) + min(part, units % parts)) * granularity)
    }

    /// Number of elements of block `part`.
    public func count(of part: Int) -> Int {
        (part + 1 < parts ? start(of: part + 1) : width) - start(of: part)
    }

    /// The elements of block `part`.
    public func range(of part: Int) -> Range<Int> {
        start(of: part) ..< start(of: part) + count(of: part)
    }

    /// The block that holds element `index`.
    public func owner(of index: Int) -> Int {
        var low = 0, high = parts - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if start(of: middle) <= index { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
