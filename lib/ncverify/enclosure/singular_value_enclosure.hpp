#pragma once
// Rigorous enclosures of every singular value of a ball matrix, and of every eigenvalue
// of a symmetric one: an approximate SVD (in double or at an MPFR precision) turned
// into a proof by a residual certificate. The certificate is Theorem C1 of
// proofs_notes/certificate.md:
//
//   for A (m x n, m >= n), any n x n matrix V~, m x n matrix U~ and numbers s~_1 >= ... >= s~_n >= 0, with
//     r >= ||A V~ - U~ diag(s~)||_F,  f >= ||U~^T U~ - I||_F < 1,  g >= ||V~^T V~ - I||_F < 1,
//   every singular value satisfies
//     (sqrt(1 - f) s~_i - r) / sqrt(1 + g)  <=  s_i(A)  <=  (sqrt(1 + f) s~_i + r) / sqrt(1 - g).
//
// r, f, g are bounded in ball arithmetic, so the enclosures hold for every matrix inside
// the ball matrix, in particular for the exact one it encloses. A wide matrix is
// handled through its transpose (same singular values); a tall one with m >= 4n through
// its Gram matrix A^T A (s_i(A) = sqrt(s_i(A^T A))), which is cheaper but doubles the
// relative width of small singular values (it scales like kappa(A)^2 u instead of
// kappa(A) u). Eigenvalues of a symmetric A: lambda_i(A) = s_i(A + c I) - c with
// c >= ||A||_op (A + cI is positive semidefinite), Theorem C2 of the note.
//
// Widths: about max(u_approx, u_ball) * s_1 in absolute terms, where u_approx is the
// unit roundoff of the approximate SVD (2^-53 for double) and u_ball that of the
// enclosure precision (enclosure/ball.hpp). When f or g reaches 1 (an approximate SVD
// too poor to certify anything) every enclosure is [0, +inf].

#include <vector>

#include "ncverify/enclosure/ball.hpp"
#include "ncverify/linalg/arb_matrix.hpp"

namespace ncverify {

struct SingularValueEnclosure {
    std::vector<Ball> values;  // s_1 >= ... >= s_k, k = min(m, n)
    double residual = 0;       // r of Theorem C1 (for the Gram route: of A^T A)
    double orthogonality_u = 0, orthogonality_v = 0;  // f, g
    bool gram_route = false;

    /// s_1 = ||A||_op (+inf upper bound for an empty matrix is never produced: k >= 1).
    const Ball& spectral_norm() const { return values.front(); }
    /// Number of singular values that are certainly > 0 (a lower bound on the rank).
    Index certainly_nonzero() const;
    /// Number of singular values that are certainly < threshold (an upper-bound
    /// statement: at least this many are below it).
    Index certainly_below(const Ball& threshold) const;
    /// kappa = s_1 / s_rank for 1 <= rank <= k; an unbounded ball when s_rank is not
    /// certainly positive. Throws InvalidArgument for a rank outside [1, k].
    Ball condition_number(Index rank) const;
};

/// The enclosures of all singular values of `a` (nonempty). `approximation_bits` is the
/// precision of the approximate SVD: 53 means double, more means MPFR at that many bits
/// (JacobiSVD, linalg/singular_value_decomposition.hpp). The enclosure precision is the
/// current BallPrecisionScope. Throws ShapeMismatch for an empty matrix and
/// NonFiniteValue when a midpoint is not finite.
SingularValueEnclosure enclose_singular_values(const ArbMatrix& a, unsigned approximation_bits);

/// The enclosures of all eigenvalues lambda_1 >= ... >= lambda_n of a matrix that is
/// symmetric in exact arithmetic (the caller's contract; e.g. W^T W - V V^T), by Theorem C2.
std::vector<Ball> enclose_symmetric_eigenvalues(const ArbMatrix& a, unsigned approximation_bits);

}  // namespace ncverify
