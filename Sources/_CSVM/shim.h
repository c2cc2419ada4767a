#ifndef GROKSIM_CSVM_SHIM_H
#define GROKSIM_CSVM_SHIM_H
#include <libsvm/svm.h>
#endif
