#pragma once
// Thin singular value decomposition A = U diag(s) V^T (A is m x n, k = min(m, n);
// U is m x k, V is n x k, s descending and >= 0), in double or at the working MPFR
// precision, by Eigen's BDCSVD (divide and conquer; Jacobi below 16 columns).
//
// Accuracy (backward stable): each computed s_i is within c * eps * s_1 of the exact
// one, c a modest multiple of max(m, n); relative accuracy of tiny s_i therefore needs
// a precision whose eps is below the target relative error times s_i / s_1. Measured in
// tests/linalg/singular_values_test.cpp against constructed spectra.
//
// Throws NonFiniteValue on a NaN or infinite entry, and PrecisionMismatch (Mpfr) when
// an entry is not at the working precision. Explicitly instantiated for double and Mpfr
// (one translation unit each: multiprecision SVDs are expensive to compile).

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

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
