#pragma once
// The largest eigenvalue of a symmetric operator v -> A v on R^n, by Lanczos iteration
// with full reorthogonalisation (classical Gram-Schmidt, twice), from a Gaussian start
// vector drawn by RandomSource(seed). Used for the sharpness (sharpness.hpp) and for the
// spectral norms of large matrices (feature_spectrum.hpp).
//
// Contract. The Ritz pairs of the tridiagonal T_j are computed at steps j <= 8, then at
// every 4th step and at the last one (an O(j^3) eigenproblem each). The run stops at
// such a step when the Ritz estimate |beta_j s_j| of the top pair is <= tolerance *
// |theta|, when the Krylov space is invariant (beta_j <= 10 eps sqrt(n) ||T_j||, tested
// at every step), after n steps (the space is then complete and the Ritz values are the
// eigenvalues) or after max_iterations (converged = false). The result is the top Ritz
// value theta and its normalised Ritz vector v (theta is the Rayleigh quotient of v up
// to rounding); for a symmetric A some eigenvalue lies within ||A v - theta v|| of theta.
// Ritz values approach the top eigenvalue from below; a start vector orthogonal to its
// eigenvector (probability 0) would miss it. Memory: (iterations + 1) vectors of n.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

struct LanczosOptions {
    /// Stop when the Ritz estimate |beta_j s_j| <= tolerance * |theta| (relative residual).
    double tolerance = 1e-10;
    /// At most this many steps (operator applications).
    Index max_iterations = 100;
    /// Seed of the Gaussian start vector.
    std::uint64_t seed = 0;
};

template <class S>
struct LanczosResult {
    S eigenvalue;          // top Ritz value of the last step
    Vector<S> eigenvector; // its Ritz vector, unit norm
    Index iterations = 0;  // operator applications
    bool converged = false;
};

template <class S>
LanczosResult<S> lanczos_top_eigenpair(const std::function<Vector<S>(const Vector<S>&)>& apply, Index dimension,
                                       const LanczosOptions& options = {}) {
    if (dimension < 1) throw InvalidArgument("lanczos: the operator has dimension 0");
    if (options.max_iterations < 1)
        throw InvalidArgument(fmt::format("lanczos: max_iterations = {} must be >= 1", options.max_iterations));
    if (!(options.tolerance >= 0))
        throw InvalidArgument(fmt::format("lanczos: tolerance = {} must be >= 0", options.tolerance));
    using std::abs;
    using std::max;
    using std::sqrt;
    RandomSource random(options.seed);
    std::vector<Vector<S>> basis;
    Vector<S> q = from_double<S>(random.gaussian_matrix(dimension, 1));
    q /= sqrt(q.squaredNorm());
    std::vector<S> alpha, beta;
    const S tolerance(options.tolerance);
    const S breakdown = S(10) * ScalarTraits<S>::epsilon() * sqrt(S(dimension));
    const Index limit = std::min(options.max_iterations, dimension);
    LanczosResult<S> result;
    S scale(0);
    Vector<S> s;
    for (Index j = 0; j < limit; ++j) {
        basis.push_back(q);
        Vector<S> w = apply(q);
        alpha.push_back(q.dot(w));
        w -= alpha.back() * q;
        if (j > 0) w -= beta.back() * basis[static_cast<std::size_t>(j - 1)];
        for (int pass = 0; pass < 2; ++pass)
            for (const Vector<S>& b : basis) w -= b.dot(w) * b;
        beta.push_back(sqrt(w.squaredNorm()));
        result.iterations = j + 1;

        const Index m = j + 1;
        scale = max(scale, S(abs(alpha.back()) + beta.back()));
        const bool invariant = beta.back() <= breakdown * scale;
        // The O(m^3) Ritz test runs at every step up to 8, then every 4th step (and at
        // the last step); the breakdown test runs at every step.
        if (!(invariant || m <= 8 || m % 4 == 0 || m == limit)) {
            q = w / beta.back();
            continue;
        }
        Matrix<S> t = Matrix<S>::Zero(m, m);
        for (Index i = 0; i < m; ++i) {
            t(i, i) = alpha[static_cast<std::size_t>(i)];
            if (i + 1 < m) t(i + 1, i) = t(i, i + 1) = beta[static_cast<std::size_t>(i)];
        }
        const SymmetricEigen<S> eig = symmetric_eigen(t);
        result.eigenvalue = eig.eigenvalues(m - 1);
        s = eig.eigenvectors.col(m - 1);
        const S estimate = abs(beta.back() * s(m - 1));
        if (estimate <= tolerance * abs(result.eigenvalue) || invariant || m == dimension) {
            result.converged = true;
            break;
        }
        q = w / beta.back();
    }
    result.eigenvector = Vector<S>::Zero(dimension);
    for (std::size_t i = 0; i < basis.size(); ++i) result.eigenvector += s(static_cast<Index>(i)) * basis[i];
    result.eigenvector /= sqrt(result.eigenvector.squaredNorm());
    return result;
}

}  // namespace ncverify
