#pragma once
// Checker T3 (explicit version proved in proofs_notes/T3_nc3.md): interpolation +
// balancedness + conditioning => NC3, the alignment of the class means mu_c of H_{L-1}
// with the rows w_c of W_L, nc3 = (1/K) sum_c cos(mu_c, w_c) (1 = aligned).
//
// Hypotheses (measured): K >= 2, L2 >= 2, balanced classes, n_j >= K for L1 <= j < L,
// ||H_L - Y||_op < sqrt(n); with user constants also ||H_L - Y||_F <= eps1 < sqrt(n),
// max_j ||D_j||_op <= eps2 (L1 < j < L), ||W_j||_op <= r (L1 < j <= L) and
// ||H_{L-2}||_op <= r (the radius plays both rho and r of §2.4).
//
// Conclusion: nc3 >= LB3 (the measured form, §2.3, step T3.11), a lower bound: the
// verdict's relation is ">=", its measured value nc3 and its bound LB3; the reported
// ratio LB3/nc3 is <= 1 when the theorem holds, and 1 when it is attained (Kantorovich
// family, even K). Informative when LB3 > 0.
//
// Steps, with the note's IDs and quantity names: T3.1 - T3.10 for every class c (rows
// labelled "c = 1 .. K"), T3.11; T3.12 with KW_F of T2.d1 when that is defined (a_K^meas
// > R), plus a second T3.12 row LB3_final >= LB3_hyp, the hypothesis form of §2.4 with
// eps1, eps2, r (measured when not given) and k_W = KW_F; T3.13 only in its special case
// E = 0, D_{L-1} = 0, decided as "vanishes to rounding": delta <= tau and
// s1_W^2 h2_op^2 beta/n <= tau (tau the checker tolerance; the perpendicular part enters
// cos_c quadratically). A skipped step is announced in a note.
//
// Rank rules: W_L has rank K (T1.3), so G = W_L W_L^T is invertible; G^{-1} is formed as
// (W^+)^T W^+ from the thin SVD (relative accuracy u kappa_W instead of u kappa_W^2).
// Rounding: sides built from sK_W or kappa_W are compared at kappa_W times their size,
// sides that vanish exactly when n_{L-1} = K (P_perp = 0) are checked as identities.

#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

template <class S>
Verdict check_t3_nc3(const CheckState<S>& state, const CheckerOptions& options = {});

/// LB3 of proofs_notes/T3_nc3.md §1 for S = double, Mpfr or Ball:
///   (1 - delta) / sqrt(((1 + k^2)/(2k) + k delta)^2 + perp^2), with
///   perp^2 = s1_W^2 h2_op^2 beta / n (and its final / hypothesis forms).
template <class S>
S nc3_lower_bound(const S& kappa, const S& delta, const S& perp_squared) {
    using std::sqrt;
    const S kantorovich = (S(1) + kappa * kappa) / (S(2) * kappa) + kappa * delta;
    return (S(1) - delta) / sqrt(kantorovich * kantorovich + perp_squared);
}

/// Certified mode: the hypotheses and LB3 <= nc3 with every quantity enclosed
/// (certificate.hpp), at the precision of `state`.
Certificate certify_t3_nc3(const CertifiedState& state, const CheckerOptions& options = {});

extern template Verdict check_t3_nc3(const CheckState<double>&, const CheckerOptions&);
extern template Verdict check_t3_nc3(const CheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
