import _CHDF5

/// A Swift number type that can be stored in HDF5 datasets.
///
/// Conforming types are plain bit patterns whose layout matches ``hdf5ScalarType``;
/// reads and writes check the size at run time, so a wrong conformance throws instead of
/// corrupting memory.
public protocol HDF5Scalar: BitwiseCopyable, Sendable {
    /// The HDF5 element type with this type's memory layout.
    static var hdf5ScalarType: HDF5ScalarType { get }
}

extension Double: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .float64 }
}

extension Float: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .float32 }
}

extension Int64: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .int64 }
}

extension Int32: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .int32 }
}

extension Int8: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .int8 }
}

extension UInt8: HDF5Scalar {
    public static var hdf5ScalarType: HDF5ScalarType { .uint8 }
}

extension HDF5Scalar {
    /// The native memory type, after checking that the conformance's layout is right.
    static func checkedNativeType(_ message: @autoclosure () -> String) throws -> hid_t {
        guard MemoryLayout<Self>.size == hdf5ScalarType.size else {
            throw HDF5Error("\(message()): \(Self.self) is \(MemoryLayout<Self>.size) bytes "
                + "but declares HDF5 type \(hdf5ScalarType) (\(hdf5ScalarType.size) bytes)")
        }
        return hdf5ScalarType.nativeTypeID
    }
}
