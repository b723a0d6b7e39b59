#pragma once
// Enclosures of the balancedness matrices of metrics/balancedness.hpp (THEORY.md §2):
// D_l = W_{l+1}^T W_{l+1} - W_l W_l^T for consecutive weights W_l (n_l x n_{l-1}) and
// W_{l+1} (n_{l+1} x n_l), and of ||D_l||_op (Theorem C1 applied to D_l, whose singular
// values are the absolute values of its eigenvalues). Rigorous for every pair of
// matrices inside the ball matrices.

#include "ncverify/enclosure/singular_value_enclosure.hpp"

namespace ncverify {

/// D = W_next^T W_next - W W^T (n_l x n_l). Throws ShapeMismatch unless W_next.cols() == W.rows().
ArbMatrix enclose_balancedness_matrix(const ArbMatrix& w, const ArbMatrix& w_next);

/// ||D_l||_op enclosed, with the approximate SVD at `approximation_bits`.
Ball enclose_balancedness_gap(const ArbMatrix& w, const ArbMatrix& w_next, unsigned approximation_bits);

}  // namespace ncverify
