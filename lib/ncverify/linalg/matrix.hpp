#pragma once
// Dense matrix and vector types over a scalar S, and exact conversions between kinds.

#include <Eigen/Core>

#include "ncverify/scalar/scalar_traits.hpp"

namespace ncverify {

template <class S>
using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
using Index = Eigen::Index;

/// Exact conversion of a double matrix to scalar S (every double is representable at
/// any working precision >= 53 bits).
template <class S, class Derived>
Matrix<S> from_double(const Eigen::MatrixBase<Derived>& m) {
    return m.template cast<double>().unaryExpr([](double x) { return ScalarTraits<S>::from_double(x); });
}

/// Round-to-nearest conversion to double.
template <class Derived>
Matrix<double> to_double(const Eigen::MatrixBase<Derived>& m) {
    using S = typename Derived::Scalar;
    return m.unaryExpr([](const S& x) { return ScalarTraits<S>::to_double(x); });
}

/// Copies an Mpfr matrix created at another precision into the working precision
/// (rounding to nearest when it has more bits). The explicit way across precisions.
template <class Derived>
Matrix<Mpfr> convert_precision(const Eigen::MatrixBase<Derived>& m) {
    Matrix<Mpfr> result(m.rows(), m.cols());
    for (Index j = 0; j < m.cols(); ++j)
        for (Index i = 0; i < m.rows(); ++i)
            mpfr_set(result(i, j).backend().data(), m.derived().coeff(i, j).backend().data(), MPFR_RNDN);
    return result;
}

/// True when every entry is finite.
template <class Derived>
bool all_finite(const Eigen::MatrixBase<Derived>& m) {
    using S = typename Derived::Scalar;
    for (Index j = 0; j < m.cols(); ++j)
        for (Index i = 0; i < m.rows(); ++i)
            if (!ScalarTraits<S>::is_finite(m.derived().coeff(i, j))) return false;
    return true;
}

}  // namespace ncverify
