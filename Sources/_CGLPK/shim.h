#ifndef GROKSIM_CGLPK_SHIM_H
#define GROKSIM_CGLPK_SHIM_H
// GLPK's constants are plain integer macros, which Swift imports as they are.
#include <glpk.h>
#endif
