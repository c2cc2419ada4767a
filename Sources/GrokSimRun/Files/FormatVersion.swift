import GrokSimHDF5

/// The one check of a file's `format_version` attribute against the newest version this groksim reads.
enum FormatVersion {
    /// What is wrong with `group`'s version for a file of `kind` ("run-file", "checkpoint", "ensemble"), or nil.
    static func problem(_ group: HDF5Group, kind: String, newest: Int) -> String? {
        let version = (try? group.attribute("format_version", as: Int.self)) ?? -1
        return version >= 1 && version <= newest ? nil : "has \(kind) format version \(version); this groksim reads versions 1 to \(newest)"
    }
}
