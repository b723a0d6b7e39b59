#pragma once
// The double SVD of large matrices: LAPACK's dgesdd (divide and conquer, from OpenBLAS),
// called on the calling thread only (OpenBLAS limited to one thread, as for the products:
// linalg/blas_product.hpp), so the bits do not depend on the thread count.
//
// Accuracy (LAPACK Users' Guide, §4.9): backward stable, each computed s_i within
// p(m, n) eps s_1 of the exact one, p a modest function of m and n — the same contract as
// the Jacobi route (singular_value_decomposition.hpp). Unlike Jacobi it does not give high
// relative accuracy of tiny s_i on graded matrices; nothing here relies on that. Checked
// against constructed spectra and against JacobiSVD in tests/linalg/lapack_svd_test.cpp,
// including the case where Eigen's BDCSVD (also divide and conquer) failed.
//
// Cost: for an m x n matrix with m <= n, about 4 m^2 n flops for the values and 14 m^2 n
// with thin U, V (LQ first when n >> m), mostly in BLAS-3, against Jacobi's ~ 10 sweeps
// of m^2 n rotations at a few flops per cycle: 30-100x faster at m = 512.

#include <optional>

#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify::detail {

/// The thin SVD of a (finite, checked by the caller) by dgesdd: singular values
/// descending; U and V when `with_vectors`, else empty. nullopt when dgesdd reports that
/// its bidiagonal divide and conquer did not converge (INFO > 0), so that the caller can
/// fall back to Jacobi. Throws InvalidArgument when a dimension exceeds LAPACK's 32-bit
/// integers.
std::optional<SingularValueDecomposition<double>> lapack_thin_svd(const Matrix<double>& a, bool with_vectors);

}  // namespace ncverify::detail
