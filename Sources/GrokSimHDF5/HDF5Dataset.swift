import _CHDF5

/// A dataset: an n-dimensional array of numbers stored in a file.
///
/// Reads and writes take any ``HDF5Scalar`` type and HDF5 converts between it and the
/// stored type (a `Float` array can be written to a float64 dataset). Row operations work on
/// the first dimension: a "row" is everything else, so a row of a 1-D dataset is one element.
/// Sizes are checked before any data moves; a mismatch throws.
public final class HDF5Dataset: HDF5Object {
    // MARK: - Shape and type

    /// The current dimensions (empty for a scalar dataset).
    public var shape: [Int] {
        get throws {
            let message = describe("cannot read the shape of dataset")
            let id = try requireOpen(message)
            return try Self.dimensions(of: id, message).current
        }
    }

    /// The largest dimensions the dataset can be resized to; `nil` entries are unlimited.
    public var maxShape: [Int?] {
        get throws {
            let message = describe("cannot read the shape of dataset")
            let id = try requireOpen(message)
            return try Self.dimensions(of: id, message).maximum
        }
    }

    /// The chunk dimensions, or `nil` if the dataset is stored contiguously.
    public var chunk: [Int]? {
        get throws {
            let message = describe("cannot read the layout of dataset")
            let id = try requireOpen(message)
            let dcpl = try HDF5Library.check(H5Dget_create_plist(id), message)
            defer { closeID(dcpl) }
            guard H5Pget_layout(dcpl) == H5D_CHUNKED else { return nil }
            var dims = [hsize_t](repeating: 0, count: 32)
            let rank = try HDF5Library.check(H5Pget_chunk(dcpl, 32, &dims), message)
            return dims.prefix(Int(rank)).map { Int($0) }
        }
    }

    /// The number of elements, the product of ``shape``.
    public var count: Int {
        get throws { try shape.reduce(1, *) }
    }

    /// The stored element type, or `nil` if it is not one of the ``HDF5ScalarType`` cases
    /// (strings, compounds, 16-bit integers, ...).
    public var elementType: HDF5ScalarType? {
        get throws { try withStoredType { HDF5ScalarType(storedType: $0) } }
    }

    /// Whether the stored elements are floating-point numbers of any size.
    public var isFloatingPoint: Bool {
        get throws { try withStoredType { H5Tget_class($0) == H5T_FLOAT } }
    }

    /// Whether the stored elements are integers of any size.
    public var isInteger: Bool {
        get throws { try withStoredType { H5Tget_class($0) == H5T_INTEGER } }
    }

    /// The size of one stored element in bytes.
    public var elementSize: Int {
        get throws { try withStoredType { H5Tget_size($0) } }
    }

    /// A short description of the stored element type for messages, e.g. `float32` or `strings`.
    public var elementTypeDescription: String {
        get throws { try withStoredType { typeDescription($0) } }
    }

    /// Changes the dimensions, within ``maxShape``; the dataset must be chunked to grow.
    ///
    /// New elements read as zero; elements outside a smaller shape are discarded.
    public func resize(to newShape: [Int]) throws {
        let message = describe("cannot resize dataset") + " to \(newShape)"
        let id = try requireOpen(message)
        let (current, maximum) = try Self.dimensions(of: id, message)
        guard newShape.count == current.count, !current.isEmpty else {
            throw HDF5Error("\(message): the dataset has shape \(current)")
        }
        for (size, limit) in zip(newShape, maximum) {
            guard size >= 0, limit.map({ size <= $0 }) ?? true else {
                throw HDF5Error("\(message): it can grow to at most \(DatasetLayout.format(maximum))")
            }
        }
        var dims = newShape.map { hsize_t($0) }
        try HDF5Library.check(H5Dset_extent(id, &dims), message)
    }

    // MARK: - Writing

