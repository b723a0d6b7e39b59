#pragma once
// multiply(A, B): the matrix product on every scalar path.
//
// - double: Eigen's blocked, vectorised GEMM (parallel over OpenMP threads when the
//   build enables it).
// - Mpfr: handed to Arb's arb_mat_approx_mul at the working precision, after an exact
//   O(n^2) conversion, then rounded to nearest at the working precision. Measured
//   (bench/, shared/notes/MULTIPRECISION.md) ~15x faster than Eigen's generic product on
//   Boost mpfr_float, which must never be used for large MPFR products.
//
// Accuracy: every entry is within a few units of the working precision relative to
// sum_k |a_ik||b_kj| (like any floating-point dot product); no error bound is carried.
// Certified products are certified_multiply on ArbMatrix.

#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/arb_matrix.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

template <class DA, class DB>
Matrix<typename DA::Scalar> multiply(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    using S = typename DA::Scalar;
    static_assert(std::is_same_v<S, typename DB::Scalar>, "multiply: operands must share the scalar type");
    if (a.cols() != b.rows())
        throw ShapeMismatch("multiply: left operand is " + std::to_string(a.rows()) + "x" + std::to_string(a.cols()) +
                            ", right operand is " + std::to_string(b.rows()) + "x" + std::to_string(b.cols()) +
                            "; inner dimensions must agree");
    if constexpr (std::is_same_v<S, double>) {
        Matrix<double> c(a.rows(), b.cols());
        c.noalias() = a * b;
        return c;
    } else {
        require_working_precision(a, "multiply (left operand)");
        require_working_precision(b, "multiply (right operand)");
        return approx_multiply(ArbMatrix::exact(a), ArbMatrix::exact(b), working_precision_bits())
            .template midpoints<Mpfr>();
    }
}

}  // namespace ncverify
