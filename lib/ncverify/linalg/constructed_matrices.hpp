#pragma once
// Matrices with a prescribed spectrum, for tests, demonstrations and the property-test
// generators: A = U diag(s) V^T with U, V having orthonormal columns.
//
// random_orthonormal_columns(n, k): the first k columns of Q = H_1 ... H_k, each H_j a
// Householder reflection I - 2 v v^T / (v^T v) with v Gaussian (drawn in double, then
// converted exactly), evaluated in S. Q^T Q = I up to a few eps of the working
// precision, so constructed singular values are exact to that level.

#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

template <class S>
Matrix<S> random_orthonormal_columns(Index n, Index k, RandomSource& random) {
    if (k > n)
        throw InvalidArgument("random_orthonormal_columns: " + std::to_string(k) + " orthonormal columns do not fit in R^" +
                              std::to_string(n));
    Matrix<S> q = Matrix<S>::Identity(n, k);
    for (Index j = 0; j < k; ++j) {
        const Vector<S> v = from_double<S>(random.gaussian_matrix(n, 1));
        const S scale = S(2) / v.squaredNorm();
        // q <- (I - scale v v^T) q, applied without forming the reflection.
        const Eigen::Matrix<S, 1, Eigen::Dynamic> vt_q = v.transpose() * q;
        q -= (scale * v) * vt_q;
    }
    return q;
}

/// rows x cols matrix U diag(s) V^T with the given singular values (s.size() <= min).
template <class S>
Matrix<S> matrix_with_singular_values(Index rows, Index cols, const Vector<S>& s, RandomSource& random) {
    const Index k = s.size();
    if (k > std::min(rows, cols))
        throw InvalidArgument("matrix_with_singular_values: " + std::to_string(k) + " singular values for a " +
                              std::to_string(rows) + "x" + std::to_string(cols) + " matrix");
    const Matrix<S> u = random_orthonormal_columns<S>(rows, k, random);
    const Matrix<S> v = random_orthonormal_columns<S>(cols, k, random);
    return multiply(u * s.asDiagonal(), v.transpose());
}

}  // namespace ncverify
