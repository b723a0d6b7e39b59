#pragma once
// Checker T4 (paper Thm 4.4; explicit version proved in
// proofs_notes/T4_gradient_descent.md, whose step IDs and quantity names are used):
// gradient descent on wide networks reaches interpolation, then balances the linear layers.
//
// Three parts, as the note's "Checked by" table:
//   (a) t4_initialization_quantities / check_t4_initialization: the hypotheses at theta_0
//       - A1 (n_1 >= N, pyramidal n_2 >= ... >= n_L, L1 >= 1, L2 >= 2), A2 (smooth
//       sigma, sigma' in [gamma, 1], |sigma''| <= beta_sigma; from the activation), A3
//       (C_0(theta_0) > 0), lambda_F, lambda_l, alpha_PL, R_max, the ball bounds wbar_l,
//       hbar_k, gbar, hess2, lip_grad, INIT (alpha_PL R >= 4 gbar e0 with 0 < R <= R_max),
//       the step constraint eta <= 1/lip_grad (phase 1, lambda = 0; with lambda > 0 the
//       constraints of part (d): INIT with 8, eta <= 1/(2 lip_grad)), and the recipe
//       steps T4.28 - T4.30 when W_2(theta_0) = 0 (the recipe's shape); T4.16, T4.31.
//   (b) T4GradientDescentMonitor: a StepObserver-fed monitor, like
//       BalancednessIdentityMonitor, checking along a run (the plan's phase 0 is phase 1,
//       phase 1 of the plan is phase 2):
//         phase 1: T4.5 (pointwise PL with alpha_meas), T4.9, the PL inequality with the
//         measured ratio ||grad C_0||^2/(alpha_PL C_0), T4.6, T4.7, T4.10, T4.12 while
//         theta_t is in B_R; T4.15 (descent lemma) and T4.17 (loss <= q1^t C_0(theta_0),
//         distance <= eta gbar e0 (1 - q1^{t/2})/(1 - sqrt q1) <= dist1 <= R) when lambda =
//         0; T4.19, T4.20 when lambda > 0; T4.18 (the phase length: the first t with
//         C_0 <= eps against T1_len(eps), eps = eps1^2/4 with eps1 = options.epsilon1);
//         phase 2: T4.22 (c_level), T4.23, T4.24 (monotone descent), T4.25 (||D_l|| bound at
//         every step, from the regularized form L1.15 of the balancedness identity), T4.26; the step constraint eta2 <= eta2_max as a hypothesis;
//         T2_len is reported (with options.epsilon2).
//   (c) the end state: T4.27 runs check_t1_nc1 on the last observed state and checks
//       B_meas <= B_r(eps1, eps2, r_T4) with eps1 = sqrt(2 c_level) and eps2 the T4.25
//       bound at the last step (the proved balancedness at that step).
//   (d) t4_initialization_recipe: the recipe of §2.8 (W_2(0) = 0, W_l(0) = c O_l) for a
//       data set, with c = c_factor * c_star.
// Options: CheckerOptions::radius is T4's R (default R_max; not T1's norm bound r, which
// T4.27 takes as r_T4), epsilon1 and epsilon2 are the eps1, eps2 of the note,
// learning_rate / weight_decay (check_t4_initialization only) the phase-1 eta and lambda;
// the monitor reads eta, lambda of both phases from the run's StepSettings.
// Cost per observed step: one thin SVD of H_1 and of every W_l (l >= 3) every
// `svd_every` steps (T4.5, T4.9), spectral norms of W_l and H_k likewise (T4.6, T4.7);
// the loss, gradient norm and distance every step.
//
// Verdict: hypotheses as above; the steps report, for each per-step inequality, the
// step t with the largest ratio lhs/rhs (both sides at that t); the conclusion is T4.17's
// geometric decay C_0(theta_t) <= q1^t C_0(theta_0) at the worst t (phase 1, lambda = 0),
// else T4.20's bound. Conclusions that the run is too short to reach (T4.18 when the run
// ends before T1_len, T4.25 with eps2 before T2_len) are reported in notes and make the
// verdict inconclusive, never "holds".
//
// Certified mode is not available for T4 (registry kind trajectory, no `certify`): the
// per-step inequalities are about the floating-point iterates of one run.

#include <cstdint>
#include <optional>
#include <vector>

