#pragma once
// Thin singular value decomposition A = U diag(s) V^T (A is m x n, k = min(m, n);
// U is m x k, V is n x k, s descending and >= 0), in double or at the working MPFR
// precision, by Eigen's JacobiSVD (two-sided Jacobi after a column-pivoting QR
// preconditioner); in double with k > jacobi_svd_dimension_limit, by LAPACK's dgesdd
// (linalg/lapack_svd.hpp: same accuracy contract, 30-100x faster at k = 512; Jacobi
// again if dgesdd does not converge). Feature matrices of real models (512 x 50,000)
// take the LAPACK route; heads (K x n_l) and everything of size K stay on Jacobi.
//
// Accuracy (backward stable): each computed s_i is within c * eps * s_1 of the exact
// one, c a modest multiple of max(m, n); relative accuracy of tiny s_i therefore needs
// a precision whose eps is below the target relative error times s_i / s_1. Measured in
// tests/linalg/singular_values_test.cpp against constructed spectra.
// Why not BDCSVD (divide and conquer, 2-4x faster): Eigen 3.4.0's BDCSVD returned s_10 =
// 2.03e-6 for a 21 x 20 rank-11 matrix whose s_10 is 1.69e-6 (JacobiSVD, and the
// construction), an error 1e9 times the backward-error bound, found by the Moore-Penrose
// property of tests/linalg/linalg_properties_test.cpp (seed in the foundation's notes).
//
// Throws NonFiniteValue on a NaN or infinite entry, and PrecisionMismatch (Mpfr) when
// an entry is not at the working precision. Explicitly instantiated for double and Mpfr
// (one translation unit each: multiprecision SVDs are expensive to compile).

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// Above this min(m, n), double SVDs go to LAPACK (the Jacobi sweeps cost ~ k^2 max(m, n)
/// rotations each: seconds at k = 512).
inline constexpr Index jacobi_svd_dimension_limit = 64;

template <class S>
struct SingularValueDecomposition {
    Matrix<S> U;
    Vector<S> singular_values;
    Matrix<S> V;
};

template <class S>
SingularValueDecomposition<S> thin_svd(const Matrix<S>& a);

/// The singular values only (descending); cheaper than thin_svd.
template <class S>
Vector<S> singular_values(const Matrix<S>& a);

extern template SingularValueDecomposition<double> thin_svd(const Matrix<double>&);
extern template SingularValueDecomposition<Mpfr> thin_svd(const Matrix<Mpfr>&);
extern template Vector<double> singular_values(const Matrix<double>&);
extern template Vector<Mpfr> singular_values(const Matrix<Mpfr>&);

}  // namespace ncverify
