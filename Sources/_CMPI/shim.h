#ifndef GROKSIM_CMPI_SHIM_H
#define GROKSIM_CMPI_SHIM_H
// OpenMPI's handles are macros over global symbols, which Swift cannot import; these getters expose them.
#include <mpi.h>

static inline MPI_Comm groksim_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm groksim_mpi_comm_null(void) { return MPI_COMM_NULL; }
static inline MPI_Datatype groksim_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype groksim_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype groksim_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype groksim_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype groksim_mpi_char(void) { return MPI_CHAR; }
static inline MPI_Op groksim_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op groksim_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op groksim_mpi_min(void) { return MPI_MIN; }
static inline int groksim_mpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }
static inline MPI_Info groksim_mpi_info_null(void) { return MPI_INFO_NULL; }
static inline void *groksim_mpi_in_place(void) { return MPI_IN_PLACE; }

#endif
