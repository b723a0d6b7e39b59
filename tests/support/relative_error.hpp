#pragma once
// Helpers shared by the tests: relative errors computed in the scalar under test and
// reported as double (for gtest messages).

#include <cmath>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify::testing {

/// The working epsilon of S (2^-52 for double, 2^(1-bits) for Mpfr), as a double.
template <class S>
double eps() {
    return ScalarTraits<S>::to_double(ScalarTraits<S>::epsilon());
}

/// |computed - exact| / |exact| in S, rounded to double.
template <class S>
double relative_error(const S& computed, const S& exact) {
    using std::abs;
    return ScalarTraits<S>::to_double(abs(computed - exact) / abs(exact));
}

/// max_i |computed_i - exact_i| / |exact_i|.
template <class S>
double max_relative_error(const Vector<S>& computed, const Vector<S>& exact) {
    double worst = 0;
    for (Index i = 0; i < exact.size(); ++i) worst = std::max(worst, relative_error<S>(computed(i), exact(i)));
    return worst;
}

/// ||a - b||_F / ||b||_F, rounded to double.
template <class DA, class DB>
double relative_matrix_error(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    using S = typename DA::Scalar;
    using std::sqrt;
    return ScalarTraits<S>::to_double(sqrt((a - b).squaredNorm() / b.squaredNorm()));
}

}  // namespace ncverify::testing
