#pragma once
// Checker L1 (THEORY.md §3 L1; statement and proof in proofs_notes/L1_balancedness.md,
// whose step IDs are used): along a gradient-descent trajectory, for every linear pair
// l (L1 < l < L), with F_l = G_{l+1}^T G_{l+1} - G_l G_l^T and q_t = (1 - eta_t lambda_t)^2:
//   L1.3  W_{l+1}^T G_{l+1} = G_l W_l^T at every step (largest relative residual);
//   L1.5  D_l(t+1) = q_t D_l(t) + eta_t^2 F_l(t) exactly (largest residual relative to
//         ||W_{l+1}||_F^2 + ||W_l||_F^2 + eta_t^2 (||G_{l+1}||_F^2 + ||G_l||_F^2));
//   L1.7  ||D_l(t+1)||_op <= q_t ||D_l(t)||_op + eta_t^2 ||F_l(t)||_op, accumulated over the
//         run into the unrolled bound prod q_t ||D_l(0)|| + sum_t eta_t^2 prod_{s>t} q_s ||F_l(t)||;
//   L1.8  with constant eta, lambda and 0 < eta lambda < 2, g^2 = max_t ||F_l(t)||_op:
//         ||D_l(T)||_op <= q^T ||D_l(0)||_op + eta g^2 (1 - q^T) / (lambda (2 - eta lambda));
//   L1.10 at the last observed state, when lambda > 0:
//         ||D_l||_op <= (||W_{l+1}||_op ||grad_{l+1} C||_op + ||W_l||_op ||grad_l C||_op) / lambda.
// The verdict's conclusion is L1.8 (or the unrolled L1.7 bound when the plan varies) for
// the pair with the largest measured/bound ratio. Cost per observed step: for each
// linear pair a few products and one symmetric eigenvalue problem of size n_l.

#include <optional>
#include <vector>

#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"
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
        Index layer;                 // l
        S initial_gap;               // ||D_l(0)||_op
        S unrolled_bound;            // recursive bound at the current step
        S worst_gradient_identity;   // max_t relative residual of L1.3
        S worst_identity_residual;   // max_t relative residual of L1.5
        S largest_gradient_term;     // max_t g_t^2
        S current_gap;               // ||D_l(t)||_op at the last observed step
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