    /// Writes the whole dataset from `buffer`, in row-major order.
    public func write<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>) throws {
        let message = describe("cannot write dataset")
        let id = try requireOpen(message)
        let memoryType = try T.checkedNativeType(message)
        let expected = try Self.dimensions(of: id, message).current.reduce(1, *)
        guard buffer.count == expected else {
            throw HDF5Error("\(message): got \(buffer.count) values for \(expected) elements")
        }
        guard expected > 0 else { return }  // HDF5 rejects a null buffer even when nothing moves.
        try HDF5Library.check(H5Dwrite(id, memoryType, groksim_h5s_all(), groksim_h5s_all(),
                                       groksim_h5p_default(), buffer.baseAddress), message)
    }

    /// Writes the whole dataset from `values`, in row-major order.
    public func write<T: HDF5Scalar>(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try write($0) }
    }

    /// Writes `rowCount` rows starting at row `rowOffset` from `buffer`.
    ///
    /// `buffer` must hold exactly `rowCount` rows (`rowCount` times the product of all but
    /// the first dimension) and the rows must lie within the current shape.
    public func writeRows<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>, rowOffset: Int, rowCount: Int) throws {
        let message = describe("cannot write rows \(rowOffset)..<\(rowOffset + rowCount) of dataset")
        let id = try requireOpen(message)
        let memoryType = try T.checkedNativeType(message)
        let selection = try RowSelection(id, offset: rowOffset, count: rowCount, message: message)
        defer { selection.close() }
        guard buffer.count == selection.elementCount else {
            throw HDF5Error("\(message): got \(buffer.count) values for \(selection.elementCount) elements")
        }
        guard selection.elementCount > 0 else { return }
        try HDF5Library.check(H5Dwrite(id, memoryType, selection.memorySpace, selection.fileSpace,
                                       groksim_h5p_default(), buffer.baseAddress), message)
    }

    /// Writes `rowCount` rows starting at row `rowOffset` from `values`.
    public func writeRows<T: HDF5Scalar>(_ values: [T], rowOffset: Int, rowCount: Int) throws {
        try values.withUnsafeBufferPointer { try writeRows($0, rowOffset: rowOffset, rowCount: rowCount) }
    }

    /// Grows the first dimension by as many rows as `values` holds and writes them there.
    ///
    /// `values.count` must be a multiple of the row size (for a 1-D dataset, any count).
    /// The first dimension must be extendable. If the write fails, the dataset is shrunk
    /// back to its previous length.
    public func append<T: HDF5Scalar>(_ values: [T]) throws {
        let message = describe("cannot append to dataset")
        let id = try requireOpen(message)
        _ = try T.checkedNativeType(message)
        let (current, maximum) = try Self.dimensions(of: id, message)
        guard let length = current.first else {
            throw HDF5Error("\(message): a scalar dataset cannot grow")
        }
        let rowSize = current.dropFirst().reduce(1, *)
        guard rowSize > 0 ? values.count % rowSize == 0 : values.isEmpty else {
            throw HDF5Error("\(message): \(values.count) values are not whole rows of \(rowSize)")
        }
        guard !values.isEmpty else { return }
        let rows = values.count / rowSize
        if let limit = maximum[0], length + rows > limit {
            throw HDF5Error("\(message): \(length) + \(rows) rows exceed the maximum length \(limit)")
        }
        try resize(to: [length + rows] + current.dropFirst())
        do {
            try writeRows(values, rowOffset: length, rowCount: rows)
        } catch {
            try? resize(to: current)
            throw error
        }
    }

    // MARK: - Reading

    /// Reads the whole dataset, in row-major order.
    public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        let message = describe("cannot read dataset") + " as \(T.self)"
        let id = try requireOpen(message)
        let count = try Self.dimensions(of: id, message).current.reduce(1, *)
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try read(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
            initialized = count
        }
    }

    /// Reads the whole dataset into `buffer`, which must have exactly one slot per element.
    public func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>) throws {
        let message = describe("cannot read dataset") + " as \(T.self)"
        let id = try requireOpen(message)
        let memoryType = try checkedReadType(T.self, message)
        let expected = try Self.dimensions(of: id, message).current.reduce(1, *)
        guard buffer.count == expected else {
            throw HDF5Error("\(message): buffer has \(buffer.count) slots for \(expected) elements")
        }
        guard expected > 0 else { return }
        try HDF5Library.check(H5Dread(id, memoryType, groksim_h5s_all(), groksim_h5s_all(),
                                      groksim_h5p_default(), buffer.baseAddress), message)
    }

    /// Reads `count` rows starting at row `offset`, in row-major order.
    public func readRows<T: HDF5Scalar>(offset: Int, count: Int, as type: T.Type = T.self) throws -> [T] {
        let message = describe("cannot read rows \(offset)..<\(offset + count) of dataset") + " as \(T.self)"
        let id = try requireOpen(message)
        let memoryType = try checkedReadType(T.self, message)
        let selection = try RowSelection(id, offset: offset, count: count, message: message)
        defer { selection.close() }
        let elements = selection.elementCount
        return try [T](unsafeUninitializedCapacity: elements) { buffer, initialized in
            if elements > 0 {
                try HDF5Library.check(H5Dread(id, memoryType, selection.memorySpace, selection.fileSpace,
                                              groksim_h5p_default(), buffer.baseAddress), message)
            }
            initialized = elements
        }
    }

    // MARK: - Helpers

    /// The memory type for reading `T`, after checking the stored type is numeric at all.
    private func checkedReadType<T: HDF5Scalar>(_: T.Type, _ message: String) throws -> hid_t {
        let numeric = try withStoredType { type in
            let typeClass = H5Tget_class(type)
            return typeClass == H5T_INTEGER || typeClass == H5T_FLOAT ? nil : typeDescription(type)
        }
        if let stored = numeric { throw HDF5Error("\(message): it holds \(stored), not numbers") }
        return try T.checkedNativeType(message)
    }

    /// Calls `body` with the dataset's stored datatype.
    private func withStoredType<R>(_ body: (hid_t) throws -> R) throws -> R {
        let message = describe("cannot read the element type of dataset")
        let id = try requireOpen(message)
        let type = try HDF5Library.check(H5Dget_type(id), message)
        defer { closeID(type) }
        return try body(type)
    }

    /// The current and maximum dimensions of dataset `id`.
    static func dimensions(of id: hid_t, _ message: String) throws -> (current: [Int], maximum: [Int?]) {
        let space = try HDF5Library.check(H5Dget_space(id), message)
        defer { closeID(space) }
        let rank = Int(try HDF5Library.check(H5Sget_simple_extent_ndims(space), message))
        var current = [hsize_t](repeating: 0, count: rank)
        var maximum = [hsize_t](repeating: 0, count: rank)
        if rank > 0 {
            try HDF5Library.check(H5Sget_simple_extent_dims(space, &current, &maximum), message)
        }
        return (current.map { Int($0) },
                maximum.map { $0 == groksim_h5s_unlimited() ? nil : Int($0) })
    }
}

