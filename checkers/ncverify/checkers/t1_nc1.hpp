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

#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

template <class S>
Verdict check_t1_nc1(const CheckState<S>& state, const CheckerOptions& options = {});

extern template Verdict check_t1_nc1(const CheckState<double>&, const CheckerOptions&);
extern template Verdict check_t1_nc1(const CheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
