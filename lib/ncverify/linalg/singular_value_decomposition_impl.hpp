#pragma once
// Definitions behind singular_value_decomposition.hpp; included only by the
// per-scalar instantiation files.

#include <Eigen/SVD>

#include <algorithm>
#include <type_traits>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/lapack_svd.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify::detail {

template <class S>
void require_decomposable(const Matrix<S>& a, const char* what) {
    if (!all_finite(a))
        throw NonFiniteValue(std::string(what) + ": the " + std::to_string(a.rows()) + "x" +
                             std::to_string(a.cols()) + " matrix has a NaN or infinite entry");
    require_working_precision(a, what);
}

/// The LAPACK route (double, min(m, n) > jacobi_svd_dimension_limit), or nullopt for Jacobi.
template <class S>
std::optional<SingularValueDecomposition<S>> large_double_svd(const Matrix<S>& a, bool with_vectors) {
    if constexpr (std::is_same_v<S, double>) {
        if (std::min(a.rows(), a.cols()) > jacobi_svd_dimension_limit) return lapack_thin_svd(a, with_vectors);
    }
    return std::nullopt;
}

}  // namespace ncverify::detail

namespace ncverify {

template <class S>
SingularValueDecomposition<S> thin_svd(const Matrix<S>& a) {
    detail::require_decomposable(a, "thin_svd");
    if (auto large = detail::large_double_svd(a, true)) return std::move(*large);
    Eigen::JacobiSVD<Matrix<S>> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    return {svd.matrixU(), svd.singularValues(), svd.matrixV()};
}

template <class S>
Vector<S> singular_values(const Matrix<S>& a) {
    detail::require_decomposable(a, "singular_values");
    if (auto large = detail::large_double_svd(a, false)) return std::move(large->singular_values);
    Eigen::JacobiSVD<Matrix<S>> svd(a);
    return svd.singularValues();
}

}  // namespace ncverify
