import _CHDF5

/// The open file identifier shared by an ``HDF5File`` and every object opened from it.
///
/// Objects keep this alive, so a file stays open while any of its groups or datasets is
/// still referenced; ``close()`` ends it early for everyone. It also remembers the objects
/// opened through it, including those reached over external links (which live in another
/// file), and closes them before the file, so that closing really releases the file.
///
/// Files use the default ("weak") close degree. H5F_CLOSE_STRONG would make HDF5 do the
/// object closing itself, but in HDF5 1.10 an external link into a file that is already
/// open with a non-default degree fails to resolve, so the bookkeeping is done here.
final class HDF5FileState {
    /// The path the file was opened with, as given by the caller; used in messages.
    let path: String

    /// The HDF5 file identifier, or -1 once closed.
    private(set) var id: hid_t

    /// Identifiers of open groups and datasets that belong to this file's objects.
    private var objectIDs: Set<hid_t> = []

    init(id: hid_t, path: String) {
        self.id = id
        self.path = path
    }

    deinit {
        try? close()
    }

    var isOpen: Bool { id >= 0 }

    /// Returns the file identifier, or throws if the file has been closed.
    func requireOpen(_ message: @autoclosure () -> String) throws -> hid_t {
        HDF5Library.prepare()
        guard id >= 0 else { throw HDF5Error("\(message()): file '\(path)' is closed") }
        return id
    }

    /// Records an object identifier so that ``close()`` can close it.
    func register(_ objectID: hid_t) {
        objectIDs.insert(objectID)
    }

    /// Closes an object identifier unless the file already closed it.
    func release(_ objectID: hid_t) {
        HDF5Library.prepare()
        if objectIDs.remove(objectID) != nil {
            _ = H5Oclose(objectID)
        }
    }

    /// Closes every registered object and then the file. Calling it again does nothing.
    func close() throws {
        guard id >= 0 else { return }
        HDF5Library.prepare()
        for objectID in objectIDs where H5Iis_valid(objectID) > 0 {
            _ = H5Oclose(objectID)
        }
        objectIDs.removeAll()
        closeStrays()
        let fileID = id
        id = -1
        try HDF5Library.check(H5Fclose(fileID), "cannot close '\(path)'")
    }

    /// Closes objects still open in the file that were not registered (there should be
    /// none), so that H5Fclose really closes the file rather than deferring it.
    private func closeStrays() {
        let kinds = UInt32(H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL)
        let count = H5Fget_obj_count(id, kinds)
        guard count > 0 else { return }
        var strays = [hid_t](repeating: -1, count: count)
        let found = H5Fget_obj_ids(id, kinds, count, &strays)
        for stray in strays.prefix(max(found, 0)) {
            closeID(stray)
        }
    }
}
