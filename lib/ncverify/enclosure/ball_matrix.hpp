#pragma once
// Rigorous arithmetic on ball matrices (ArbMatrix, linalg/arb_matrix.hpp): every result
// contains the exact result for every choice of matrices inside the operand balls.
// Results are rounded at the enclosure precision of the current BallPrecisionScope
// (enclosure/ball.hpp). Products: certified_multiply (linalg/arb_matrix.hpp), called
// here as certified_product at the scope's precision.
//
// Shapes are checked: ShapeMismatch names both operands' shapes.

#include "ncverify/enclosure/ball.hpp"
#include "ncverify/linalg/arb_matrix.hpp"

namespace ncverify {

/// An independent copy (ArbMatrix itself is move-only).
ArbMatrix copy_of(const ArbMatrix& a);
/// The exact identity of order n.
ArbMatrix identity_ball_matrix(Index n);
ArbMatrix transpose(const ArbMatrix& a);
/// A·B at the scope's precision (arb_mat_mul).
ArbMatrix certified_product(const ArbMatrix& a, const ArbMatrix& b);
ArbMatrix certified_sum(const ArbMatrix& a, const ArbMatrix& b);
ArbMatrix certified_difference(const ArbMatrix& a, const ArbMatrix& b);
ArbMatrix certified_scaled(const ArbMatrix& a, const Ball& factor);
/// The columns first .. first + count - 1.
ArbMatrix column_block(const ArbMatrix& a, Index first, Index count);

/// Entry (i, j) as a Ball.
Ball entry_ball(const ArbMatrix& a, Index i, Index j);
Ball certified_trace(const ArbMatrix& a);
/// ||A||_F^2 = sum of squared entries, and ||A||_F.
Ball certified_squared_frobenius_norm(const ArbMatrix& a);
Ball certified_frobenius_norm(const ArbMatrix& a);
/// A rigorous upper bound on ||A||_F over the ball matrix (cheap: no enclosure arithmetic).
double frobenius_norm_upper_bound(const ArbMatrix& a);
/// <a_col_i, b_col_j>: the inner product of column i of A and column j of B.
Ball certified_column_dot(const ArbMatrix& a, Index i, const ArbMatrix& b, Index j);

}  // namespace ncverify
