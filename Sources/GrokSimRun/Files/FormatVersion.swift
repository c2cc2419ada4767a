import Foundation
import GrokSimHDF5

/// The one check of a file's `format_version` attribute against the newest version this groksim reads.
enum FormatVersion {
    /// What is wrong with `group`'s version for a file of `kind` ("run-file", "checkpoint", "ensemble"), or nil.
    static func problem(_ group: HDF5Group, kind: String, newest: Int) -> String? {
        let version = (try? group.attribute("format_version", as: Int.self)) ?? -1
        return version >= 1 && version <= newest ? nil : "has \(kind) format version \(version); this groksim reads versions 1 to \(newest)"
    }

    /// Writes the header every index file starts with: its format and version, the software that wrote it, when
    /// it was first written (`created`, kept across rewrites) and now (`updated`).
    static func stampIndex(_ root: HDF5Group, format: String, version: Int, softwareVersion: String, created: String?) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        try root.setAttribute("format", format)
        try root.setAttribute("format_version", version)
        try root.setAttribute("software_version", softwareVersion)
        try root.setAttribute("created", created ?? now)
        try root.setAttribute("updated", now)
    }
}
