/// The collective operations the training loop needs, so it can run with or without MPI.
///
/// `GrokSimMPI` implements this over MPI; `SerialCommunicator` is the one-process version used by unit
/// tests and by runs without `mpirun`.
public protocol Communicator: AnyObject {
    /// This process's index, 0 ..< size.
    var rank: Int { get }
    /// Number of processes.
    var size: Int { get }
    /// Replaces `buffer` on every rank by its element-wise sum over all ranks.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>)
    /// Replaces `buffer` on every rank by its element-wise floating-point sum over all ranks (rounding depends on
    /// the rank count and MPI's reduction order: for a model's opt-in fast reduction only).
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>)
    /// The maximum of `value` over all ranks, on every rank.
    func allreduceMax(_ value: Int64) -> Int64
    /// Gathers each rank's `local` block (rank r sends counts[r] elements) into `into` on rank 0.
    func gather(_ local: UnsafeBufferPointer<Double>, counts: [Int], into: UnsafeMutableBufferPointer<Double>?)
    /// Single-precision version of `gather(_:counts:into:)`.
    func gather(_ local: UnsafeBufferPointer<Float>, counts: [Int], into: UnsafeMutableBufferPointer<Float>?)
    /// Rank 0's `text`, on every rank.
    func broadcast(_ text: String) -> String
    /// Ends every process of the job at once with `code`; used after an error on one rank.
    func abort(code: Int32) -> Never
    /// Memory of `bytes` shared by the ranks of this node, for read-only data every rank needs (the data
    /// matrix), with this rank's index among the node's ranks and their number, so they can split the
    /// work of filling it. Nil: allocate privately.
    func nodeSharedBuffer(bytes: Int) -> SharedBuffer?
    /// Waits until every rank of this node arrives; after it, what the filling rank wrote is visible.
    func nodeBarrier()
}

extension Communicator {
    /// True on every rank when `ok` is true on every rank: how ranks agree to stop together.
    public func allAgree(_ ok: Bool) -> Bool {
        allreduceMax(ok ? 0 : 1) == 0
    }
}

/// Memory shared by the ranks of one node, and this rank's share of the work of filling it.
public struct SharedBuffer {
    public let pointer: UnsafeMutableRawPointer
    /// This rank's index among the ranks of its node.
    public let writer: Int
    /// Number of ranks on the node.
    public let writers: Int

    public init(pointer: UnsafeMutableRawPointer, writer: Int, writers: Int) {
        self.pointer = pointer
        self.writer = writer
        self.writers = writers
    }
}

/// The communicator of a single process.
public final class SerialCommunicator: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {}
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    public func allreduceMax(_ value: Int64) -> Int64 { value }
    public func gather(_ local: UnsafeBufferPointer<Double>, counts: [Int], into: UnsafeMutableBufferPointer<Double>?) {
        _ = into.map { $0.baseAddress!.update(from: local.baseAddress!, count: local.count) }
    }
    public func gather(_ local: UnsafeBufferPointer<Float>, counts: [Int], into: UnsafeMutableBufferPointer<Float>?) {
        _ = into.map { $0.baseAddress!.update(from: local.baseAddress!, count: local.count) }
    }
    public func broadcast(_ text: String) -> String { text }
    public func abort(code: Int32) -> Never { exit(code) }
    public func nodeSharedBuffer(bytes: Int) -> SharedBuffer? { nil }
    public func nodeBarrier() {}
}

import Foundation
