/// Where one rank's parameters sit: each array's local part in the canonical local layout, and its global indices.
///
/// The canonical local layout is the concatenation, array by array, of the rank's rows of a sharded array
/// (row-major) or of the whole replicated array. Global indices number every parameter of the model the same
/// way on every rank count (array by array, row-major), so anything keyed by them (Langevin noise) does not
/// depend on how the width is split.
public struct ShardLayout: Sendable {
    public let arrays: [ParameterArray]
    public let partition: WidthPartition
    public let part: Int
    /// Offset of each array in the canonical local layout.
    public let localOffsets: [Int]
    /// Elements of each array this rank holds.
    public let localCounts: [Int]
    /// Offset of each array in the global numbering.
    public let globalOffsets: [Int]

    public init(arrays: [ParameterArray], partition: WidthPartition, part: Int) {
        self.arrays = arrays
        self.partition = partition
        self.part = part
        var local = 0, global = 0
        var localOffsets: [Int] = [], localCounts: [Int] = [], globalOffsets: [Int] = []
        for array in arrays {
            let count = array.sharded ? partition.count(of: part) * array.rowLength : array.count
            localOffsets.append(local)
            localCounts.append(count)
            globalOffsets.append(global)
            local += count
            global += array.count
        }
        self.localOffsets = localOffsets
        self.localCounts = localCounts
        self.globalOffsets = globalOffsets
    }

    /// Parameters this rank holds.
    public var localCount: Int { localCounts.reduce(0, +) }

    /// Parameters a shard's storage holds for this layout: the segments' total, or the whole storage.
    public static func parameterCount(storageCount: Int, segments: [StorageSegment]?) -> Int {
        segments?.reduce(0) { $0 + $1.count } ?? storageCount
    }

    /// Elements of array `index` that rank `rank` holds (for gathering).
    public func count(ofArray index: Int, onRank rank: Int) -> Int {
        arrays[index].sharded ? partition.count(of: rank) * arrays[index].rowLength : arrays[index].count
    }

    /// The global index of every canonical local position, in order.
    public func globalIndices() -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(localCount)
        for (k, array) in arrays.enumerated() {
            let first = globalOffsets[k] + (array.sharded ? partition.start(of: part) * array.rowLength : 0)
            for i in 0..<localCounts[k] { result.append(UInt64(first + i)) }
        }
        return result
    }

    /// Copies the parameters in storage-ordered `storage` into canonical order (storage may hold more, such as padding).
    public static func canonical<Scalar: BinaryFloatingPoint>(_ storage: UnsafeBufferPointer<Scalar>, segments: [StorageSegment]?) -> [Scalar] {
        guard let segments else { return Array(storage) }
        var result = [Scalar](repeating: 0, count: segments.reduce(0) { $0 + $1.count })
        for segment in segments {
            for i in 0..<segment.count { result[segment.canonicalOffset + i] = storage[segment.storageOffset + i] }
        }
        return result
    }

    /// Writes canonical-ordered `values` into storage order.
    public static func store<Scalar>(_ values: [Scalar], into storage: UnsafeMutableBufferPointer<Scalar>, segments: [StorageSegment]?) {
        guard let segments else {
            precondition(values.count == storage.count)
            _ = storage.update(fromContentsOf: values)
            return
        }
        precondition(values.count == segments.reduce(0) { $0 + $1.count })
        for segment in segments {
            for i in 0..<segment.count { storage[segment.storageOffset + i] = values[segment.canonicalOffset + i] }
        }
    }
}
