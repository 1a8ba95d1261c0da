#ifndef DEELEMA_CGSL_SHIM_H
#define DEELEMA_CGSL_SHIM_H

/* GSL headers used by the testbed. cblas is declared through GSL's own
   gsl_cblas.h (OpenBLAS's cblas.h clashes with it); the module map links
   openblas before gsl so every cblas_* symbol binds to OpenBLAS. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_poly.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_cblas.h>

/* Swift 6 refuses to read C globals; these accessors return GSL's type tables. */
static inline const gsl_rng_type *deelema_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *deelema_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_multimin_fdfminimizer_type *deelema_multimin_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }
static inline const gsl_multimin_fminimizer_type *deelema_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const gsl_multiroot_fsolver_type *deelema_multiroot_hybrids(void) { return gsl_multiroot_fsolver_hybrids; }
static inline const gsl_multifit_nlinear_type *deelema_multifit_trust(void) { return gsl_multifit_nlinear_trust; }
static inline const gsl_root_fsolver_type *deelema_root_brent(void) { return gsl_root_fsolver_brent; }

/* Turn GSL's abort-on-error handler off; callers check return codes. */
static inline void deelema_gsl_quiet(void) { gsl_set_error_handler_off(); }

/* OpenBLAS thread control (declared here so we need not include cblas.h). */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

#endif
