#pragma once
// Checker T5 (paper Thm 5.2; explicit version proved in proofs_notes/T5_near_optimal.md,
// whose step IDs and quantity names are used): near-optimal solutions are well
// conditioned.
//
// On a CheckState (linear head + H_{L1}; registered as a state checker):
//   hypotheses (T5.0): K >= 2, L2 >= 2, balanced classes, B1 (n_l >= K for L1 <= l <= L),
//     e_op = ||H_L - Y||_op < sqrt(n);
//   part (a) T5.1 (every k <= K), T5.2 - T5.4: the Schatten cost bound
//     schatten = sum_i s_i(A)^{2/L2} <= ... <= lin_cost/L2 (no optimality needed);
//   part (b) T5.5, T5.6: the measured form kappa_A^{2/L2} <= kA_pow_meas =
//     (lin_cost/L2) a_min^{-2/L2} - (K - 1), a_min = (sqrt(n) - e_op)/||H_{L1}||_op;
//   T5.14 for every linear pair (any state): ||D_j||_op <= Dj_bound;
//   T5.16 first part when L2 = 2 (any state): |s_i(W_L)^2 - s_i(A)| <= s1_W sqrt(gap_S).
//   Conclusion: kappa_A^{2/L2} <= kA_pow_meas (T5.6, measured form).
//
// On a NetworkCheckState (the whole network: C_lambda(theta) needs the nonlinear weights),
// additionally, when lambda = options.weight_decay > 0:
//   T5.9 F_op <= Phi(u_nl) (sigma 1-Lipschitz with sigma(0) = 0, hypothesis B2, decided
//     from the activation);
//   part (e) T5.17 and T5.18: LB_cert <= min C_lambda on the grids of §2.6
//     (t5_lb_grid_points points in u and in t), LB_cert <= C_lambda(theta) and <= C_best;
//     evaluated in the working precision (every term is monotone in the grid variables,
//     so the grid argument is exact; the evaluation is not in interval arithmetic);
//   part (d) with eps_cert = C_lambda(theta) - LB_cert (an upper bound on the true
//     suboptimality, so H-opt holds with eps = eps_cert): T5.13 (gap_S, gap_j <=
//     2 eps_cert/lambda), T5.15 (eps2_chain <= eps2_opt, and the T2.b6 bound on
//     kappa_W^{2 L2} with R_chain when sK_A^2 > R_chain), T5.16 (L2 = 2, kappa_W^2 bound);
//   the epsilon-optimality report (notes, never steps): C_lambda(theta), and with
//     options.best_loss = C_best, eps_est = C_lambda(theta) - C_best, labelled an
//     *estimate* (min C_lambda <= C_best, so the true suboptimality is >= eps_est), the
//     gap C_best - LB_cert, and the part-(d) bounds evaluated with eps_est (also labelled
//     estimates); conjecture C-T5 as a note.
// Not evaluated (planned, see the note's Checked-by table): part (c) (T5.7, T5.8, T5.10,
// T5.12) needs a user-supplied competitor W* (H-comp); T5.11 needs a criterion for
// "critical point" with a tolerance derived from ||grad C_lambda||.
//
// Rounding (verdict.hpp): sides built from the smallest singular values are compared at
// kappa times their size; gap_S and gap_j are differences of nearly equal numbers, with
// absolute rounding delta = tau (||W_j||_F^2 + ||W_{j+1}||_F^2) (resp. tau lin_cost),
// which a square root turns into 2 rho sqrt(delta) + delta on the side of T5.14 / T5.16.
//
// Certified mode (certify_t5_near_optimal, t5_near_optimal_certified.cpp): the hypotheses of
// T5.0 and the measured form T5.6 with every quantity enclosed (certificate.hpp).

#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/network_check_state.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

/// Grid points in u (the nonlinear weight norm) and in t (the singular values of H_L) of
/// the certified lower bound LB_cert (proofs_notes/T5_near_optimal.md §2.6).
inline constexpr Index t5_lb_grid_points = 400;

template <class S>
Verdict check_t5_near_optimal(const CheckState<S>& state, const CheckerOptions& options = {});

/// Certified mode: T5.0 and kappa_A^{2/L2} <= kA_pow_meas (T5.6) enclosed, at the precision of `state`.
Certificate certify_t5_near_optimal(const CertifiedState& state, const CheckerOptions& options = {});

template <class S>
Verdict check_t5_near_optimal(const NetworkCheckState<S>& state, const CheckerOptions& options = {});

/// LB_cert of §2.6 (T5.18) for S = double or Mpfr: a lower bound on min C_lambda over all
/// networks of the given depth on data with ||X||_op = x_op, K classes of n samples, for a
/// 1-Lipschitz activation with sigma(0) = 0 (Phi(u) = x_op (u/L1)^{L1/2}), given an upper
/// bound C_ub >= min C_lambda; `grid_points` points in u in [0, 2 C_ub/lambda] and in t in
/// [0, sqrt(n)]. Requires lambda > 0.
template <class S>
S t5_certified_lower_bound(const S& x_op, Index K, Index n, Index L1, Index L2, const S& lambda, const S& C_ub,
                           Index grid_points = t5_lb_grid_points);

extern template Verdict check_t5_near_optimal(const CheckState<double>&, const CheckerOptions&);
extern template Verdict check_t5_near_optimal(const CheckState<Mpfr>&, const CheckerOptions&);
extern template Verdict check_t5_near_optimal(const NetworkCheckState<double>&, const CheckerOptions&);
extern template Verdict check_t5_near_optimal(const NetworkCheckState<Mpfr>&, const CheckerOptions&);
extern template double t5_certified_lower_bound(const double&, Index, Index, Index, Index, const double&, const double&,
                                                Index);
extern template Mpfr t5_certified_lower_bound(const Mpfr&, Index, Index, Index, Index, const Mpfr&, const Mpfr&, Index);

}  // namespace ncverify
