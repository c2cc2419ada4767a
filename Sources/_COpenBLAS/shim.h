#ifndef GROKSIM_COPENBLAS_SHIM_H
#define GROKSIM_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
