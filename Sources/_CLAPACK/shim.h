#ifndef GROKSIM_CLAPACK_SHIM_H
#define GROKSIM_CLAPACK_SHIM_H
// Debian's OpenBLAS exports the Fortran LAPACK symbols but installs no header for them.
// Fortran calling convention: every argument by reference, 32-bit integers (OpenBLAS is built LP64),
// and one hidden length argument per character argument, appended at the end.
#include <stddef.h>

void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);

void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
            int *info, size_t uplo_length);

#endif
