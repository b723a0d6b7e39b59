#pragma once
// Checker T1 (paper Theorem 3.1, first part; explicit version proved in
// proofs_notes/T1_nc1.md): interpolation + balancedness of the last linear pair
// => NC1 of the penultimate features H_{L-1}.
//
// Hypotheses (measured): K >= 2, L2 >= 2, balanced classes, ||H_L - Y||_op < sqrt(n);
// with user constants also ||H_L - Y||_F <= eps1 < sqrt(n), ||D_{L-1}||_op <= eps2 and
// ||H_{L-1}||_op, ||H_{L-2}||_op, ||W_L||_op <= r.
// Conclusion: tr Sigma_W / tr Sigma_B of H_{L-1} <= B_meas (the measured form, §2.2);
// steps T1.1 - T1.23 are reported with both sides.
//
// Certified mode (certify_t1_nc1): the hypotheses and the conclusion nc1 <= B_meas with
// every quantity enclosed (certificate.hpp); the proof steps are not re-evaluated, the
// theorem itself (proved in the note) carries the conclusion from the hypotheses.

#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

/// B_meas of proofs_notes/T1_nc1.md §2.2 for S = double, Mpfr or Ball:
///   w_op^2 (a_bound^2 + b_bound^2) / ((K - 1) (sqrt(n) - e_op)^2),
///   a_bound = e_F z_op / (sqrt(n) - e_op),  b_bound = h2_op sqrt((p - K) beta).
template <class S>
S t1_a_bound(const S& e_F, const S& z_op, const S& gap) {
    return e_F * z_op / gap;
}
template <class S>
S t1_b_bound(const S& h2_op, const S& beta, Index p, Index K) {
    using std::sqrt;
    return h2_op * sqrt(S(static_cast<long>(p - K)) * beta);
}
template <class S>
S t1_measured_bound(const S& w_op, const S& a_bound, const S& b_bound, const S& gap, Index K) {
    return w_op * w_op * (a_bound * a_bound + b_bound * b_bound) / (S(static_cast<long>(K - 1)) * gap * gap);
}

template <class S>
Verdict check_t1_nc1(const CheckState<S>& state, const CheckerOptions& options = {});

/// The certified verdict at the precision of `state` (one rung of the ladder, certification.hpp).
Certificate certify_t1_nc1(const CertifiedState& state, const CheckerOptions& options = {});

extern template Verdict check_t1_nc1(const CheckState<double>&, const CheckerOptions&);
extern template Verdict check_t1_nc1(const CheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