#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/network_check_state.hpp"
#include "ncverify/checkers/verdict.hpp"
#include "ncverify/checkers/worst_step.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

/// The gradient and Hessian bounds of T4.10 - T4.14 on a convex set where
/// ||W_l||_op <= wbar[l-1] (l = 1..L) and ||H_k||_op <= hbar[k] (k = 0..L):
/// P_k, gbar_l, gbar, J_k, hess2 (beta_sigma enters for the nonlinear k <= L1).
template <class S>
struct T4BallBounds {
    std::vector<S> P;       // P_k = prod_{i > k} wbar_i, k = 0..L
    std::vector<S> gbar_l;  // l = 1..L at [l - 1]
    S gbar;
    std::vector<S> J;  // J_k, k = 0..L
    S hess2;
};

template <class S>
T4BallBounds<S> t4_ball_bounds(const std::vector<S>& wbar, const std::vector<S>& hbar, Index nonlinear_layers,
                               const S& beta_sigma);

/// Everything T4 reads at theta_0 (proofs_notes/T4_gradient_descent.md §1 names).
template <class S>
struct T4Initialization {
    Index N = 0, L = 0, L1 = 0, L2 = 0;
    bool wide_first_layer = false, pyramidal = false, smooth_activation = false;
    S gamma, beta_sigma, sigma0;
    S x_op, lambda_F, lambda_3L, gamma_prod, alpha_PL, R_max, R;
    std::vector<S> lambda_l;  // l = 3..L at [l - 3]
    std::vector<S> wbar, h0, dH, hbar;
    T4BallBounds<S> ball;
    S C0, e0, ebar, lip_grad, theta_norm, theta_bar;
    S alpha_meas;               // alpha_meas(theta_0)
    bool recipe_shape = false;  // W_2(theta_0) = 0
};

/// The phase-2 quantities of §1 at theta_{T1} (T4.22 - T4.25): c_level = C_lambda(theta_{T1}),
/// rho_lambda = sqrt(2 c_level/lambda), rho2 = 2 rho_lambda, hF_k(rho2) (with sigma0), the
/// ball bounds with wbar_i := rho2 and hbar_k := hF_k(rho2) (gbarO_l, gbarO, hess2O), ebarO,
/// lip2, Dbar, eta2_max (the last term eps2/(4 c_level), of the regularized balancedness
/// bound L1.15 used by T4.25, only with eps2),
/// T2_len (with eps2) and r_T4 (T4.27).
template <class S>
struct T4Phase2 {
    S lambda, c_level, rho_lambda, rho2, theta_norm;
    std::vector<S> hF;  // hF_k(rho2), k = 0..L
    T4BallBounds<S> ball;
    S ebarO, lip2, Dbar, eta2_max, r_T4;
    std::optional<S> T2_len;
};

template <class S>
T4Phase2<S> t4_phase2_quantities(const Network<S>& at_T1, const Matrix<S>& inputs, const Matrix<S>& targets,
                                 const S& lambda, std::optional<double> epsilon2 = {}, std::optional<S> eta2 = {});

/// The quantities at theta_0 with radius R (R_max when `radius` is absent).
template <class S>
T4Initialization<S> t4_initialization_quantities(const NetworkCheckState<S>& initial,
                                                 std::optional<double> radius = {});

/// Part (a) at theta_0: the hypotheses A1 - A3, INIT, eta <= 1/lip_grad (when
/// options.learning_rate is given; lambda = options.weight_decay), T4.16, T4.28 - T4.31.
/// Conclusion: 4 gbar e0 <= alpha_PL R (INIT).
template <class S>
Verdict check_t4_initialization(const NetworkCheckState<S>& initial, const CheckerOptions& options = {});

/// The initialization recipe of §2.8 (T4.28 - T4.30): W_1(0) LeCun-Gaussian (seed),
/// W_2(0) = 0, W_l(0) = c O_l with O_l row-orthonormal (l >= 3; from the QR factorisation
/// of a Gaussian matrix), c = c_factor * c_star, c_star = max(lambda_F/x_op,
/// [2^{L+1} 3^{L-2} sqrt((L+8) N) h1 x_op / (gamma^{2(L1-1)} lambda_F^3)]^{1/(L-2)}).
/// Requires the spec to meet A1 and A2 (throws InvalidArgument naming the failure) and
/// lambda_F > 0 (throws NumericalFailure-like InvalidArgument otherwise).
struct T4Recipe {
    Network<double> network;
    double c = 0, c_star = 0, lambda_F = 0, h1 = 0, x_op = 0;
};
T4Recipe t4_initialization_recipe(const NetworkSpec& spec, const Matrix<double>& inputs, std::uint64_t seed,
                                  double c_factor = 1.0);

