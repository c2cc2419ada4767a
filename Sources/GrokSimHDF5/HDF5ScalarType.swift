import _CHDF5

/// The numeric element types this module reads and writes.
public enum HDF5ScalarType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case float64
    case float32
    case int64
    case int32
    case int8
    case uint8

    /// The size of one element in bytes.
    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .int8, .uint8: 1
        }
    }

    /// Whether elements are IEEE floating-point numbers.
    public var isFloatingPoint: Bool { self == .float64 || self == .float32 }

    public var description: String {
        switch self {
        case .float64: "float64"
        case .float32: "float32"
        case .int64: "int64"
        case .int32: "int32"
        case .int8: "int8"
        case .uint8: "uint8"
        }
    }

    /// The type describing elements in memory; HDF5 converts between it and the stored type.
    var nativeTypeID: hid_t {
        HDF5Library.prepare()
        switch self {
        case .float64: return groksim_h5t_native_double()
        case .float32: return groksim_h5t_native_float()
        case .int64: return groksim_h5t_native_int64()
        case .int32: return DerivedTypes.nativeInt32
        case .int8: return groksim_h5t_native_int8()
        case .uint8: return DerivedTypes.nativeUInt8
        }
    }

    /// The type written to files: fixed little-endian layouts, whatever the host.
    var fileTypeID: hid_t {
        HDF5Library.prepare()
        switch self {
        case .float64: return groksim_h5t_ieee_f64le()
        case .float32: return groksim_h5t_ieee_f32le()
        case .int64: return groksim_h5t_std_i64le()
        case .int32: return DerivedTypes.littleEndianInt32
        case .int8: return groksim_h5t_std_i8le()
        case .uint8: return DerivedTypes.littleEndianUInt8
        }
    }

    /// The scalar type matching a stored HDF5 type exactly, or `nil` if there is none.
    init?(storedType type: hid_t) {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            switch size {
            case 8: self = .float64
            case 4: self = .float32
            default: return nil
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (size, signed) {
            case (8, true): self = .int64
            case (4, true): self = .int32
            case (1, true): self = .int8
            case (1, false): self = .uint8
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// Integer types the shim has no getter for, derived once from ones it has.
///
/// The library's own `H5T_NATIVE_INT32_g` and friends are mutable C globals, which Swift 6
/// refuses to read; copies of the 64- and 8-bit types resized or made unsigned are
/// equivalent. They are locked, so they cannot be closed or changed, and live for the process.
private enum DerivedTypes {
    static let nativeInt32 = derive(from: groksim_h5t_native_int64(), size: 4)
    static let littleEndianInt32 = derive(from: groksim_h5t_std_i64le(), size: 4)
    static let nativeUInt8 = derive(from: groksim_h5t_native_int8(), unsigned: true)
    static let littleEndianUInt8 = derive(from: groksim_h5t_std_i8le(), unsigned: true)

    private static func derive(from base: hid_t, size: Int? = nil, unsigned: Bool = false) -> hid_t {
        HDF5Library.prepare()
        let type = H5Tcopy(base)
        guard type >= 0 else { return type }
        // Shrinking an integer type also shrinks its precision to the new size.
        if let size { _ = H5Tset_size(type, size) }
        if unsigned { _ = H5Tset_sign(type, H5T_SGN_NONE) }
        _ = H5Tlock(type)
        return type
    }
}
