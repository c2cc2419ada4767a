#ifndef GROKSIM_CGSL_SHIM_H
#define GROKSIM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_bessel.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_hyperg.h>

// gsl_randist.h pulls in GSL's own cblas.h, whose enums clash with OpenBLAS's in the same Swift module graph;
// the one sampler used is declared here instead.
double gsl_ran_gaussian_ziggurat(const gsl_rng *r, const double sigma);

// GSL's solver and generator types are global pointer variables, which Swift 6 sees as shared mutable state.
static inline const gsl_root_fsolver_type *groksim_gsl_root_fsolver_brent(void) { return gsl_root_fsolver_brent; }
static inline const gsl_rng_type *groksim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }

#endif
