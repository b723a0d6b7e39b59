// Explicit instantiation of the SVD for Mpfr (one scalar per translation unit).
#include "ncverify/linalg/singular_value_decomposition_impl.hpp"

namespace ncverify {
template SingularValueDecomposition<Mpfr> thin_svd(const Matrix<Mpfr>&);
template Vector<Mpfr> singular_values(const Matrix<Mpfr>&);
}  // namespace ncverify
