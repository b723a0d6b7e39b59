#pragma once
// Spectral norm ||A||_op = s_1(A), the largest singular value (0 for an empty matrix).
// Accuracy: that of singular_values, i.e. relative error c * eps.

#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify {

template <class S>
S spectral_norm(const Matrix<S>& a) {
    if (a.size() == 0) return S(0);
    return singular_values(a)(0);
}

}  // namespace ncverify
