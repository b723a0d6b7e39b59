#pragma once
// Traces and Frobenius norms, including those of products, without forming a product
// when it is not needed:
//   trace_of_product(A, B) = tr(A B) = sum_ij A_ij B_ji       O(mn), no product formed
//   frobenius_norm(A)       = sqrt(sum_ij A_ij^2)
//   squared_frobenius_norm(A)
//   frobenius_norm_of_product(A, B) = ||A B||_F               one product
// Sums are accumulated in the working precision (relative error <= n * eps times the
// sum of absolute values).

#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"

namespace ncverify {

template <class DA, class DB>
typename DA::Scalar trace_of_product(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    if (a.rows() != b.cols() || a.cols() != b.rows())
        throw ShapeMismatch("trace_of_product: shapes " + std::to_string(a.rows()) + "x" + std::to_string(a.cols()) +
                            " and " + std::to_string(b.rows()) + "x" + std::to_string(b.cols()) +
                            " do not give a square product");
    return a.cwiseProduct(b.transpose()).sum();
}

template <class Derived>
typename Derived::Scalar squared_frobenius_norm(const Eigen::MatrixBase<Derived>& a) {
    return a.squaredNorm();
}

template <class Derived>
typename Derived::Scalar frobenius_norm(const Eigen::MatrixBase<Derived>& a) {
    using std::sqrt;
    return sqrt(a.squaredNorm());
}

template <class DA, class DB>
typename DA::Scalar frobenius_norm_of_product(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    return frobenius_norm(multiply(a, b));
}

}  // namespace ncverify
