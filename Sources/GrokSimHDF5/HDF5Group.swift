import _CHDF5

/// A group: a container of named links to datasets and other groups.
///
/// Paths given to a group are relative to it (`"checkpoints/step_10/W"`) or absolute
/// (`"/metrics/loss"`). Creating a group or dataset also creates missing intermediate groups.
public final class HDF5Group: HDF5Object {
    // MARK: - Members

    /// Whether an object exists at `path`, following soft and external links.
    ///
    /// Every component is checked in turn, so a missing intermediate group, a component
    /// that is a dataset or a dangling link simply gives `false`.
    public func exists(_ path: String) throws -> Bool {
        let message = describe("cannot look up '\(path)' from group")
        let id = try requireOpen(message)
        let components = path.split(separator: "/")
        if components.isEmpty { return path.hasPrefix("/") }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for (index, component) in components.enumerated() {
            prefix += (index == 0 ? "" : "/") + component
            if component == "." { continue }
            // A negative result (e.g. a component that is not a group) also means "no".
            guard H5Lexists(id, prefix, HDF5Library.readOnlyLinkAccess) > 0 else { return false }
        }
        // The links exist; make sure the last one leads somewhere.
        return H5Oexists_by_name(id, prefix, HDF5Library.readOnlyLinkAccess) > 0
    }

