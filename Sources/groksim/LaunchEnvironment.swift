import Foundation

/// What the process can learn about its MPI launch before MPI is initialised.
enum LaunchEnvironment {
    /// This process's rank as set by mpirun, srun or another PMI launcher; 0 when launched alone.
    static var rank: Int {
        let environment = ProcessInfo.processInfo.environment
        for name in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"] {
            if let value = environment[name], let rank = Int(value) { return rank }
        }
        return 0
    }

    static var isRankZero: Bool { rank == 0 }

    /// The number of ranks of the launch, as the launcher tells it (1 when launched alone).
    static var worldSize: Int {
        let environment = ProcessInfo.processInfo.environment
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"] {
            if let value = environment[name], let size = Int(value), size > 0 { return size }
        }
        return 1
    }
}

/// A failure reported as one line, with the exit code every rank returns.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32

    init(_ description: String, code: Int32 = 2) {
        self.description = description
        self.code = code
    }
}
