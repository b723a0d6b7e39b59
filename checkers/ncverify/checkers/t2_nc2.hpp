#pragma once
// Checker T2 (paper Theorem 3.1, second part; explicit version proved in
// proofs_notes/T2_nc2.md): interpolation + balancedness + conditioning => NC2 of the
// penultimate features H_{L-1}, measured by kappa(M) of the uncentred class means.
//
// Hypotheses (measured): K >= 2, L2 >= 2, balanced classes, n_j >= K for L1 <= j < L,
// ||H_L - Y||_op < sqrt(n); with user constants also ||H_L - Y||_F <= eps1 < sqrt(n),
// max_j ||D_j||_op <= eps2 (every linear pair, L1 < j < L) and ||W_j||_op <= r
// (L1 < j <= L), ||H_{L-2}||_op <= r (the radius plays both rho and r of §2.5).
//
// Conclusion: kappa_M <= KM_a, the measured form (a) of §2.2 (step T2.a9). It is the
// sharpest statement the note proves about NC2 and needs no positivity condition; the
// combined bound KM_final (T2.d2), which replaces kappa(W_L) by its bound from the
// features H_{L1}, is reported as a step, since it is defined only when a_K^meas > R.
//
// Steps, with the note's IDs and quantity names:
//   (a) T2.a1 - T2.a10 (T2.a10 only when its denominator (1 - delta)/s1_W - q is > 0);
//   (b) T2.b1 - T2.b7 (b6, b7 only if sK_A^2 > R), T2.b8 - T2.b12 when L2 = 2 (b12 only if
//       sK_A > beta/2), T2.b13 - T2.b15;
//   (c) T2.c1 - T2.c10; T2.c11 is skipped (it needs the gradient of C_lambda, which a
//       CheckState does not carry) and a note says so;
//   (d) T2.d1 - T2.d2 when a_K^meas > R (with a second T2.d2 row: KM_final <= KM_hyp, the
//       hypothesis form of §2.5 with eps1, eps2, r, measured when not given), and T2.d3
//       with c3 := kappa_A (the tightest admissible c3) when rho_d3 < 1.
// A skipped step is announced in a note with the condition that failed. Conjecture
// C-T2 is reported as a note (never as a step: a conjecture cannot violate a verdict).
//
// Rank rules: rank_F (H_{L1}) by RankRule::working_precision(); every other rank is K,
// proved by a step before it is used: W_L (T1.3), M (T2.a4), A (T2.c2), M_F (T2.c8).
// Q_F = U_r U_r^T from the thin SVD of H_{L1} (= F F^+, F7) and Q_M likewise.
//
// Rounding (verdict.hpp): computed singular values are accurate to u * s_1, so a side
// built from the smallest singular value s_K(B) of a matrix B, or from kappa(B), is
// compared at kappa(B) times its size (`magnitude`); sides that vanish exactly (the
// component outside the row space of W_L when n_{L-1} = K, the imbalance of an exactly
// balanced chain) are compared at the size of the data they are computed from, and
// exact-arithmetic equalities (T2.b2 for m_j = 1, T2.a3/a5/a7/a8 when n_{L-1} = K, T2.c5
// when H_{L1} has full row rank, T2.b9 for the singular side when n_{L-1} = K) are
// checked as identities.

#include <optional>

#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

template <class S>
Verdict check_t2_nc2(const CheckState<S>& state, const CheckerOptions& options = {});

/// KM_a of proofs_notes/T2_nc2.md step T2.a9 for S = double, Mpfr or Ball:
///   sqrt(((1 + delta)/(1 - delta))^2 kappa_W^2 + s1_W^2 h2_op^2 beta / (n (1 - delta)^2)).
template <class S>
S t2_class_mean_condition_bound(const S& kappa_W, const S& delta, const S& s1_W, const S& h2_op, const S& beta, Index n) {
    using std::sqrt;
    const S ratio = (S(1) + delta) / (S(1) - delta);
    return sqrt(ratio * ratio * kappa_W * kappa_W +
                s1_W * s1_W * h2_op * h2_op * beta / (S(static_cast<long>(n)) * (S(1) - delta) * (S(1) - delta)));
}

/// Certified mode: the hypotheses and kappa_M <= KM_a with every quantity enclosed
/// (certificate.hpp), at the precision of `state`.
Certificate certify_t2_nc2(const CertifiedState& state, const CheckerOptions& options = {});

/// KW_F of proofs_notes/T2_nc2.md step T2.d1, a bound on kappa(W_L) from the features:
/// KW_F = ((a_1 + R)/(a_K - R))^{1/(2 L2)}, a_K = (sqrt(n) - e_op)^2 / F_op^2,
/// a_1 = (sqrt(n) + e_op)^2 / smin_F^2 + tau_F^2, together with kappa_F (the relative
/// rounding error of KW_F is ~ u kappa_F). nullopt when the state does not meet the
/// hypotheses of T2 (K >= 2, L2 >= 2, balanced classes, widths >= K, e_op < sqrt(n)) or
/// when a_K <= R. Used by checker T3 (step T3.12).
template <class S>
struct KappaWFeatureBound {
    S KW_F;
    S kappa_F;
};

template <class S>
std::optional<KappaWFeatureBound<S>> t2_kappa_w_feature_bound(const CheckState<S>& state);

extern template Verdict check_t2_nc2(const CheckState<double>&, const CheckerOptions&);
extern template Verdict check_t2_nc2(const CheckState<Mpfr>&, const CheckerOptions&);
extern template std::optional<KappaWFeatureBound<double>> t2_kappa_w_feature_bound(const CheckState<double>&);
extern template std::optional<KappaWFeatureBound<Mpfr>> t2_kappa_w_feature_bound(const CheckState<Mpfr>&);

}  // namespace ncverify
