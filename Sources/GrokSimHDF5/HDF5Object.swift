import _CHDF5

/// A group or dataset in an open HDF5 file; both can carry attributes.
///
/// Attributes are small named values: strings, integers, doubles and 1-D arrays of
/// integers or doubles. Setting an attribute replaces any attribute of the same name;
/// reading converts between numeric types where HDF5 can (an attribute stored as a double
/// can be read as an `Int`), and reads both fixed- and variable-length strings.
public class HDF5Object {
    /// The absolute path of the object inside its file, as it was opened (e.g. `/metrics/loss`).
    public let path: String

    let id: hid_t
    let state: HDF5FileState

    init(id: hid_t, path: String, state: HDF5FileState) {
        self.id = id
        self.path = path
        self.state = state
        state.register(id)
    }

    deinit {
        state.release(id)
    }

    /// The last component of ``path`` (`/` for the root group).
    public var name: String {
        path.split(separator: "/").last.map(String.init) ?? "/"
    }

    /// The path of the file containing the object, as it was opened.
    public var filePath: String { state.path }

    /// Whether the object can still be used (its file has not been closed).
    public var isOpen: Bool { state.isOpen }

    /// Returns the object identifier, or throws if its file has been closed.
    func requireOpen(_ message: @autoclosure () -> String) throws -> hid_t {
        _ = try state.requireOpen(message())
        return id
    }

    /// The absolute path of `relative` seen from this object.
    func childPath(_ relative: String) -> String {
        if relative.hasPrefix("/") { return relative }
        return path.hasSuffix("/") ? path + relative : path + "/" + relative
    }

    /// "`what` '`path`' in '`file`'", the common shape of error messages.
    func describe(_ what: String, _ objectPath: String? = nil) -> String {
        "\(what) '\(objectPath ?? path)' in '\(state.path)'"
    }

    // MARK: - Attribute queries