/// File and memory dataspaces selecting whole rows of a dataset.
private struct RowSelection {
    let fileSpace: hid_t
    let memorySpace: hid_t
    let elementCount: Int

    init(_ dataset: hid_t, offset: Int, count: Int, message: String) throws {
        let (shape, _) = try HDF5Dataset.dimensions(of: dataset, message)
        guard let length = shape.first else {
            throw HDF5Error("\(message): a scalar dataset has no rows")
        }
        guard offset >= 0, count >= 0, offset <= length, count <= length - offset else {
            throw HDF5Error("\(message): the dataset has \(length) rows")
        }
        elementCount = count * shape.dropFirst().reduce(1, *)
        fileSpace = try HDF5Library.check(H5Dget_space(dataset), message)
        var start = [hsize_t(offset)] + shape.dropFirst().map { _ in hsize_t(0) }
        var counts = [hsize_t(count)] + shape.dropFirst().map { hsize_t($0) }
        var memoryDims = [hsize_t(elementCount)]
        let memory = H5Screate_simple(1, &memoryDims, nil)
        guard memory >= 0,
              H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &counts, nil) >= 0 else {
            let error = HDF5Library.fail(message)
            closeID(memory)
            closeID(fileSpace)
            throw error
        }
        memorySpace = memory
    }

    func close() {
        closeID(memorySpace)
        closeID(fileSpace)
    }
}
