#pragma once
// Checker L1 (THEORY.md §3 L1; proof in proofs_notes/L1_balancedness.md): along a
// gradient-descent trajectory, for every linear pair l (L1 < l < L),
//   L1.identity   D_l(t+1) = (1 - eta_t lambda_t)^2 D_l(t) + eta_t^2 (G_{l+1}^T G_{l+1} - G_l G_l^T)
//                 exactly: the largest residual over all steps, relative to
//                 ||W_{l+1}^T W_{l+1}||_F + ||W_l W_l^T||_F, must be at rounding level;
//   L1.unrolled   ||D_l(T)||_op <= prod_t (1 - eta_t lambda_t)^2 ||D_l(0)||_op
//                                 + sum_t eta_t^2 prod_{s > t} (1 - eta_s lambda_s)^2 g_t^2,
//                 g_t^2 = ||G_{l+1}^T G_{l+1} - G_l G_l^T||_op at step t (triangle inequality);
//   L1.decay      with constant eta, lambda > 0 (eta lambda < 1):
//                 ||D_l(T)||_op <= (1 - eta lambda)^{2T} ||D_l(0)||_op + eta g^2 / (lambda (2 - eta lambda)),
//                 g^2 = max_t g_t^2 (the THEORY.md form).
// The verdict's conclusion is L1.decay (or L1.unrolled when the plan varies) for the
// pair with the largest measured/bound ratio. Cost per observed step: for each linear
// pair two products and one symmetric eigenvalue problem of size n_l.

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
        S worst_identity_residual;   // max_t relative residual of L1.identity
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
    bool plan_is_constant_ = true;
    Index updates_ = 0;
    Index largest_dimension_ = 1;
};

extern template class BalancednessIdentityMonitor<double>;
extern template class BalancednessIdentityMonitor<Mpfr>;

}  // namespace ncverify
