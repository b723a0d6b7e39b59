#pragma once
// multiply(A, B) and multiply_into(A, B, C): the matrix product on every scalar path.
//
// - double: OpenBLAS's dgemm on the operands' own storage (transposed and row-major
//   operands through the BLAS transpose flags, no copies), run single-threaded on column
//   panels of the result shared among the OpenMP threads (linalg/blas_product.hpp). The
//   panels depend only on the shapes and each is one sequential dgemm whichever thread
//   takes it, so the product is bit-identical for every thread count.
// - Mpfr: handed to Arb's arb_mat_approx_mul at the working precision, after an exact
//   O(n^2) conversion, then rounded to nearest at the working precision. Measured
//   (bench/, shared/notes/MULTIPRECISION.md) ~15x faster than Eigen's generic product on
//   Boost mpfr_float, which must never be used for large MPFR products.
//
// Accuracy: every entry is within a few units of the working precision relative to
// sum_k |a_ik||b_kj| (like any floating-point dot product); no error bound is carried.
// Certified products are certified_multiply on ArbMatrix.

#include <string>
#include <type_traits>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/arb_matrix.hpp"
#include "ncverify/linalg/blas_product.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

namespace detail {

template <class DA, class DB>
void require_product_shapes(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    static_assert(std::is_same_v<typename DA::Scalar, typename DB::Scalar>, "multiply: operands must share the scalar type");
    if (a.cols() != b.rows())
        throw ShapeMismatch("multiply: left operand is " + std::to_string(a.rows()) + "x" + std::to_string(a.cols()) +
                            ", right operand is " + std::to_string(b.rows()) + "x" + std::to_string(b.cols()) +
                            "; inner dimensions must agree");
}

/// The BLAS view of a double operand: its own storage when it has direct access with unit
/// inner stride (a matrix, a block of columns, a transpose or a row-major matrix), else
/// `storage` after evaluating the expression into it.
template <class D>
BlasOperand blas_operand(const Eigen::MatrixBase<D>& m, Matrix<double>& storage) {
    if constexpr ((int(D::Flags) & Eigen::DirectAccessBit) != 0) {
        if (m.innerStride() == 1)
            return {m.derived().data(), m.outerStride(), (int(D::Flags) & Eigen::RowMajorBit) != 0};
    }
    storage = m;
    return {storage.data(), storage.outerStride(), false};
}

}  // namespace detail

/// Sets `c` to A B (resized to rows(A) x cols(B) when its shape differs; its storage is
/// reused otherwise, so a loop that multiplies into the same `c` does not allocate in the
/// double path). `c` must not alias A or B. Throws ShapeMismatch naming both shapes when
/// the inner dimensions differ, PrecisionMismatch (Mpfr) when an operand is not at the
/// working precision.
template <class DA, class DB>
void multiply_into(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b, Matrix<typename DA::Scalar>& c) {
    using S = typename DA::Scalar;
    detail::require_product_shapes(a, b);
    if constexpr (std::is_same_v<S, double>) {
        if (c.rows() != a.rows() || c.cols() != b.cols()) c.resize(a.rows(), b.cols());
        if (c.size() == 0) return;
        Matrix<double> storage_a, storage_b;  // used only for operands without direct access
        blas_multiply_panels(a.rows(), b.cols(), a.cols(), detail::blas_operand(a, storage_a),
                             detail::blas_operand(b, storage_b), c.data(), c.outerStride());
    } else {
        require_working_precision(a, "multiply (left operand)");
        require_working_precision(b, "multiply (right operand)");
        c = approx_multiply(ArbMatrix::exact(a), ArbMatrix::exact(b), working_precision_bits()).template midpoints<Mpfr>();
    }
}

/// A B (see multiply_into).
template <class DA, class DB>
Matrix<typename DA::Scalar> multiply(const Eigen::MatrixBase<DA>& a, const Eigen::MatrixBase<DB>& b) {
    Matrix<typename DA::Scalar> c;
    multiply_into(a, b, c);
    return c;
}

}  // namespace ncverify
