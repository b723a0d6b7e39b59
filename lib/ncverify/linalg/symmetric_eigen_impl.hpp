#pragma once
// Definitions behind symmetric_eigen.hpp; included only by the per-scalar
// instantiation files.

#include <Eigen/Eigenvalues>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/singular_value_decomposition_impl.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"

namespace ncverify::detail {

template <class S>
void require_symmetric_input(const Matrix<S>& b, const char* what) {
    if (b.rows() != b.cols())
        throw ShapeMismatch(std::string(what) + ": matrix is " + std::to_string(b.rows()) + "x" +
                            std::to_string(b.cols()) + ", a square matrix is required");
    require_decomposable(b, what);
}

}  // namespace ncverify::detail

namespace ncverify {

template <class S>
SymmetricEigen<S> symmetric_eigen(const Matrix<S>& b) {
    detail::require_symmetric_input(b, "symmetric_eigen");
    Eigen::SelfAdjointEigenSolver<Matrix<S>> solver(b, Eigen::ComputeEigenvectors);
    return {solver.eigenvalues(), solver.eigenvectors()};
}

template <class S>
Vector<S> symmetric_eigenvalues(const Matrix<S>& b) {
    detail::require_symmetric_input(b, "symmetric_eigenvalues");
    Eigen::SelfAdjointEigenSolver<Matrix<S>> solver(b, Eigen::EigenvaluesOnly);
    return solver.eigenvalues();
}

}  // namespace ncverify