template <class S>
class T4GradientDescentMonitor {
public:
    /// theta_0 and its data; options: weight decay is read from the run's settings,
    /// epsilon1 (phase-1 target eps1^2/4 of T4.18; phase-2 accuracy), epsilon2 (T2_len),
    /// radius (R; default R_max). `svd_every` >= 1: the SVD-based checks run every
    /// svd_every steps (and at the first and last observed step).
    T4GradientDescentMonitor(const NetworkCheckState<S>& initial, CheckerOptions options = {}, Index svd_every = 1);

    /// Feed every step of the run, in order.
    void observe(const StepView<S>& view);
    /// The verdict over the steps observed so far (needs >= 1 update).
    Verdict verdict() const;

private:
    using Worst = WorstStep<S>;  // the per-step record of one inequality (worst_step.hpp)
    NetworkCheckState<S> initial_;
    CheckerOptions options_;
    Index svd_every_;
    S tau_;
    T4Initialization<S> init_;
    Vector<S> theta0_;
    Matrix<S> targets_;
    // phase 1
    Worst pl_pointwise_, pl_alpha_, pl_ratio_, grad_bound_, residual_bound_, weight_bound_, feature_bound_;
    Worst descent_, loss_decay_, distance_, descent_wd_, loss_decay_wd_, distance_wd_;
    S last_phase1_C0_;
    Index last_phase1_step_ = 0;
    S pl_ratio_min_;  // min_t ||grad C_0||^2 / (alpha_PL C_0)
    bool left_ball_ = false;
    std::optional<Index> first_below_target_;
    std::optional<StepSetting> phase1_setting_;
    bool phase1_constant_ = true;
    Index phase1_updates_ = 0;
    // phase 2
    std::optional<Index> phase2_start_;
    std::optional<StepSetting> phase2_setting_;
    bool phase2_constant_ = true;
    std::optional<T4Phase2<S>> phase2_;
    Vector<S> theta_T1_;
    Worst descent2_, norm2_, residual2_, balance2_, distance2_;
    S last_balance_bound_;
    Index phase2_updates_ = 0;
    // the previous step (for the per-update inequalities)
    std::optional<S> previous_C0_, previous_Clambda_, previous_grad_squared_, previous_grad_lambda_squared_;
    std::optional<StepSetting> previous_setting_;
    std::optional<Network<S>> last_network_;
    Index observed_ = 0;
};

extern template struct T4BallBounds<double>;
extern template struct T4BallBounds<Mpfr>;
extern template T4BallBounds<double> t4_ball_bounds(const std::vector<double>&, const std::vector<double>&, Index,
                                                    const double&);
extern template T4BallBounds<Mpfr> t4_ball_bounds(const std::vector<Mpfr>&, const std::vector<Mpfr>&, Index,
                                                  const Mpfr&);
extern template T4Phase2<double> t4_phase2_quantities(const Network<double>&, const Matrix<double>&,
                                                      const Matrix<double>&, const double&, std::optional<double>,
                                                      std::optional<double>);
extern template T4Phase2<Mpfr> t4_phase2_quantities(const Network<Mpfr>&, const Matrix<Mpfr>&, const Matrix<Mpfr>&,
                                                    const Mpfr&, std::optional<double>, std::optional<Mpfr>);
extern template T4Initialization<double> t4_initialization_quantities(const NetworkCheckState<double>&,
                                                                      std::optional<double>);
extern template T4Initialization<Mpfr> t4_initialization_quantities(const NetworkCheckState<Mpfr>&,
                                                                    std::optional<double>);
extern template Verdict check_t4_initialization(const NetworkCheckState<double>&, const CheckerOptions&);
extern template Verdict check_t4_initialization(const NetworkCheckState<Mpfr>&, const CheckerOptions&);
extern template class T4GradientDescentMonitor<double>;
extern template class T4GradientDescentMonitor<Mpfr>;

}  // namespace ncverify
