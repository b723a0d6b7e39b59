// Explicit instantiation of the symmetric eigensolver for Mpfr.
#include "ncverify/linalg/symmetric_eigen_impl.hpp"

namespace ncverify {
template SymmetricEigen<Mpfr> symmetric_eigen(const Matrix<Mpfr>&);
template Vector<Mpfr> symmetric_eigenvalues(const Matrix<Mpfr>&);
}  // namespace ncverify
