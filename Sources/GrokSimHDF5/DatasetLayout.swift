/// Validated creation parameters of a dataset: its maximum shape and chunking.
struct DatasetLayout {
    /// The size HDF5 recommends staying under for one chunk; chunks are cached whole.
    static let chunkBudget = 1 << 20

    /// Chunk length of 1-D datasets that grow without bound.
    static let defaultChunkLength = 1024

    /// One entry per dimension, `nil` meaning unlimited.
    let maxShape: [Int?]

    /// The chunk dimensions, or `nil` for contiguous storage.
    let chunk: [Int]?

    init(shape: [Int], maxShape requestedMaxShape: [Int?]?, chunk requestedChunk: [Int]?,
         compression: Int?, elementSize: Int, message: String) throws {
        let rank = shape.count
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error("\(message): shape \(shape) has a negative dimension")
        }
        if let level = compression, !(0...9).contains(level) {
            throw HDF5Error("\(message): compression level \(level) is not in 0...9")
        }
        let maxShape = requestedMaxShape ?? shape
        guard maxShape.count == rank else {
            throw HDF5Error("\(message): maxShape \(Self.format(maxShape)) has \(maxShape.count) "
                + "dimensions but shape \(shape) has \(rank)")
        }
        for (size, limit) in zip(shape, maxShape) {
            if let limit, limit < size {
                throw HDF5Error("\(message): maxShape \(Self.format(maxShape)) is smaller than shape \(shape)")
            }
        }
        self.maxShape = maxShape

        if rank == 0 {
            guard requestedChunk == nil, compression == nil else {
                throw HDF5Error("\(message): a scalar dataset cannot be chunked or compressed")
            }
            self.chunk = nil
            return
        }
        let extendable = zip(shape, maxShape).contains { size, limit in limit != size }
        if let chunk = requestedChunk {
            guard chunk.count == rank else {
                throw HDF5Error("\(message): chunk \(chunk) has \(chunk.count) dimensions but shape \(shape) has \(rank)")
            }
            for (length, limit) in zip(chunk, maxShape) {
                guard length > 0, limit.map({ length <= $0 }) ?? true else {
                    throw HDF5Error("\(message): chunk \(chunk) must be positive and within maxShape "
                        + Self.format(maxShape))
                }
            }
            self.chunk = chunk
        } else if extendable || compression != nil {
            guard maxShape.allSatisfy({ $0 != 0 }) else {
                throw HDF5Error("\(message): a dimension fixed at 0 cannot be chunked")
            }
            self.chunk = Self.defaultChunk(shape: shape, maxShape: maxShape, elementSize: elementSize)
        } else {
            self.chunk = nil
        }
    }

    /// Whole rows (all but the first dimension), as many as fit in ``chunkBudget``.
    static func defaultChunk(shape: [Int], maxShape: [Int?], elementSize: Int) -> [Int] {
        // Inner dimensions span the current width (at least 1), halved while a single row
        // is over budget.
        var inner = zip(shape.dropFirst(), maxShape.dropFirst()).map { size, limit in
            min(max(size, 1), limit ?? Int.max)
        }
        func rowBytes() -> Int { inner.reduce(elementSize, *) }
        while rowBytes() > chunkBudget, let widest = inner.indices.max(by: { inner[$0] < inner[$1] }),
              inner[widest] > 1 {
            inner[widest] = (inner[widest] + 1) / 2
        }
        // Rows: up to the budget, no more than a fixed first dimension allows, and for an
        // unlimited one no more than the current length or 1024, whichever is larger.
        let cap = maxShape[0] ?? max(shape[0], defaultChunkLength)
        let rows = max(1, min(chunkBudget / rowBytes(), cap))
        return [rows] + inner
    }

    /// "[3, unlimited]" style rendering for messages.
    static func format(_ maxShape: [Int?]) -> String {
        "[" + maxShape.map { $0.map(String.init) ?? "unlimited" }.joined(separator: ", ") + "]"
    }
}
