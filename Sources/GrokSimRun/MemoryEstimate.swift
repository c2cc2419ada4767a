import Foundation
import GrokSimCore

/// How much memory a run needs, so a run that cannot fit is refused before it starts.
public struct MemoryEstimate: Sendable {
    /// Bytes the largest rank needs (rank 0, which also gathers the weights for checkpoints).
    public let bytesPerRank: Int
    /// Bytes all ranks on one node need together.
    public let bytesPerNode: Int
    /// Whether the reduced representation would shrink this explicit run.
    private let canReduce: Bool

    /// `dataCopies`: independent runs per node (an ensemble's groups), each with its own shared data.
    public init(config: ExperimentConfig, ranks: Int, ranksOnNode: Int, dataCopies: Int = 1) {
        let s = config.elementSize
        canReduce = config.resolvedRepresentation == .explicit && Representation.reductionShrinks(config)
        let partition = WidthPartition(width: config.m, parts: ranks)
        let localWidth = partition.count(of: 0)
        let d = config.weightDimension
        let data = (config.n * config.trainDimension + config.nTest * d) * s
        let local = localWidth * d * s + (config.n + config.nTest) * localWidth * s
        let sums = (config.n + config.nTest) * ExactAccumulator.slotsPerSum * 8
        let gather = config.m * d * s
        bytesPerRank = data + local + sums + gather
        // The data are shared by the ranks of a node (one MPI shared-memory window).
        bytesPerNode = dataCopies * (data + gather) + ranksOnNode * (local + sums)
    }

    /// Bytes of memory available on this machine now (MemAvailable), or nil if unknown.
    public static func availableBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    /// An error message if the node lacks memory for the run, else nil.
    public func problem(available: Int?) -> String? {
        guard let available, Double(bytesPerNode) > 0.9 * Double(available) else { return nil }
        let remedy = canReduce ? "set representation=exact-reduced (same law, dimension 2+n+m), " : ""
        return String(format: "run needs about %@ on this node (%@ on the largest rank) but only %@ is available; "
                      + "%@use fewer ranks per node, float32, or smaller n, p, m",
                      Self.format(bytesPerNode), Self.format(bytesPerRank), Self.format(available), remedy)
    }

    /// Bytes in human units (GiB, MiB, KiB).
    public static func format(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1_099_511_627_776 { return String(format: "%.2f TiB", b / 1_099_511_627_776) }
        if b >= 1_073_741_824 { return String(format: "%.2f GiB", b / 1_073_741_824) }
        if b >= 1_048_576 { return String(format: "%.1f MiB", b / 1_048_576) }
        return String(format: "%.1f KiB", b / 1024)
    }
}
