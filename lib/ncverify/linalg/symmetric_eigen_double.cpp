// Explicit instantiation of the symmetric eigensolver for double.
#include "ncverify/linalg/symmetric_eigen_impl.hpp"

namespace ncverify {
template SymmetricEigen<double> symmetric_eigen(const Matrix<double>&);
template Vector<double> symmetric_eigenvalues(const Matrix<double>&);
}  // namespace ncverify
