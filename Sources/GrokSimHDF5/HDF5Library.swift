import _CHDF5

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Library-wide set-up and the conversion of C status codes into thrown errors.
enum HDF5Library {
    /// Marks the threads on which HDF5's automatic error printing has been turned off.
    ///
    /// In thread-safe builds (Debian's is one) every thread has its own error stack and its
    /// own "auto print" setting, so silencing once on one thread is not enough.
    private static let silencedKey: pthread_key_t = {
        _ = H5open()
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Initialises the library and stops it printing error stacks on the calling thread.
    ///
    /// Every entry point calls this before its first HDF5 call; after the first time on a
    /// thread it costs one thread-local lookup.
    /// Link access properties that open files reached through external links read-only, whatever the intent
    /// of the file holding the link: GrokSim never writes through a link, and a read-only checkpoint (or one
    /// another process has open) must still be readable from a run file opened for writing.
    nonisolated(unsafe) static let readOnlyLinkAccess: hid_t = {
        let list = H5Pcreate(groksim_h5p_link_access())
        if list >= 0 { _ = H5Pset_elink_acc_flags(list, groksim_h5f_acc_rdonly()) }
        return list >= 0 ? list : groksim_h5p_default()
    }()

    static func prepare() {
        let key = silencedKey
        if pthread_getspecific(key) == nil {
            _ = H5Eset_auto2(groksim_h5e_default(), nil, nil)
            pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        }
    }

    /// Returns `result`, or throws an ``HDF5Error`` built from `message` if it is negative.
    @discardableResult
    static func check<R: BinaryInteger>(_ result: R, _ message: @autoclosure () -> String) throws -> R {
        if result < 0 { throw HDF5Error(message(), detail: takeErrorDetail()) }
        return result
    }

    /// An ``HDF5Error`` built from `message` and the library's latest message, to throw.
    static func fail(_ message: String) -> HDF5Error {
        HDF5Error(message, detail: takeErrorDetail())
    }

    /// Takes the most specific description from the calling thread's error stack and clears it.
    static func takeErrorDetail() -> String? {
        // H5Eget_current_stack copies and clears the stack, so a later failure never reports
        // a stale message.
        let stack = H5Eget_current_stack()
        guard stack >= 0 else { return nil }
        defer { _ = H5Eclose_stack(stack) }
        var descriptions: [String] = []
        _ = withUnsafeMutablePointer(to: &descriptions) { pointer in
            H5Ewalk2(stack, H5E_WALK_UPWARD, { _, error, context in
                if let text = error?.pointee.desc, let context {
                    context.assumingMemoryBound(to: [String].self).pointee.append(String(cString: text))
                }
                return 0
            }, pointer)
        }
        return descriptions.first { !$0.isEmpty }
    }
}

/// Closes a transient HDF5 identifier of any kind, ignoring failures (used in `defer`).
func closeID(_ id: hid_t) {
    guard id >= 0 else { return }
    switch H5Iget_type(id) {
    case H5I_DATASPACE: _ = H5Sclose(id)
    case H5I_DATATYPE: _ = H5Tclose(id)
    case H5I_GENPROP_LST: _ = H5Pclose(id)
    case H5I_ATTR: _ = H5Aclose(id)
    case H5I_GROUP, H5I_DATASET: _ = H5Oclose(id)
    default: break
    }
}
