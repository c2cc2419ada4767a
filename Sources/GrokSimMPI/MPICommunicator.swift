import _CMPI
import GrokSimCore

/// The `Communicator` of an MPI job: the one place GrokSim calls MPI.
///
/// Every operation uses one MPI communicator: MPI_COMM_WORLD, or a group split from it for ensembles. OpenMPI's default error handler aborts the whole job on an
/// MPI error, which is what a failing rank should do anyway.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm
    /// True for the communicator of the whole job, which alone initialises and finalises MPI.
    private let isWorld: Bool
    /// The ranks of this node (MPI_COMM_TYPE_SHARED), created on first use.
    private var node: MPI_Comm? = nil
    /// Shared-memory windows, freed before MPI_Finalize.
    private var windows: [MPI_Win] = []

    /// Initialises MPI (once per process). Works under `mpirun`, `srun` and as a singleton without a launcher.
    public init() {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        if initialized == 0 { MPI_Init(nil, nil) }
        world = groksim_mpi_comm_world()
        isWorld = true
        (rank, size) = Self.rankAndSize(world)
    }

    private init(splitting parent: MPI_Comm, color: Int, key: Int) {
        var group: MPI_Comm? = groksim_mpi_comm_null()
        MPI_Comm_split(parent, Int32(color), Int32(key), &group)
        world = group!
        isWorld = false
        (rank, size) = Self.rankAndSize(world)
    }

    private static func rankAndSize(_ communicator: MPI_Comm) -> (Int, Int) {
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(communicator, &rank)
        MPI_Comm_size(communicator, &size)
        return (Int(rank), Int(size))
    }

    /// Splits this communicator into groups: ranks with the same `color` form one, ordered by `key`.
    /// Collective over this communicator; the groups are independent communicators from then on.
    public func split(color: Int, key: Int) -> MPICommunicator {
        MPICommunicator(splitting: world, color: color, key: key)
    }

    /// Releases a group's resources (its shared buffers and MPI communicator); collective over the group.
    public func free() {
        guard !isWorld else { return }
        releaseSharedBuffers()
        if node != nil { MPI_Comm_free(&node) }
        node = nil
        var handle: MPI_Comm? = world
        MPI_Comm_free(&handle)
    }

    /// Waits for every rank of this communicator.
    public func barrier() {
        MPI_Barrier(world)
    }

    /// Ends MPI; call once, after the last collective.
    public func finalize() {
        precondition(isWorld, "finalize the world communicator, not a group")
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if finalized != 0 { return }
        releaseSharedBuffers()
        if node != nil { MPI_Comm_free(&node) }
        node = nil
        MPI_Finalize()
    }

    private func nodeCommunicator() -> MPI_Comm {
        if let node { return node }
        var created: MPI_Comm? = groksim_mpi_comm_null()
        MPI_Comm_split_type(world, groksim_mpi_comm_type_shared(), Int32(rank), groksim_mpi_info_null(), &created)
        node = created
        return created!
    }

    public func nodeSharedBuffer(bytes: Int) -> SharedBuffer? {
        let node = nodeCommunicator()
        var nodeSize: Int32 = 1, nodeRank: Int32 = 0
        MPI_Comm_size(node, &nodeSize)
        MPI_Comm_rank(node, &nodeRank)
        if nodeSize == 1 { return nil }
        // Rank 0 of the node owns all the memory; the others map the same pages.
        var window = MPI_Win(bitPattern: 0)
        var base: UnsafeMutableRawPointer? = nil
        let size = nodeRank == 0 ? max(bytes, 1) : 0
        withUnsafeMutablePointer(to: &base) { pointer in
            _ = MPI_Win_allocate_shared(MPI_Aint(size), 1, groksim_mpi_info_null(), node, pointer, &window)
        }
        if nodeRank != 0 {
            var ownerSize: MPI_Aint = 0
            var unit: Int32 = 0
            withUnsafeMutablePointer(to: &base) { pointer in
                _ = MPI_Win_shared_query(window, 0, &ownerSize, &unit, pointer)
            }
        }
        windows.append(window!)
        return SharedBuffer(pointer: base!, writer: Int(nodeRank), writers: Int(nodeSize))
    }

    /// Frees every buffer from `nodeSharedBuffer`; collective over the node, and only after their last use.
    public func releaseSharedBuffers() {
        for window in windows {
            var handle: MPI_Win? = window
            MPI_Win_free(&handle)
        }
        windows.removeAll()
    }

    public func nodeBarrier() {
        // On the shared-memory windows' unified memory model a barrier orders the filling rank's stores
        // before the other ranks' loads.
        MPI_Barrier(nodeCommunicator())
    }

    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {
        var offset = 0
        while offset < buffer.count {
            let count = min(buffer.count - offset, Int(Int32.max))
            MPI_Allreduce(groksim_mpi_in_place(), buffer.baseAddress! + offset, Int32(count), groksim_mpi_double(),
                          groksim_mpi_sum(), world)
            offset += count
        }
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

    /// The sum of `value` over the ranks of this node.
    public func nodeSum(_ value: Int64) -> Int64 {
        var input = value, output: Int64 = 0
        MPI_Allreduce(&input, &output, 1, groksim_mpi_int64(), groksim_mpi_sum(), nodeCommunicator())
        return output
    }

    /// A barrier that sleeps instead of spinning, so that waiting ranks leave the cores to another program.
    public func sleepingBarrier() {
        var request: MPI_Request? = nil
        MPI_Ibarrier(world, &request)
        var done: Int32 = 0
        while true {
            MPI_Test(&request, &done, nil)
            if done != 0 { return }
            usleep(2000)
        }
    }

    /// Number of ranks of this job that share this node's memory.
    public func ranksOnThisNode() -> Int {
        var count: Int32 = 1
        MPI_Comm_size(nodeCommunicator(), &count)
        return Int(count)
    }
}

import Foundation
