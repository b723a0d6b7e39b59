#pragma once
// Numerical rank and condition number over the nonzero part of the spectrum:
//   rank_rule.rank(s) = r,   kappa(A) = s_1(A) / s_r(A)   (THEORY.md §2).
// kappa of the zero matrix is defined as 1 (r = 0: no direction is stretched more than
// another); kappa(cA) = kappa(A) for c != 0 and kappa(A^T) = kappa(A) under the default
// rule, since both leave the ratios s_i / s_1 unchanged.

#include "ncverify/linalg/rank_rule.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify {

template <class S>
Index numerical_rank(const Matrix<S>& a, const RankRule& rule = RankRule::working_precision()) {
    return rule.rank(singular_values(a), a.rows(), a.cols());
}

/// kappa from already computed descending singular values of an m x n matrix.
template <class S>
S condition_number_from_singular_values(const Vector<S>& s, Index rows, Index cols, const RankRule& rule) {
    const Index r = rule.rank(s, rows, cols);
    if (r == 0) return S(1);
    return s(0) / s(r - 1);
}

template <class S>
S condition_number(const Matrix<S>& a, const RankRule& rule = RankRule::working_precision()) {
    return condition_number_from_singular_values(singular_values(a), a.rows(), a.cols(), rule);
}

}  // namespace ncverify
