import ArgumentParser
import GrokSimCore

/// An inclusive range of seeds written `A..B` (or a single seed `A`).
struct SeedRange: ExpressibleByArgument, Sendable {
    let first: UInt64
    let last: UInt64

    var seeds: [UInt64] { Array(first...last) }

    init?(argument: String) {
        let parts = argument.components(separatedBy: "..")
        guard parts.count <= 2, let first = UInt64(parts[0]), let last = UInt64(parts.last!),
              first <= last, last - first < 1_000_000,
              (try? RunControlKeys.all.first { $0.name == RunControlKeys.seed }!.normalize(.integer(Int(exactly: last) ?? -1))) != nil
        else { return nil }
        self.first = first
        self.last = last
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

import Foundation