    /// The names of the group's direct members (links of any kind), sorted.
    public func memberNames() throws -> [String] {
        let message = describe("cannot list members of group")
        let id = try requireOpen(message)
        var names: [String] = []
        try withUnsafeMutablePointer(to: &names) { pointer in
            _ = try HDF5Library.check(H5Literate(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, context in
                if let name, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                }
                return 0
            }, pointer), message)
        }
        return names.sorted()
    }

    /// Removes the link `name`; the object's space is freed once nothing else links to it.
    public func delete(_ name: String) throws {
        let target = childPath(name)
        let message = describe("cannot delete", target)
        let id = try requireOpen(message)
        guard try linkExists(name) else { throw HDF5Error("\(message): no such object") }
        try HDF5Library.check(H5Ldelete(id, name, groksim_h5p_default()), message)
    }

    // MARK: - Groups

    /// Creates a group at `name`, with any missing intermediate groups.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        let target = childPath(name)
        let message = describe("cannot create group", target)
        let id = try requireOpen(message)
        try requireFree(name, message)
        let lcpl = try linkCreationList(message)
        defer { closeID(lcpl) }
        let group = try HDF5Library.check(
            H5Gcreate2(id, name, lcpl, groksim_h5p_default(), groksim_h5p_default()), message)
        return HDF5Group(id: group, path: target, state: state)
    }

    /// Opens the group at `path`.
    public func openGroup(_ path: String) throws -> HDF5Group {
        let target = childPath(path)
        let object = try openObject(path, expecting: H5I_GROUP, message: describe("cannot open group", target))
        return HDF5Group(id: object, path: target, state: state)
    }

    // MARK: - Datasets

    /// Creates a dataset of `type` elements at `name`, with any missing intermediate groups.
    ///
    /// - Parameters:
    ///   - shape: The initial dimensions; an empty array makes a scalar dataset.
    ///   - maxShape: The largest dimensions it may be resized to, `nil` entries meaning
    ///     unlimited; by default the dataset cannot grow.
    ///   - chunk: The chunk dimensions. Extendable or compressed datasets must be chunked;
    ///     if omitted, 1-D datasets use chunks of up to 1024 elements and others use whole
    ///     rows, as many as fit in about 1 MiB.
    ///   - compression: A deflate (gzip) level from 0 to 9, or `nil` for none.
    @discardableResult
    public func createDataset<T: HDF5Scalar>(_ name: String, of type: T.Type, shape: [Int],
                                             maxShape: [Int?]? = nil, chunk: [Int]? = nil,
                                             compression: Int? = nil) throws -> HDF5Dataset {
        let target = childPath(name)
        let message = describe("cannot create dataset", target)
        let id = try requireOpen(message)
        let layout = try DatasetLayout(shape: shape, maxShape: maxShape, chunk: chunk,
                                       compression: compression, elementSize: T.hdf5ScalarType.size,
                                       message: message)
        try requireFree(name, message)

        let space: hid_t
        if shape.isEmpty {
            space = try HDF5Library.check(H5Screate(H5S_SCALAR), message)
        } else {
            var dims = shape.map { hsize_t($0) }
            var maxDims = layout.maxShape.map { $0.map { hsize_t($0) } ?? groksim_h5s_unlimited() }
            space = try HDF5Library.check(H5Screate_simple(Int32(shape.count), &dims, &maxDims), message)
        }
        defer { closeID(space) }
        let dcpl = try HDF5Library.check(H5Pcreate(groksim_h5p_dataset_create()), message)
        defer { closeID(dcpl) }
        if let chunk = layout.chunk {
            var chunkDims = chunk.map { hsize_t($0) }
            try HDF5Library.check(H5Pset_chunk(dcpl, Int32(chunk.count), &chunkDims), message)
        }
        if let compression {
            guard H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 else {
                throw HDF5Error("\(message): this HDF5 library has no deflate compression")
            }
            try HDF5Library.check(H5Pset_deflate(dcpl, UInt32(compression)), message)
        }
        let lcpl = try linkCreationList(message)
        defer { closeID(lcpl) }
        let dataset = try HDF5Library.check(
            H5Dcreate2(id, name, T.hdf5ScalarType.fileTypeID, space, lcpl, dcpl, groksim_h5p_default()),
            message)
        return HDF5Dataset(id: dataset, path: target, state: state)
    }

    /// Opens the dataset at `path`.
    public func openDataset(_ path: String) throws -> HDF5Dataset {
        let target = childPath(path)
        let object = try openObject(path, expecting: H5I_DATASET, message: describe("cannot open dataset", target))
        return HDF5Dataset(id: object, path: target, state: state)
    }

    // MARK: - Links

    /// Creates a link `name` to the object at `path` in another file.
    ///
    /// HDF5 resolves a relative `file` against the directory of the file containing the
    /// link, then the current directory. The target need not exist yet.
    public func createExternalLink(_ name: String, file: String, path: String) throws {
        let message = describe("cannot create external link", childPath(name))
        let id = try requireOpen(message)
        try requireFree(name, message)
        let lcpl = try linkCreationList(message)
        defer { closeID(lcpl) }
        try HDF5Library.check(H5Lcreate_external(file, path, id, name, lcpl, groksim_h5p_default()), message)
    }

    /// Creates a soft link `name` that resolves to `target`, a path in the same file.
    public func createSoftLink(_ name: String, to target: String) throws {
        let message = describe("cannot create soft link", childPath(name))
        let id = try requireOpen(message)
        try requireFree(name, message)
        let lcpl = try linkCreationList(message)
        defer { closeID(lcpl) }
        try HDF5Library.check(H5Lcreate_soft(target, id, name, lcpl, groksim_h5p_default()), message)
    }

    /// Creates a hard link `name` to the existing object at `target` (relative to this group).
    public func createHardLink(_ name: String, to target: String) throws {
        let message = describe("cannot create hard link", childPath(name))
        let id = try requireOpen(message)
        guard try exists(target) else { throw HDF5Error("\(message): no object at '\(target)'") }
        try requireFree(name, message)
        let lcpl = try linkCreationList(message)
        defer { closeID(lcpl) }
        try HDF5Library.check(H5Lcreate_hard(id, target, id, name, lcpl, groksim_h5p_default()), message)
    }

    // MARK: - Helpers

    /// Whether a link exists at `path`, dangling or not, checking each component.
    private func linkExists(_ path: String) throws -> Bool {
        let components = path.split(separator: "/")
        if components.isEmpty { return path.hasPrefix("/") }
        let parent = components.dropLast().joined(separator: "/")
        if !parent.isEmpty, !(try exists(path.hasPrefix("/") ? "/" + parent : parent)) { return false }
        return H5Lexists(id, path, groksim_h5p_default()) > 0
    }

    /// Throws if something (even a dangling link) already has the name `name`.
    private func requireFree(_ name: String, _ message: String) throws {
        guard !name.isEmpty else { throw HDF5Error("\(message): the name is empty") }
        if try linkExists(name) { throw HDF5Error("\(message): an object with that name already exists") }
    }

    /// Link creation properties: UTF-8 names and automatic intermediate groups.
    private func linkCreationList(_ message: String) throws -> hid_t {
        let lcpl = try HDF5Library.check(H5Pcreate(groksim_h5p_link_create()), message)
        do {
            try HDF5Library.check(H5Pset_create_intermediate_group(lcpl, 1), message)
            try HDF5Library.check(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), message)
        } catch {
            closeID(lcpl)
            throw error
        }
        return lcpl
    }

    /// Opens the object at `path` and checks that it has the expected kind.
    private func openObject(_ path: String, expecting kind: H5I_type_t, message: String) throws -> hid_t {
        let id = try requireOpen(message)
        guard try exists(path) else { throw HDF5Error("\(message): no such object") }
        let object = try HDF5Library.check(H5Oopen(id, path, HDF5Library.readOnlyLinkAccess), message)
        let actual = H5Iget_type(object)
        guard actual == kind else {
            _ = H5Oclose(object)
            let what = actual == H5I_GROUP ? "a group" : actual == H5I_DATASET ? "a dataset" : "a named datatype"
            throw HDF5Error("\(message): it is \(what)")
        }
        return object
    }
}
