import _CMPI
import GrokSimCore

/// The `Communicator` of an MPI job: the one place GrokSim calls MPI.
///
/// Every operation uses MPI_COMM_WORLD. OpenMPI's default error handler aborts the whole job on an
/// MPI error, which is what a failing rank should do anyway.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm

    /// Initialises MPI (once per process). Works under `mpirun`, `srun` and as a singleton without a launcher.
    public init() {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 { MPI_Init(nil, nil) }
        world = groksim_mpi_comm_world()
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(world, &rank)
        MPI_Comm_size(world, &size)
        self.rank = Int(rank)
        self.size = Int(size)
    }

    /// Ends MPI; call once, after the last collective.
    public func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized == 0 { MPI_Finalize() }
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Int64>) {
        // Chunks keep each call's count within MPI's Int32 counts.
        var offset = 0
        while offset < buffer.count {
            let count = min(buffer.count - offset, Int(Int32.max))
            MPI_Allreduce(groksim_mpi_in_place(), buffer.baseAddress! + offset, Int32(count), groksim_mpi_int64(),
                          groksim_mpi_sum(), world)
            offset += count
        }
    }

    public func allreduceMax(_ value: Int64) -> Int64 {
        var input = value, output: Int64 = 0
        MPI_Allreduce(&input, &output, 1, groksim_mpi_int64(), groksim_mpi_max(), world)
        return output
    }

    public func gather(_ local: UnsafeBufferPointer<Double>, counts: [Int], into: UnsafeMutableBufferPointer<Double>?) {
        gatherv(UnsafeRawPointer(local.baseAddress!), local.count, counts: counts,
                into: into.map { UnsafeMutableRawPointer($0.baseAddress!) }, type: groksim_mpi_double())
    }

    public func gather(_ local: UnsafeBufferPointer<Float>, counts: [Int], into: UnsafeMutableBufferPointer<Float>?) {
        gatherv(UnsafeRawPointer(local.baseAddress!), local.count, counts: counts,
                into: into.map { UnsafeMutableRawPointer($0.baseAddress!) }, type: groksim_mpi_float())
    }

    private func gatherv(_ local: UnsafeRawPointer, _ count: Int, counts: [Int], into: UnsafeMutableRawPointer?,
                         type: MPI_Datatype) {
        precondition(counts.reduce(0, +) <= Int(Int32.max), "gather larger than 2^31 elements; split the checkpoint")
        var counts32 = counts.map { Int32($0) }
        var displacements = [Int32](repeating: 0, count: counts.count)
        for r in 1..<max(1, counts.count) { displacements[r] = displacements[r - 1] + counts32[r - 1] }
        MPI_Gatherv(local, Int32(count), type, into, &counts32, &displacements, type, 0, world)
    }

    public func broadcast(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var length = Int64(bytes.count)
        MPI_Bcast(&length, 1, groksim_mpi_int64(), 0, world)
        if rank != 0 { bytes = [UInt8](repeating: 0, count: Int(length)) }
        if length > 0 { MPI_Bcast(&bytes, Int32(length), groksim_mpi_char(), 0, world) }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func abort(code: Int32) -> Never {
        MPI_Abort(world, code)
        exit(code)
    }

    /// Number of ranks of this job that share this node's memory.
    public func ranksOnThisNode() -> Int {
        var node = groksim_mpi_comm_null()
        MPI_Comm_split_type(world, groksim_mpi_comm_type_shared(), Int32(rank), groksim_mpi_info_null(), &node)
        var count: Int32 = 1
        MPI_Comm_size(node, &count)
        MPI_Comm_free(&node)
        return Int(count)
    }
}

import Foundation
