#pragma once
// Checker T6 (paper Prop. 5.3; explicit version proved in
// proofs_notes/T6_large_step_stability.md, whose step IDs and quantity names are used):
// solutions stable under large step sizes are well conditioned.
//
// Input: a NetworkCheckState (the whole network and its data: the Hessian of C_lambda
// involves every layer), lambda = options.weight_decay (0 when absent) and eta =
// options.learning_rate (the hypothesis forms are skipped, with a note, when absent).
//
// Hypotheses (T6.0): K >= 2, balanced classes, e_op = ||H_L - Y||_op < sqrt(n); with eta,
// the stability hypothesis sharp <= 2/eta; with user constants, e_op <= eps1 < sqrt(n)
// (options.epsilon1) and rho = max_{l > L1} ||W_l||_op <= radius (options.radius).
//
// Sharpness. sharp = lambda_max(nabla^2 C_lambda) is estimated by Lanczos on exact
// Hessian-vector products (metrics/sharpness.hpp; at most t6_lanczos_max_iterations
// steps, relative Ritz tolerance t6_lanczos_tolerance). A Ritz value is an estimate
// *from below* of lambda_max: the stability hypothesis is therefore reported *as
// measured* (sharp_est <= 2/eta cannot certify sharp <= 2/eta; sharp_est > 2/eta does
// show that it fails), and the steps with `sharp` on the large side (T6.2, T6.11) are
// compared with sharp_est + ||H v - sharp_est v|| (the Ritz residual), so that a Lanczos
// run that has not reached the top eigenvalue shows up as a violated step, never as a
// silent pass. The sharpness forms of T6.6 use sharp_est itself, which makes them
// stricter than the theorem (their right side is increasing in sharp).
//
// Steps, for every linear layer l = L1+1 .. L (suffix [l]):
//   T6.1  block identity: the W_l component of (nabla^2 C_lambda) U, U random supported on
//         W_l, equals A_gt(l)^T A_gt(l) U H_{l-1} H_{l-1}^T + lambda U (identity at the
//         scale (||A_gt(l)||_F^2 ||H_{l-1}||_F^2 + lambda) ||U||_F of its rounding);
//   T6.2  blk_l <= sharp_est + residual;  T6.3, T6.4 (an identity for l = L, where
//         A_gt(L) = I_K), T6.5;  T6.6 kappa_Age_l^2 <= kappa_stab_l (the measured form,
//         which needs no sharpness), <= (sharp_est - lambda) ||W_l||^2/(sqrt(n) - e_op)^2,
//         and with eta the hypothesis form (2/eta - lambda) rho^2/(sqrt(n) - eps1)^2.
// Then (L2 >= 2) T6.7 with c3^2 := kappa_stab_{L1+1} (and with the hypothesis c3 when eta
// is given); T6.8 - T6.11 for u = the top left singular vector of A and for one random
// unit u (suffix [rand]); T6.12 when eta is given; T6.13 (L2 >= 2) with kappa_W replaced
// by sqrt(kappa_stab_L) and by the T6.7 bound. Conjecture C-T6 is reported as a note.
//
// Conclusion: the measured form of T6.6, kappa_Age_l^2 <= kappa_stab_l, for the linear
// layer with the largest ratio (l = L1+1 is kappa(A)^2, l = L is kappa(W_L)^2).
//
// Certified mode is not available for T6 (no `certify` in the registry): the sharpness
// is only estimated from below, and enclosing the Hessian blocks is not part of this
// checker. The registry lists T6 with kind `network`; run_checkers (which reads a
// CheckState) skips it; run_network_checkers runs it.

#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/network_check_state.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

/// Lanczos settings of the sharpness estimate used by T6 (metrics/sharpness.hpp).
inline constexpr double t6_lanczos_tolerance = 1e-12;
inline constexpr Index t6_lanczos_max_iterations = 400;

template <class S>
Verdict check_t6_large_step_stability(const NetworkCheckState<S>& state, const CheckerOptions& options = {});

extern template Verdict check_t6_large_step_stability(const NetworkCheckState<double>&, const CheckerOptions&);
extern template Verdict check_t6_large_step_stability(const NetworkCheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
