#pragma once
// Moore-Penrose pseudo-inverse with an explicit rank rule:
//   A^+ = V_r diag(1/s_1, ..., 1/s_r) U_r^T,   r = rule.rank(s).
// With the exact rank it satisfies the four Penrose identities A A^+ A = A,
// A^+ A A^+ = A^+, (A A^+)^T = A A^+, (A^+ A)^T = A^+ A; with a truncated rank it is the
// pseudo-inverse of the best rank-r approximation of A.

#include "ncverify/linalg/product.hpp"
#include "ncverify/linalg/rank_rule.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify {

template <class S>
Matrix<S> pseudo_inverse(const Matrix<S>& a, const RankRule& rule = RankRule::working_precision()) {
    const SingularValueDecomposition<S> svd = thin_svd(a);
    const Index r = rule.rank(svd.singular_values, a.rows(), a.cols());
    Matrix<S> scaled_v = svd.V.leftCols(r);
    for (Index i = 0; i < r; ++i) scaled_v.col(i) /= svd.singular_values(i);
    return multiply(scaled_v, svd.U.leftCols(r).transpose());
}

}  // namespace ncverify
