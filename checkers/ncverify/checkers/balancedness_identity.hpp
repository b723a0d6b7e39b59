#pragma once
// Checker L1 (THEORY.md §3 L1; statement and proof in proofs_notes/L1_balancedness.md,
// whose step IDs are used): along a gradient-descent trajectory, for every linear pair
// l (L1 < l < L), with F_l = G_{l+1}^T G_{l+1} - G_l G_l^T, q_t = (1 - eta_t lambda_t)^2, the
// full regularized gradients Gamma_l = G_l + lambda W_l and
// FGamma_l = Gamma_{l+1}^T Gamma_{l+1} - Gamma_l Gamma_l^T, at every observed step:
//   L1.3  W_{l+1}^T G_{l+1} = G_l W_l^T (largest relative residual);
//   L1.5  D_l(t+1) = q_t D_l(t) + eta_t^2 F_l(t) (largest relative residual);
//   L1.13 D_l(t+1) = (1 - 2 eta_t lambda_t) D_l(t) + eta_t^2 FGamma_l(t) (largest relative
//         residual; the scale is derived next to the check);
//   L1.7  ||D_l(t+1)||_op <= q_t ||D_l(t)||_op + eta_t^2 ||F_l(t)||_op (worst step);
//   L1.15 ||D_l(t)||_op <= prod_s |1 - 2 eta_s lambda_s| ||D_l(0)||_op
//                          + sum_s eta_s^2 prod_(s<r<t) |1 - 2 eta_r lambda_r| b_l(s),
//         with b_l(s) = ||FGamma_l(s)||_op and with b_l(s) = max(||Gamma_l||_op^2,
//         ||Gamma_(l+1)||_op^2) (the stated form), each at every step (worst step);
// and at the last observed step:
//   L1.8  the unrolled (variable-step) form prod q_t ||D_l(0)|| + sum_t eta_t^2 prod_(s>t) q_s
//         ||F_l(t)||, and with constant eta, lambda and 0 < eta lambda < 2, g^2 = max_t ||F_l(t)||_op:
//         ||D_l(T)||_op <= q^T ||D_l(0)||_op + eta g^2 (1 - q^T) / (lambda (2 - eta lambda));
//   L1.10 when lambda > 0:
//         ||D_l||_op <= (||W_{l+1}||_op ||grad_{l+1} C||_op + ||W_l||_op ||grad_l C||_op) / lambda.
// The verdict's conclusion is L1.15 in its stated form at the last step, for the pair with
// the largest measured/bound ratio. Cost per observed step: for each linear pair a few
// products and four symmetric eigenvalue problems of size n_l.

#include <limits>
#include <optional>
#include <vector>

#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"
#include "ncverify/checkers/worst_step.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

template <class S>
class BalancednessIdentityMonitor {
public:
    BalancednessIdentityMonitor(NetworkSpec spec, Precision precision, CheckerOptions options = {});

    /// Feed every step of the run, in order (wrap it into the run's StepObserver).
    void observe(const StepView<S>& view);
    /// The verdict over the steps observed so far (needs >= 1 update).
    Verdict verdict() const;

private:
    struct PairRecord {
        Index layer;                        // l
        S initial_gap;                      // ||D_l(0)||_op
        S current_gap;                      // ||D_l(t)||_op at the last observed step
        S worst_gradient_identity = S(0);   // max_t relative residual of L1.3
        S worst_identity_residual = S(0);   // max_t relative residual of L1.5
        S worst_regularized_residual = S(0);  // max_t relative residual of L1.13
        WorstStep<S> one_step;              // L1.7 at every step
        S unrolled_bound;                   // L1.8, unrolled, at the current step
        S largest_gradient_term = S(0);     // max_t ||F_l(t)||_op (g^2 of L1.8)
        S regularized_sharp;                // L1.15 with ||FGamma_l||_op, at the current step
        S regularized_bound;                // L1.15 with max ||Gamma||_op^2 (stated form)
        WorstStep<S> regularized_sharp_steps, regularized_steps;  // L1.15 at every step
        double loosest = 0;                 // max_t of L1.15 (stated form) / ||D_l(t)||_op
        double tightest = std::numeric_limits<double>::infinity();  // min_t of the same
    };
    NetworkSpec spec_;
    Precision precision_;
    CheckerOptions options_;
    std::vector<PairRecord> pairs_;
    std::optional<std::vector<Matrix<S>>> previous_weights_, previous_gradients_;
    std::optional<StepSetting> previous_setting_;
    std::optional<StepSetting> constant_setting_;
    std::optional<std::vector<Matrix<S>>> last_weights_, last_gradients_;  // L1.10 at the last state
    std::optional<StepSetting> last_setting_;
    bool plan_is_constant_ = true;
    Index updates_ = 0;
    Index largest_dimension_ = 1;
};

extern template class BalancednessIdentityMonitor<double>;
extern template class BalancednessIdentityMonitor<Mpfr>;

}  // namespace ncverify
