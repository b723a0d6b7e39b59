#pragma once
// Symmetric eigendecomposition B = Q diag(lambda) Q^T of a symmetric matrix, eigenvalues
// ascending, in double or at the working MPFR precision (Eigen's
// SelfAdjointEigenSolver: tridiagonalisation + implicit QR).
//
// Contract: only the lower triangle of B is read; B must be square and finite (throws
// ShapeMismatch / NonFiniteValue). Each eigenvalue is within c * eps * ||B||_op of the
// exact one (backward stable). Explicitly instantiated for double and Mpfr.

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

template <class S>
struct SymmetricEigen {
    Vector<S> eigenvalues;  // ascending
    Matrix<S> eigenvectors;  // orthonormal columns, eigenvectors.col(i) for eigenvalues(i)
};

template <class S>
SymmetricEigen<S> symmetric_eigen(const Matrix<S>& b);

/// Eigenvalues only, ascending.
template <class S>
Vector<S> symmetric_eigenvalues(const Matrix<S>& b);

extern template SymmetricEigen<double> symmetric_eigen(const Matrix<double>&);
extern template SymmetricEigen<Mpfr> symmetric_eigen(const Matrix<Mpfr>&);
extern template Vector<double> symmetric_eigenvalues(const Matrix<double>&);
extern template Vector<Mpfr> symmetric_eigenvalues(const Matrix<Mpfr>&);

}  // namespace ncverify
