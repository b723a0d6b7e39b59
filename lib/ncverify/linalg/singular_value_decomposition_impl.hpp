#pragma once
// Definitions behind singular_value_decomposition.hpp; included only by the
// per-scalar instantiation files.

#include <Eigen/SVD>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify::detail {

template <class S>
void require_decomposable(const Matrix<S>& a, const char* what) {
    if (!all_finite(a))
        throw NonFiniteValue(std::string(what) + ": the " + std::to_string(a.rows()) + "x" +
                             std::to_string(a.cols()) + " matrix has a NaN or infinite entry");
    require_working_precision(a, what);
}

}  // namespace ncverify::detail

namespace ncverify {

template <class S>
SingularValueDecomposition<S> thin_svd(const Matrix<S>& a) {
    detail::require_decomposable(a, "thin_svd");
    Eigen::JacobiSVD<Matrix<S>> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
    return {svd.matrixU(), svd.singularValues(), svd.matrixV()};
}

template <class S>
Vector<S> singular_values(const Matrix<S>& a) {
    detail::require_decomposable(a, "singular_values");
    Eigen::JacobiSVD<Matrix<S>> svd(a);
    return svd.singularValues();
}

}  // namespace ncverify
