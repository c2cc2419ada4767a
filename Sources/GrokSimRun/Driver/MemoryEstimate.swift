import Foundation
import GrokSimCore

/// How much memory a run needs, so a run that cannot fit is refused before it starts.
public struct MemoryEstimate: Sendable {
    /// Bytes the largest rank needs (rank 0, which also gathers the weights for checkpoints).
    public let bytesPerRank: Int
    /// Bytes all ranks on one node need together.
    public let bytesPerNode: Int
    /// A model-specific way to need less memory, named in the refusal (for example a reduced representation).
    private let remedy: String?

    /// `dataCopies`: independent runs per node (an ensemble's groups), each with its own shared data.
    public init(config: ExperimentConfig, ranks: Int, ranksOnNode: Int, dataCopies: Int = 1) {
        let model = ModelRegistry.model(of: config)
        remedy = (model as? any MemoryRemedy)?.memoryRemedy(config)
        let partition = model.partition(config, parts: ranks)
        let memory = model.memory(config, localWidth: partition.count(of: 0))
        // Rank 0 also gathers every parameter for checkpoints.
        typealias A = SizeArithmetic
        let gather = A.product(model.parameterCount(config), config.elementSize)
        bytesPerRank = A.sum(memory.sharedData, memory.perRank, gather)
        // The data are shared by the ranks of a node (one MPI shared-memory window).
        bytesPerNode = A.sum(A.product(dataCopies, A.sum(memory.sharedData, gather)), A.product(ranksOnNode, memory.perRank))
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
        return String(format: "run needs about %@ on this node (%@ on the largest rank) but only %@ is available; "
                      + "%@use fewer ranks per node, float32, or smaller sizes",
                      Self.format(bytesPerNode), Self.format(bytesPerRank), Self.format(available), remedy.map { $0 + ", " } ?? "")
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

/// A model that knows a cheaper way to run a config that does not fit in memory.
public protocol MemoryRemedy {
    /// The advice, for example "set representation=exact-reduced (same law, dimension 2+n+m)", or nil.
    func memoryRemedy(_ config: ExperimentConfig) -> String?
}
