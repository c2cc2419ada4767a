/// Contiguous blocks of a width dimension (the m hidden neurons) split over ranks.
///
/// The first `width % parts` blocks get one extra element, so any number of parts from 1 to `width` works.
public struct WidthPartition: Sendable, Equatable {
    public let width: Int
    public let parts: Int

    public init(width: Int, parts: Int) {
        precondition(width >= 1 && parts >= 1 && parts <= width, "need 1 <= parts <= width")
        self.width = width
        self.parts = parts
    }

    /// Number of elements of block `part`.
    public func count(of part: Int) -> Int {
        width / parts + (part < width % parts ? 1 : 0)
    }

    /// First element of block `part`.
    public func start(of part: Int) -> Int {
        part * (width / parts) + min(part, width % parts)
    }

    /// The elements of block `part`.
    public func range(of part: Int) -> Range<Int> {
        let lower = start(of: part)
        return lower ..< lower + count(of: part)
    }

    /// The block that holds element `index`.
    public func owner(of index: Int) -> Int {
        let big = width / parts + 1
        let bigBlocks = width % parts
        if index < bigBlocks * big { return index / big }
        return bigBlocks + (index - bigBlocks * big) / (width / parts)
    }
}