    /// The names of the object's attributes, sorted.
    public func attributeNames() throws -> [String] {
        let message = describe("cannot list attributes of")
        let id = try requireOpen(message)
        var names: [String] = []
        try withUnsafeMutablePointer(to: &names) { pointer in
            _ = try HDF5Library.check(H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, context in
                if let name, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                }
                return 0
            }, pointer), message)
        }
        return names.sorted()
    }

    /// Whether the object has an attribute called `name`.
    public func hasAttribute(_ name: String) throws -> Bool {
        let message = describe("cannot look up attribute '\(name)' on")
        let id = try requireOpen(message)
        return try HDF5Library.check(H5Aexists(id, name), message) > 0
    }

    /// Removes the attribute called `name`; it must exist.
    public func deleteAttribute(_ name: String) throws {
        let message = describe("cannot delete attribute '\(name)' of")
        let id = try requireOpen(message)
        guard try hasAttribute(name) else { throw HDF5Error("\(message): no such attribute") }
        try HDF5Library.check(H5Adelete(id, name), message)
    }

    // MARK: - Writing attributes

    /// Sets a string attribute.
    ///
    /// By default the string is stored as fixed-length, null-terminated UTF-8, which every
    /// HDF5 tool reads; h5py returns such values as `bytes`. Pass `variableLength: true` to
    /// store a variable-length UTF-8 string instead, which h5py returns as `str`.
    public func setAttribute(_ name: String, _ value: String, variableLength: Bool = false) throws {
        let message = describe("cannot write attribute '\(name)' on")
        _ = try requireOpen(message)
        guard !value.utf8.contains(0) else {
            throw HDF5Error("\(message): the string contains a NUL character")
        }
        let type = try HDF5Library.check(H5Tcopy(groksim_h5t_c_s1()), message)
        defer { closeID(type) }
        let isASCII = value.utf8.allSatisfy { $0 < 0x80 }
        try HDF5Library.check(H5Tset_cset(type, isASCII ? H5T_CSET_ASCII : H5T_CSET_UTF8), message)
        if variableLength {
            try HDF5Library.check(H5Tset_size(type, groksim_h5t_variable()), message)
        } else {
            // The size counts the terminating NUL, as NULLTERM requires.
            try HDF5Library.check(H5Tset_size(type, value.utf8.count + 1), message)
            try HDF5Library.check(H5Tset_strpad(type, H5T_STR_NULLTERM), message)
        }
        try writeAttribute(name, fileType: type, count: nil, message: message) { attribute in
            value.withCString { cString in
                if variableLength {
                    var pointer: UnsafePointer<CChar>? = cString
                    return H5Awrite(attribute, type, &pointer)
                }
                return H5Awrite(attribute, type, cString)
            }
        }
    }

    /// Sets an integer attribute, stored as a 64-bit signed integer.
    public func setAttribute(_ name: String, _ value: Int) throws {
        try setAttribute(name, Int64(value))
    }

    /// Sets a 64-bit integer attribute.
    public func setAttribute(_ name: String, _ value: Int64) throws {
        try setNumericAttribute(name, [value], scalar: true)
    }

    /// Sets a double-precision attribute.
    public func setAttribute(_ name: String, _ value: Double) throws {
        try setNumericAttribute(name, [value], scalar: true)
    }

    /// Sets a 1-D integer array attribute, stored as 64-bit signed integers.
    public func setAttribute(_ name: String, _ values: [Int]) throws {
        try setNumericAttribute(name, values.map { Int64($0) }, scalar: false)
    }

    /// Sets a 1-D array attribute of 64-bit integers.
    public func setAttribute(_ name: String, _ values: [Int64]) throws {
        try setNumericAttribute(name, values, scalar: false)
    }

    /// Sets a 1-D array attribute of doubles.
    public func setAttribute(_ name: String, _ values: [Double]) throws {
        try setNumericAttribute(name, values, scalar: false)
    }

    private func setNumericAttribute<T: HDF5Scalar>(_ name: String, _ values: [T], scalar: Bool) throws {
        let message = describe("cannot write attribute '\(name)' on")
        _ = try requireOpen(message)
        let memoryType = try T.checkedNativeType(message)
        try writeAttribute(name, fileType: T.hdf5ScalarType.fileTypeID,
                           count: scalar ? nil : values.count, message: message) { attribute in
            // HDF5 rejects a null buffer even for an empty selection.
            values.isEmpty ? 0 : values.withUnsafeBufferPointer {
                H5Awrite(attribute, memoryType, $0.baseAddress)
            }
        }
    }

    /// Replaces attribute `name` with a new one and fills it with `write`.
    ///
    /// - Parameter count: The number of elements of a 1-D attribute, or `nil` for a scalar.
    private func writeAttribute(_ name: String, fileType: hid_t, count: Int?, message: String,
                                write: (hid_t) -> herr_t) throws {
        let id = try requireOpen(message)
        if try HDF5Library.check(H5Aexists(id, name), message) > 0 {
            try HDF5Library.check(H5Adelete(id, name), message)
        }
        let space: hid_t
        if let count {
            var dims = [hsize_t(count)]
            space = try HDF5Library.check(H5Screate_simple(1, &dims, nil), message)
        } else {
            space = try HDF5Library.check(H5Screate(H5S_SCALAR), message)
        }
        defer { closeID(space) }
        let attribute = try HDF5Library.check(
            H5Acreate2(id, name, fileType, space, groksim_h5p_default(), groksim_h5p_default()), message)
        defer { closeID(attribute) }
        if write(attribute) < 0 {
            let error = HDF5Library.fail(message)
            // Do not leave a half-written attribute behind.
            _ = H5Adelete(id, name)
            throw error
        }
    }

    // MARK: - Reading attributes

    /// Reads a string attribute, stored with fixed or variable length.
    public func attribute(_ name: String, as type: String.Type) throws -> String {
        try readAttribute(name, as: "a string") { attribute, fileType, space, message in
            guard H5Tget_class(fileType) == H5T_STRING else {
                throw HDF5Error("\(message): it holds \(typeDescription(fileType)), not a string")
            }
            try requireSingleElement(space, message)
            if try HDF5Library.check(H5Tis_variable_str(fileType), message) > 0 {
                let memoryType = try HDF5Library.check(H5Tcopy(groksim_h5t_c_s1()), message)
                defer { closeID(memoryType) }
                try HDF5Library.check(H5Tset_size(memoryType, groksim_h5t_variable()), message)
                try HDF5Library.check(H5Tset_cset(memoryType, H5Tget_cset(fileType)), message)
                var pointer: UnsafeMutablePointer<CChar>? = nil
                try HDF5Library.check(H5Aread(attribute, memoryType, &pointer), message)
                // The library allocated the characters; hand them back to it.
                defer { _ = H5Dvlen_reclaim(memoryType, space, groksim_h5p_default(), &pointer) }
                return pointer.map { String(cString: $0) } ?? ""
            }
            // Fixed length: read the raw bytes with the stored type, then strip the padding.
            let size = H5Tget_size(fileType)
            var bytes = [UInt8](repeating: 0, count: max(size, 1))
            try HDF5Library.check(H5Aread(attribute, fileType, &bytes), message)
            if H5Tget_strpad(fileType) == H5T_STR_SPACEPAD {
                while bytes.last == 0x20 || bytes.last == 0 { bytes.removeLast() }
            } else if let end = bytes.firstIndex(of: 0) {
                bytes.removeSubrange(end...)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Reads an integer attribute; a floating-point value is converted by HDF5.
    public func attribute(_ name: String, as type: Int.Type) throws -> Int {
        let value = try attribute(name, as: Int64.self)
        guard let result = Int(exactly: value) else {
            throw HDF5Error(describe("cannot read attribute '\(name)' of") + ": \(value) does not fit in Int")
        }
        return result
    }

    /// Reads a 64-bit integer attribute; a floating-point value is converted by HDF5.
    public func attribute(_ name: String, as type: Int64.Type) throws -> Int64 {
        try readScalarAttribute(name)
    }

    /// Reads a double attribute; an integer value is converted by HDF5.
    public func attribute(_ name: String, as type: Double.Type) throws -> Double {
        try readScalarAttribute(name)
    }

    /// Reads a numeric attribute as an array of `Int` (a scalar gives one element).
    public func attribute(_ name: String, as type: [Int].Type) throws -> [Int] {
        let values = try attribute(name, as: [Int64].self)
        return try values.map { value in
            guard let result = Int(exactly: value) else {
                throw HDF5Error(describe("cannot read attribute '\(name)' of") + ": \(value) does not fit in Int")
            }
            return result
        }
    }

    /// Reads a numeric attribute as an array of 64-bit integers (a scalar gives one element).
    public func attribute(_ name: String, as type: [Int64].Type) throws -> [Int64] {
        try readNumericAttribute(name)
    }

    /// Reads a numeric attribute as an array of doubles (a scalar gives one element).
    public func attribute(_ name: String, as type: [Double].Type) throws -> [Double] {
        try readNumericAttribute(name)
    }

    private func readScalarAttribute<T: HDF5Scalar>(_ name: String) throws -> T {
        try readAttribute(name, as: "\(T.self)") { attribute, fileType, space, message in
            try requireSingleElement(space, message)
            return try readNumbers(attribute, fileType, count: 1, message)[0]
        }
    }

    private func readNumericAttribute<T: HDF5Scalar>(_ name: String) throws -> [T] {
        try readAttribute(name, as: "[\(T.self)]") { attribute, fileType, space, message in
            let count = try HDF5Library.check(H5Sget_simple_extent_npoints(space), message)
            return try readNumbers(attribute, fileType, count: Int(count), message)
        }
    }

    private func readNumbers<T: HDF5Scalar>(_ attribute: hid_t, _ fileType: hid_t, count: Int,
                                            _ message: String) throws -> [T] {
        let typeClass = H5Tget_class(fileType)
        guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT else {
            throw HDF5Error("\(message): it holds \(typeDescription(fileType)), not numbers")
        }
        let memoryType = try T.checkedNativeType(message)
        guard count > 0 else { return [] }
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try HDF5Library.check(H5Aread(attribute, memoryType, buffer.baseAddress), message)
            initialized = count
        }
    }

    /// Opens attribute `name` and passes it, its type and its dataspace to `body`.
    private func readAttribute<R>(_ name: String, as what: String,
                                  _ body: (hid_t, hid_t, hid_t, String) throws -> R) throws -> R {
        let message = describe("cannot read attribute '\(name)' as \(what) from")
        let id = try requireOpen(message)
        guard try HDF5Library.check(H5Aexists(id, name), message) > 0 else {
            throw HDF5Error("\(message): no such attribute")
        }
        let attribute = try HDF5Library.check(H5Aopen(id, name, groksim_h5p_default()), message)
        defer { closeID(attribute) }
        let fileType = try HDF5Library.check(H5Aget_type(attribute), message)
        defer { closeID(fileType) }
        let space = try HDF5Library.check(H5Aget_space(attribute), message)
        defer { closeID(space) }
        return try body(attribute, fileType, space, message)
    }

    private func requireSingleElement(_ space: hid_t, _ message: String) throws {
        let count = try HDF5Library.check(H5Sget_simple_extent_npoints(space), message)
        guard count == 1 else { throw HDF5Error("\(message): it has \(count) elements, expected 1") }
    }
}

/// A short human description of an HDF5 datatype for error messages ("strings", "int32", ...).
func typeDescription(_ type: hid_t) -> String {
    if let scalar = HDF5ScalarType(storedType: type) { return scalar.description }
    let size = H5Tget_size(type)
    switch H5Tget_class(type) {
    case H5T_INTEGER: return "\(size * 8)-bit integers"
    case H5T_FLOAT: return "\(size * 8)-bit floats"
    case H5T_STRING: return "strings"
    case H5T_COMPOUND: return "compound values"
    case H5T_ENUM: return "enum values"
    case H5T_ARRAY: return "array values"
    case H5T_VLEN: return "variable-length sequences"
    case H5T_OPAQUE: return "opaque values"
    case H5T_REFERENCE: return "references"
    case H5T_BITFIELD: return "bitfields"
    default: return "values of an unknown type"
    }
}
