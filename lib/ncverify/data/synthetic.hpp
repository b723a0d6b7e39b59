#pragma once
// Balanced Gaussian mixture: K classes of n samples each in R^d, drawn from one
// RandomSource(seed), so a seed gives bit-identical data on every platform.
//
// With G the d x K matrix RandomSource::gaussian_matrix(d, K) (the first d K draws, column
// by column), the class means are
//     mu_c = mean_separation * g_c / ||g_c||_2        (||mu_c||_2 = mean_separation),
// random directions, so for large d the means are nearly orthogonal and
// ||mu_a - mu_b|| ~ sqrt(2) mean_separation. Then, in dataset order (class 0's n samples,
// then class 1's, ...), sample i of class c is
//     x_i = mu_c + noise * z_i,    z_i = d further standard normal draws (feature order).
// The within-class covariance is noise^2 I; labels are c for the c-th block of n columns.
//
// Rounding is fixed, not left to the compiler or SIMD width: ||g_c||^2 is accumulated in
// feature order with fused multiply-adds, mu_c = g_c * (mean_separation / sqrt(||g_c||^2)),
// and x_i = fma(noise, z_i, mu_c), one rounding per entry.

#include <cstdint>

#include "ncverify/data/dataset.hpp"

namespace ncverify {

struct GaussianMixtureOptions {
    Index input_dim = 0;          ///< d >= 1
    Index num_classes = 0;        ///< K >= 1
    Index samples_per_class = 0;  ///< n >= 1
    double mean_separation = 1;   ///< ||mu_c||_2, finite and >= 0
    double noise = 0;             ///< standard deviation around each mean, finite and >= 0
    std::uint64_t seed = 0;
};

/// The balanced mixture above (N = K n samples, ordered by class, named
/// "gaussian-mixture[d=.., K=.., n=../class, separation=.., noise=.., seed=..]").
/// Throws InvalidArgument naming the field when an option is out of range, or when
/// d K n does not fit in an Index.
Dataset gaussian_mixture(const GaussianMixtureOptions& options);

}  // namespace ncverify
