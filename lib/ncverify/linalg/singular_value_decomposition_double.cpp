// Explicit instantiation of the SVD for double (one scalar per translation unit).
#include "ncverify/linalg/singular_value_decomposition_impl.hpp"

namespace ncverify {
template SingularValueDecomposition<double> thin_svd(const Matrix<double>&);
template Vector<double> singular_values(const Matrix<double>&);
}  // namespace ncverify
