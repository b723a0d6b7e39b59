#pragma once
// multiply(A, B): the matrix product on every scalar path.
//
// - double: Eigen's blocked, vectorised GEMM, run sequentially on panels of
//   product_panel_columns columns of the result; the panels are shared among the OpenMP
//   threads. The panels depend only on the shapes, and each is computed by the same
//   sequential code whichever thread takes it, so the product is bit-identical for every
//   thread count (Eigen's own parallel GEMM is disabled, EIGEN_DONT_PARALLELIZE: its
//   depth blocking depends on the number of threads, which changes the rounding).
// - Mpfr: handed to Arb's arb_mat_approx_mul at the working precision, after an exact
//   O(n^2) conversion, then rounded to nearest at the working precision. Measured
//   (bench/, shared/notes/MULTIPRECISION.md) ~15x faster than Eigen's generic product on
//   Boost mpfr_float, which must never be used for large MPFR products.
//
// Accuracy: every entry is within a few units of the working precision relative to
// sum_k |a_ik||b_kj| (like any floating-point dot product); no error bound is carried.
// Certified products are certified_multiply on ArbMatrix.

#include <algorithm>
#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/arb_matrix.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// Width of the column panels of the double product (see the header comment): wide
/// enough for Eigen's GEMM to reach its speed, narrow enough to balance 2-16 threads on
/// the products of a training step (N and n_l in the hundreds to thousands).
inline constexpr Index product_panel_columns = 64;

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
        const Index panels = (b.cols() + product_panel_columns - 1) / product_panel_columns;
        // Threads only pay off above ~1 Mflop; the panels are the same either way.
        const bool parallel = panels > 1 && static_cast<double>(a.rows()) * static_cast<double>(a.cols()) *
                                                    static_cast<double>(b.cols()) > 1e6;
#pragma omp parallel for schedule(static) if (parallel)
        for (Index panel = 0; panel < panels; ++panel) {
            const Index first = panel * product_panel_columns;
            const Index count = std::min(product_panel_columns, b.cols() - first);
            c.middleCols(first, count).noalias() = a * b.middleCols(first, count);
        }
        return c;
    } else {
        require_working_precision(a, "multiply (left operand)");
        require_working_precision(b, "multiply (right operand)");
        return approx_multiply(ArbMatrix::exact(a), ArbMatrix::exact(b), working_precision_bits())
            .template midpoints<Mpfr>();
    }
}

}  // namespace ncverify
