import Foundation
import _CHDF5

/// An open HDF5 file.
///
/// A file stays open while this object or any group or dataset opened from it is alive,
/// or until ``close()`` is called, which closes every object opened from it as well:
///
/// ```swift
/// let file = try HDF5File.create(path: "run.h5", overwrite: true)
/// let steps = try file.root.createDataset("step", of: Int64.self, shape: [0], maxShape: [nil])
/// try steps.append([1, 2, 3])
/// try file.close()
/// ```
///
/// A file and its objects are not `Sendable`: use them from one thread or actor at a time.
public final class HDF5File {
    /// The path the file was opened with.
    public let path: String

    /// Whether the file was opened for writing.
    public let isWritable: Bool

    /// The root group, `/`.
    public let root: HDF5Group

    let state: HDF5FileState

    private init(id: hid_t, path: String, isWritable: Bool) throws {
        let state = HDF5FileState(id: id, path: path)
        self.state = state
        self.path = path
        self.isWritable = isWritable
        let rootID = try HDF5Library.check(H5Gopen2(id, "/", groksim_h5p_default()),
                                           "cannot open the root group of '\(path)'")
        self.root = HDF5Group(id: rootID, path: "/", state: state)
    }

    /// Creates a new HDF5 file, opened for writing.
    ///
    /// - Parameters:
    ///   - path: Where to create the file.
    ///   - overwrite: Whether an existing file at `path` is replaced; if `false` and the
    ///     file exists, creation fails and the existing file is left untouched.
    public static func create(path: String, overwrite: Bool = false) throws -> HDF5File {
        HDF5Library.prepare()
        let message = "cannot create HDF5 file '\(path)'"
        // H5F_ACC_EXCL guards against the race; this check only gives a clearer message.
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw HDF5Error("\(message): file already exists (pass overwrite: true to replace it)")
        }
        let flags = overwrite ? groksim_h5f_acc_trunc() : groksim_h5f_acc_excl()
        // Default access properties on purpose (see HDF5FileState): a file opened with a
        // non-default close degree cannot be reached through an external link while open.
        let id = try HDF5Library.check(
            H5Fcreate(path, flags, groksim_h5p_default(), groksim_h5p_default()), message)
        return try HDF5File(id: id, path: path, isWritable: true)
    }

    /// Opens an existing HDF5 file.
    ///
    /// Missing files, files that are not HDF5 and HDF5 files that cannot be opened
    /// (typically corrupt or truncated) fail with distinct messages.
    public static func open(path: String, writable: Bool = false) throws -> HDF5File {
        HDF5Library.prepare()
        let message = "cannot open '\(path)'"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error("\(message): no such file")
        }
        guard !isDirectory.boolValue else { throw HDF5Error("\(message): is a directory") }
        switch H5Fis_hdf5(path) {
        case ..<0:
            throw HDF5Library.fail("\(message): the file cannot be read")
        case 0:
            throw HDF5Error("\(message): not an HDF5 file")
        default:
            break
        }
        let flags = writable ? groksim_h5f_acc_rdwr() : groksim_h5f_acc_rdonly()
        let id = H5Fopen(path, flags, groksim_h5p_default())
        guard id >= 0 else {
            throw HDF5Library.fail("\(message): HDF5 file could not be opened (corrupt or truncated?)")
        }
        return try HDF5File(id: id, path: path, isWritable: writable)
    }

    /// Whether the file is still open.
    public var isOpen: Bool { state.isOpen }

    /// Writes all buffered data and metadata to disk.
    public func flush() throws {
        let id = try state.requireOpen("cannot flush '\(path)'")
        try HDF5Library.check(H5Fflush(id, H5F_SCOPE_GLOBAL), "cannot flush '\(path)'")
    }

    /// Closes the file and every group and dataset opened from it.
    ///
    /// Afterwards the file can be reopened, renamed or deleted at once; using an object
    /// opened from it throws. Closing an already closed file does nothing.
    public func close() throws {
        try state.close()
    }
}
