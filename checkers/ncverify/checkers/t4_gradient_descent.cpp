#include "ncverify/checkers/t4_gradient_descent.hpp"

#include <fmt/core.h>

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/t1_nc1.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/metrics/sharpness.hpp"
#include "ncverify/network/gd_assumptions.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/random/random_source.hpp"
#include "ncverify/training/loss_and_gradient.hpp"

namespace ncverify {

namespace {

std::size_t at(Index i) { return static_cast<std::size_t>(i); }

/// |sigma''| <= beta_sigma (A2): (1 - gamma) beta/4 for the smooth leaky ReLU
/// (sigma'' = (1 - gamma) beta s (1 - s), s logistic), 0 for the identity, max|tanh''| =
/// 4/(3 sqrt 3) for tanh; ReLU and leaky ReLU are not C^2 (A2 fails; 0 is returned).
double second_derivative_bound(const Activation& activation) {
    switch (activation.kind()) {
        case ActivationKind::smooth_leaky_relu:
            return (1 - activation.slope()) * activation.beta() / 4;
        case ActivationKind::tanh:
            return 4 / (3 * std::sqrt(3.0));
        case ActivationKind::identity:
        case ActivationKind::relu:
        case ActivationKind::leaky_relu:
            return 0;
    }
    return 0;
}

/// s_k(B) with k = `index` (1-based), 0 beyond the number of singular values.
template <class S>
S singular_value(const Matrix<S>& b, Index index) {
    const Vector<S> sv = singular_values(b);
    return index <= sv.size() ? S(sv(index - 1)) : S(0);
}

/// alpha_meas(theta) = 2 gamma^{2(L1-1)} s_N(H_1)^2 prod_{l>=3} s_{n_l}(W_l)^2 (T4.5).
template <class S>
S alpha_measured(const Network<S>& network, const Matrix<S>& H1, const S& gamma) {
    const Index L = network.num_layers(), L1 = network.spec.nonlinear_layers;
    S alpha = S(2) * integer_power(S(gamma * gamma), L1 - 1);
    const S sN = singular_value(H1, H1.cols());
    alpha *= sN * sN;
    for (Index l = 3; l <= L; ++l) {
        const S s = singular_value(network.weight(l), network.weight(l).rows());
        alpha *= s * s;
    }
    return alpha;
}

template <class S>
S squared_norm(const std::vector<Matrix<S>>& matrices) {
    S sum(0);
    for (const Matrix<S>& m : matrices) sum += squared_frobenius_norm(m);
    return sum;
}

/// hF_k(rho), k = 0..L: hF_0 = x_op, hF_k = rho hF_{k-1} + sigma0 sqrt(n_k N) [k <= L1] (T4.23).
template <class S>
std::vector<S> feature_bounds(const NetworkSpec& spec, const S& x_op, const S& rho, const S& sigma0, Index N) {
    using std::sqrt;
    std::vector<S> h{x_op};
    for (Index k = 1; k <= spec.num_layers(); ++k) {
        S next = rho * h.back();
        if (spec.is_nonlinear(k)) next += sigma0 * sqrt(S(spec.width(k) * N));
        h.push_back(next);
    }
    return h;
}

/// One-hot targets of sorted labels.
template <class S>
Matrix<S> one_hot(const std::vector<Index>& labels, Index K) {
    Matrix<S> y = Matrix<S>::Zero(K, static_cast<Index>(labels.size()));
    for (std::size_t i = 0; i < labels.size(); ++i) y(labels[i], static_cast<Index>(i)) = S(1);
    return y;
}

}  // namespace

// ---------------------------------------------------------------------------------------
template <class S>
T4BallBounds<S> t4_ball_bounds(const std::vector<S>& wbar, const std::vector<S>& hbar, Index nonlinear_layers,
                               const S& beta_sigma) {
    using std::sqrt;
    const Index L = static_cast<Index>(wbar.size());
    T4BallBounds<S> b;
    b.P.assign(at(L + 1), S(1));
    for (Index k = L - 1; k >= 0; --k) b.P[at(k)] = wbar[at(k)] * b.P[at(k + 1)];  // P_k = wbar_{k+1} P_{k+1}
    S sum(0);
    for (Index l = 1; l <= L; ++l) {
        b.gbar_l.push_back(hbar[at(l - 1)] * b.P[at(l)]);
        sum += b.gbar_l.back() * b.gbar_l.back();
    }
    b.gbar = sqrt(sum);
    // J_k^2 = wbar_k^2 J_{k-1}^2 + hbar_{k-1}^2 (T4.11).
    b.J.assign(at(L + 1), S(0));
    for (Index k = 1; k <= L; ++k)
        b.J[at(k)] = sqrt(wbar[at(k - 1)] * wbar[at(k - 1)] * b.J[at(k - 1)] * b.J[at(k - 1)] +
                          hbar[at(k - 1)] * hbar[at(k - 1)]);
    S first(0), second(0);
    for (Index k = 1; k <= nonlinear_layers; ++k) first += b.P[at(k)] * b.J[at(k)] * b.J[at(k)];
    for (Index k = 2; k <= L; ++k) second += b.P[at(k)] * b.J[at(k - 1)] * b.P[at(k)] * b.J[at(k - 1)];
    b.hess2 = beta_sigma * first + S(2) * sqrt(second);
    return b;
}

template <class S>
T4Initialization<S> t4_initialization_quantities(const NetworkCheckState<S>& initial, std::optional<double> radius) {
    using std::sqrt;
    const Network<S>& network = initial.network;
    const NetworkSpec& spec = network.spec;
    T4Initialization<S> q;
    q.N = initial.num_samples();
    q.L = network.num_layers();
    q.L1 = spec.nonlinear_layers;
    q.L2 = q.L - q.L1;
    const GdAssumptions assumptions = check_gd_assumptions(spec, q.N);
    q.wide_first_layer = assumptions.wide_first_layer;
    q.pyramidal = assumptions.pyramidal;
    q.smooth_activation = spec.activation.meets_gd_activation_condition();
    q.gamma = S(spec.activation.lower_slope_bound());
    q.beta_sigma = S(second_derivative_bound(spec.activation));
    {
        using std::abs;
        q.sigma0 = abs(spec.activation.value(S(0)));
    }
    const ForwardPass<S> pass = forward(network, initial.inputs);
    q.x_op = spectral_norm(initial.inputs);
    q.lambda_F = q.wide_first_layer ? singular_value(pass.H(1), q.N) : S(0);
    q.lambda_3L = S(1);
    S smallest_lambda_l = q.lambda_F / q.x_op;  // R_max = min(lambda_F/(2 x_op), min_l lambda_l/2)
    for (Index l = 3; l <= q.L; ++l) {
        const Matrix<S>& w = network.weight(l);
        q.lambda_l.push_back(w.rows() <= w.cols() ? singular_value(w, w.rows()) : S(0));
        q.lambda_3L *= q.lambda_l.back();
        smallest_lambda_l = std::min(smallest_lambda_l, q.lambda_l.back());
    }
    q.gamma_prod = integer_power(q.gamma, q.L1 - 1);
    q.alpha_PL = S(2) * q.gamma_prod * q.gamma_prod * (q.lambda_F / S(2)) * (q.lambda_F / S(2));
    for (const S& lambda_l : q.lambda_l) q.alpha_PL *= (lambda_l / S(2)) * (lambda_l / S(2));
    q.R_max = smallest_lambda_l / S(2);
    q.R = radius ? S(*radius) : q.R_max;
    q.h0.push_back(q.x_op);
    for (Index k = 1; k <= q.L; ++k) q.h0.push_back(spectral_norm(pass.H(k)));
    q.dH.push_back(S(0));
    q.hbar.push_back(q.x_op);
    for (Index l = 1; l <= q.L; ++l) {
        q.wbar.push_back(spectral_norm(network.weight(l)) + q.R);
        q.dH.push_back(q.wbar.back() * q.dH.back() + q.R * q.h0[at(l - 1)]);
        q.hbar.push_back(q.h0[at(l)] + q.dH.back());
    }
    q.ball = t4_ball_bounds(q.wbar, q.hbar, q.L1, q.beta_sigma);
    const Matrix<S> E = pass.output() - one_hot<S>(initial.labels, initial.num_classes);
    q.e0 = frobenius_norm(E);
    q.C0 = q.e0 * q.e0 / S(2);
    q.ebar = q.e0 + q.ball.gbar * q.R;
    q.lip_grad = q.ball.gbar * q.ball.gbar + q.ebar * q.ball.hess2;
    q.theta_norm = sqrt(squared_norm(network.weights));
    q.theta_bar = q.theta_norm + q.R;
    q.alpha_meas = q.wide_first_layer ? alpha_measured(network, pass.H(1), q.gamma) : S(0);
    q.recipe_shape = q.L >= 2 && (network.weight(2).array() == S(0)).all();
    return q;
}

template <class S>
T4Phase2<S> t4_phase2_quantities(const Network<S>& at_T1, const Matrix<S>& inputs, const Matrix<S>& targets,
                                 const S& lambda, std::optional<double> epsilon2, std::optional<S> eta2) {
    using std::ceil;
    using std::log;
    using std::sqrt;
    const NetworkSpec& spec = at_T1.spec;
    const Index L = at_T1.num_layers(), L1 = spec.nonlinear_layers, N = inputs.cols();
    T4Phase2<S> q;
    q.lambda = lambda;
    const ForwardPass<S> pass = forward(at_T1, inputs);
    const S weight_squared = squared_norm(at_T1.weights);
    q.theta_norm = sqrt(weight_squared);
    q.c_level = squared_frobenius_norm(Matrix<S>(pass.output() - targets)) / S(2) + lambda * weight_squared / S(2);
    q.rho_lambda = sqrt(S(2) * q.c_level / lambda);
    q.rho2 = S(2) * q.rho_lambda;
    const S x_op = spectral_norm(inputs);
    using std::abs;
    const S sigma0 = abs(spec.activation.value(S(0)));
    q.hF = feature_bounds(spec, x_op, q.rho2, sigma0, N);
    q.ball = t4_ball_bounds(std::vector<S>(at(L), q.rho2), q.hF, L1, S(second_derivative_bound(spec.activation)));
    q.ebarO = q.hF.back() + sqrt(S(N));
    q.lip2 = q.ball.gbar * q.ball.gbar + q.ebarO * q.ball.hess2 + lambda;
    const S fit = sqrt(S(2) * q.c_level);
    q.Dbar = S(0);
    for (Index l = L1 + 1; l < L; ++l)
        q.Dbar = std::max(q.Dbar, balancedness_gap(at_T1.weight(l), at_T1.weight(l + 1)));
    // T4.24 (1/lip2, the step stays in Omega), T4.25 (2 eta2 lambda <= 1, and with eps2 the
    // remainder 2 eta2 c_level <= eps2/2 of the regularized bound L1.15).
    q.eta2_max = std::min(
        {S(S(1) / q.lip2), S(q.rho_lambda / (q.ball.gbar * fit + lambda * q.rho_lambda)), S(S(1) / (S(2) * lambda))});
    if (epsilon2) q.eta2_max = std::min(q.eta2_max, S(S(*epsilon2) / (S(4) * q.c_level)));
    if (epsilon2 && eta2) q.T2_len = ceil(log(S(2) * q.Dbar / S(*epsilon2)) / (S(2) * *eta2 * lambda));
    const std::vector<S> h_rho = feature_bounds(spec, x_op, q.rho_lambda, sigma0, N);
    q.r_T4 = std::max({h_rho[at(L - 1)], h_rho[at(L - 2)], q.rho_lambda});
    return q;
}

namespace {

/// Part (a): the hypotheses at theta_0 and the initialization steps (shared by
/// check_t4_initialization and the monitor's verdict). `lambda1`, `eta1`: phase 1.
template <class S>
void add_initialization_checks(const T4Initialization<S>& q, const NetworkCheckState<S>& initial,
                               const std::optional<S>& eta1, const S& lambda1, const std::optional<double>& radius,
                               VerdictBuilder<S>& v) {
    using std::sqrt;
    const NetworkSpec& spec = initial.network.spec;
    v.exact_hypothesis("A1 depth", "L1 >= 1, L2 >= 2", double(q.L2), ">=", 2, q.L1 >= 1 && q.L2 >= 2);
    v.exact_hypothesis("A1 wide first layer", "n_1 >= N", double(spec.width(1)), ">=", double(q.N), q.wide_first_layer);
    v.exact_hypothesis("A1 pyramidal", "n_2 >= n_3 >= ... >= n_L", q.pyramidal ? 1 : 0, "=", 1, q.pyramidal);
    v.exact_hypothesis("A2 activation", "sigma C^2, sigma' in [gamma, 1], gamma > 0",
                       ScalarTraits<S>::to_double(q.gamma), ">", 0, q.smooth_activation && q.gamma > 0);
    v.hypothesis("A3", "C_0(theta_0) > 0", q.C0, ">", S(0));
    v.hypothesis("lambda_F", "lambda_F = s_N(H_1(theta_0)) > 0", q.lambda_F, ">", S(0));
    if (radius) {
        v.hypothesis("radius", "R <= R_max = min(lambda_F/(2 x_op), min_l lambda_l/2)", q.R, "<=", q.R_max);
        v.hypothesis("radius", "R > 0", q.R, ">", S(0));
    }
    const bool with_decay = lambda1 > 0;
    const S init_factor = with_decay ? S(8) : S(4);
    v.hypothesis(with_decay ? "INIT (part (d))" : "INIT",
                 with_decay ? "8 gbar e0 <= alpha_PL R" : "4 gbar e0 <= alpha_PL R", init_factor * q.ball.gbar * q.e0,
                 "<=", q.alpha_PL * q.R);
    if (eta1) {
        if (with_decay)
            v.hypothesis("phase-1 step", "eta <= 1/(2 lip_grad)", *eta1, "<=", S(1) / (S(2) * q.lip_grad));
        else
            v.hypothesis("phase-1 step", "eta <= 1/lip_grad", *eta1, "<=", S(1) / q.lip_grad);
    }
    // T4.16, T4.9 and T4.5 at theta_0, T4.31.
    v.step("T4.16", "alpha_PL", q.alpha_PL, "<=", "2 gbar^2", S(2) * q.ball.gbar * q.ball.gbar);
    if (eta1) v.step("T4.16", "eta alpha_PL/2", *eta1 * q.alpha_PL / S(2), "<=", "1", S(1));
    if (q.wide_first_layer) v.step("T4.9", "alpha_PL", q.alpha_PL, "<=", "alpha_meas(theta_0)", q.alpha_meas);
    v.step("T4.31", "lambda_F lambda_3L", q.lambda_F * q.lambda_3L, "<=", "gbar", q.ball.gbar);
    if (!radius && q.L >= 3 && q.lambda_F > 0 && q.lambda_3L > 0) {
        // §2.9: with R = R_max = m/2, INIT <=> lambda_F lambda_3L m >= 2^{2L+1/2} gamma^{-2(L1-1)} (gbar/(lambda_F
        // lambda_3L)) C_0^{1/2}.
        S m = q.lambda_F / q.x_op;
        for (const S& l : q.lambda_l) m = std::min(m, l);
        const S form_lhs = q.lambda_F * q.lambda_3L * m;
        const S form_rhs = integer_power(S(2), 2 * q.L) * sqrt(S(2)) / (q.gamma_prod * q.gamma_prod) *
                           (q.ball.gbar / (q.lambda_F * q.lambda_3L)) * sqrt(q.C0);
        const S init_ratio = q.alpha_PL * q.R / (S(4) * q.ball.gbar * q.e0);
        v.identity("T4.31", "alpha_PL R/(4 gbar e0)", init_ratio, "form_lhs/form_rhs (§2.9)", form_lhs / form_rhs,
                   init_ratio);
    }
    // T4.28 - T4.30: the recipe's shape (W_2(theta_0) = 0).
    if (q.recipe_shape && q.L >= 3) {
        const ForwardPass<S> pass = forward(initial.network, initial.inputs);
        S h_rest(0);
        for (Index k = 2; k <= q.L; ++k) h_rest = std::max(h_rest, S(frobenius_norm(pass.H(k))));
        v.identity("T4.28", "max_{k>=2} ||H_k(theta_0)||_F", h_rest, "0", S(0), S(1));
        v.identity("T4.28", "e0", q.e0, "sqrt(N)", sqrt(S(q.N)), sqrt(S(q.N)));
        // lambda_l = ||W_l||_op = c holds exactly only for an exactly row-orthonormal O_l; a
        // recipe built in double is orthonormal to double rounding, which a higher working
        // precision resolves: the spread is reported, and c := max_l ||W_l||_op is used
        // below (gbar_recipe is increasing in c, so T4.29 stays a valid bound).
        S c(0), spread(0);
        for (Index l = 3; l <= q.L; ++l) {
            const S top = spectral_norm(initial.network.weight(l));
            c = std::max(c, top);
            using std::abs;
            spread = std::max(spread, S(abs(top - q.lambda_l[at(l - 3)]) / top));
        }
        v.note(
            fmt::format("T4.28 (recipe): c = max_(l>=3) ||W_l||_op = {}; max_l (||W_l||_op - lambda_l)/||W_l||_op = {} "
                        "(0 for an exactly row-orthonormal O_l)",
                        number(c), number(spread)));
        const S h1 = q.h0[1];
        if (q.R <= std::min(S(c / S(2)), S(q.lambda_F / (S(2) * q.x_op)))) {
            const S gbar_recipe = h1 / S(2) * integer_power(S(S(3) * c / S(2)), q.L - 2) * sqrt(S(q.L + 8));
            v.step("T4.29", "gbar", q.ball.gbar, "<=", "gbar_recipe = (h1/2)(3c/2)^{L-2} sqrt(L+8)", gbar_recipe);
        }
        using std::pow;
        const S inner = integer_power(S(2), q.L + 1) * integer_power(S(3), q.L - 2) * sqrt(S((q.L + 8) * q.N)) * h1 *
                        q.x_op / (q.gamma_prod * q.gamma_prod * q.lambda_F * q.lambda_F * q.lambda_F);
        const S c_star = std::max(S(q.lambda_F / q.x_op), S(pow(inner, S(1) / S(q.L - 2))));
        if (c >= c_star && !radius)
            v.step("T4.30", "4 gbar e0", S(4) * q.ball.gbar * q.e0, "<=", "alpha_PL R_max (c >= c_star)",
                   q.alpha_PL * q.R_max);
        else
            v.note(fmt::format("T4.30 not evaluated: c = {} vs c_star = {} (or R given)", number(c), number(c_star)));
    }
    v.note(fmt::format(
        "theta_0: lambda_F = {}, lambda_3L = {}, alpha_PL = {}, R = {} (R_max = {}), gbar = {}, hess2 = {}, "
        "e0 = {}, lip_grad = {}",
        number(q.lambda_F), number(q.lambda_3L), number(q.alpha_PL), number(q.R), number(q.R_max), number(q.ball.gbar),
        number(q.ball.hess2), number(q.e0), number(q.lip_grad)));
}

}  // namespace

template <class S>
Verdict check_t4_initialization(const NetworkCheckState<S>& initial, const CheckerOptions& options) {
    const T4Initialization<S> q = t4_initialization_quantities(initial, options.radius);
    Verdict header = verdict_header("T4", "gradient descent on wide networks: initialization (Thm 4.4)",
                                    Provenance::explicit_constants, "proofs_notes/T4_gradient_descent.md",
                                    initial.precision.to_string());
    VerdictBuilder<S> v(header, checker_tolerance<S>(options, initial.largest_dimension()));
    const std::optional<S> eta = options.learning_rate ? std::optional<S>(S(*options.learning_rate)) : std::nullopt;
    const S lambda = options.weight_decay ? S(*options.weight_decay) : S(0);
    add_initialization_checks(q, initial, eta, lambda, options.radius, v);
    v.conclude(lambda > 0 ? "8 gbar e0" : "4 gbar e0", S((lambda > 0 ? S(8) : S(4)) * q.ball.gbar * q.e0),
               "alpha_PL R (INIT)", S(q.alpha_PL * q.R));
    return v.finish();
}

// ---------------------------------------------------------------------------------------
T4Recipe t4_initialization_recipe(const NetworkSpec& spec, const Matrix<double>& inputs, std::uint64_t seed,
                                  double c_factor) {
    const Index N = inputs.cols(), L = spec.num_layers(), L1 = spec.nonlinear_layers;
    const GdAssumptions assumptions = check_gd_assumptions(spec, N);
    if (!assumptions.all_hold() || L < 3)
        throw InvalidArgument(
            fmt::format("t4_initialization_recipe: the spec {} does not meet A1/A2 for N = {}: {}", spec.describe(), N,
                        assumptions.failures.empty() ? std::string("L < 3") : assumptions.failures.front()));
    if (!(c_factor >= 1))
        throw InvalidArgument(fmt::format("t4_initialization_recipe: c_factor = {} must be >= 1", c_factor));
    T4Recipe recipe;
    recipe.network = initialize_network(spec, {InitScheme::lecun, {}, seed});
    const Matrix<double> h1 = spec.activation.apply(Matrix<double>(recipe.network.weight(1) * inputs));
    recipe.lambda_F = singular_value(h1, N);
    recipe.h1 = spectral_norm(h1);
    recipe.x_op = spectral_norm(inputs);
    if (!(recipe.lambda_F > 0))
        throw InvalidArgument(
            "t4_initialization_recipe: lambda_F = s_N(sigma(W_1 X)) is 0 for this seed (choose another)");
    const double gamma = spec.activation.lower_slope_bound();
    const double inner = std::pow(2.0, double(L + 1)) * std::pow(3.0, double(L - 2)) * std::sqrt(double((L + 8) * N)) *
                         recipe.h1 * recipe.x_op /
                         (std::pow(gamma, 2.0 * double(L1 - 1)) * std::pow(recipe.lambda_F, 3.0));
    recipe.c_star = std::max(recipe.lambda_F / recipe.x_op, std::pow(inner, 1.0 / double(L - 2)));
    recipe.c = c_factor * recipe.c_star;
    RandomSource random(seed ^ 0x5eed0f7a4ULL);
    recipe.network.weight(2).setZero();
    for (Index l = 3; l <= L; ++l) {
        const Index rows = spec.width(l), cols = spec.width(l - 1);
        // O_l = Q^T with Q (cols x rows) the thin Q factor of a Gaussian matrix: O_l O_l^T = I.
        const Matrix<double> gaussian = random.gaussian_matrix(cols, rows);
        const Eigen::HouseholderQR<Matrix<double>> qr(gaussian);
        const Matrix<double> q = qr.householderQ() * Matrix<double>::Identity(cols, rows);
        recipe.network.weight(l) = recipe.c * q.transpose();
    }
    return recipe;
}

// ---------------------------------------------------------------------------------------
template <class S>
T4GradientDescentMonitor<S>::T4GradientDescentMonitor(const NetworkCheckState<S>& initial, CheckerOptions options,
                                                      Index svd_every)
    : initial_(initial),
      options_(options),
      svd_every_(std::max<Index>(svd_every, 1)),
      tau_(checker_tolerance<S>(options, initial.largest_dimension())) {
    init_ = t4_initialization_quantities(initial_, options_.radius);
    theta0_ = flatten_weights(initial_.network.weights);
    targets_ = initial_.targets();
    pl_ratio_min_ = S(-1);
}

template <class S>
void T4GradientDescentMonitor<S>::observe(const StepView<S>& view) {
    using std::pow;
    using std::sqrt;
    const Network<S>& network = view.state.network;
    const Index t = view.state.step;
    const S C0 = view.evaluation.data_loss;
    const S g2 = squared_norm(view.evaluation.data_gradient);
    const S e_F = sqrt(S(2) * C0);
    const Vector<S> theta = flatten_weights(network.weights);
    const S dist = sqrt((theta - theta0_).squaredNorm());
    // Rounding scale of a computed loss: E = H_L - Y carries ~ u (||H_L||_F + ||Y||_F), so C_0
    // carries ~ u e_F (||H_L||_F + sqrt(N)) (tau of verdict.hpp includes the factor u).
    const S loss_scale = e_F * (frobenius_norm(view.evaluation.pass.output()) + sqrt(S(initial_.num_samples())));
    const bool phase2_state = view.setting.phase >= 1;
    const bool svd_now = observed_ == 0 || view.is_final || t % svd_every_ == 0;
    const T4Initialization<S>& q = init_;

    // Per update (from the previous state, with the previous step's setting).
    if (previous_setting_ && previous_C0_) {
        const StepSetting& s = *previous_setting_;
        const S eta(s.learning_rate), lambda(s.weight_decay);
        if (s.phase == 0) {
            ++phase1_updates_;
            if (!phase1_setting_) phase1_setting_ = s;
            if (phase1_setting_->learning_rate != s.learning_rate || phase1_setting_->weight_decay != s.weight_decay)
                phase1_constant_ = false;
            if (lambda == 0)
                descent_.update(C0,
                                *previous_C0_ - eta * *previous_grad_squared_ +
                                    q.lip_grad / S(2) * eta * eta * *previous_grad_squared_,
                                t, tau_, loss_scale);
            else
                descent_wd_.update(C0,
                                   (S(1) - eta * q.alpha_PL / S(4)) * *previous_C0_ +
                                       S(3) * eta / S(2) * lambda * lambda * q.theta_bar * q.theta_bar,
                                   t, tau_, loss_scale);
        } else {
            ++phase2_updates_;
            if (phase2_setting_->learning_rate != s.learning_rate || phase2_setting_->weight_decay != s.weight_decay)
                phase2_constant_ = false;
            const S C_lambda = C0 + lambda * theta.squaredNorm() / S(2);
            descent2_.update(C_lambda, *previous_Clambda_ - eta / S(2) * *previous_grad_lambda_squared_, t, tau_,
                             loss_scale);
        }
    }

    if (!phase2_state || (!phase2_start_ && phase2_state)) {
        // A phase-1 iterate (theta_{T1} included): checks on the ball B_R.
        if (dist > q.R) left_ball_ = true;
        if (!left_ball_) {
            pl_ratio_.update(q.alpha_PL * C0, g2, t, tau_);
            const S ratio = g2 / (q.alpha_PL * C0);
            if (pl_ratio_min_ < 0 || ratio < pl_ratio_min_) pl_ratio_min_ = ratio;
            grad_bound_.update(sqrt(g2), q.ball.gbar * e_F, t, tau_);
            if (t > 0) residual_bound_.update(e_F, q.e0 + q.ball.gbar * dist, t, tau_);  // equality at t = 0
            if (svd_now && q.wide_first_layer) {
                const ForwardPass<S>& pass = view.evaluation.pass;
                const S alpha = alpha_measured(network, pass.H(1), q.gamma);
                pl_pointwise_.update(alpha * C0, g2, t, tau_);
                pl_alpha_.update(q.alpha_PL, alpha, t, tau_);
                for (Index l = 1; l <= q.L; ++l)
                    weight_bound_.update(spectral_norm(network.weight(l)), q.wbar[at(l - 1)], t, tau_);
                for (Index k = 1; k <= q.L; ++k)
                    feature_bound_.update(spectral_norm(pass.H(k)), q.hbar[at(k)], t, tau_);
            }
        }
        if (phase1_setting_ || (observed_ == 0 && view.setting.phase == 0)) {
            const StepSetting s = phase1_setting_ ? *phase1_setting_ : view.setting;
            const S eta(s.learning_rate), lambda(s.weight_decay);
            if (t == 0) {
                // theta_0: both sides of T4.17 / T4.20 coincide (nothing to check).
            } else if (lambda == 0) {
                const S q1 = S(1) - eta * q.alpha_PL / S(2);
                loss_decay_.update(C0, pow(q1, S(t)) * q.C0, t, tau_, loss_scale);
                const S sq = sqrt(q1);
                distance_.update(dist, eta * q.ball.gbar * q.e0 * (S(1) - pow(sq, S(t))) / (S(1) - sq), t, tau_);
            } else {
                const S q1b = S(1) - eta * q.alpha_PL / S(4);
                loss_decay_wd_.update(
                    C0, pow(q1b, S(t)) * q.C0 + S(6) * lambda * lambda * q.theta_bar * q.theta_bar / q.alpha_PL, t,
                    tau_, loss_scale);
                distance_wd_.update(
                    dist,
                    S(8) * q.ball.gbar * q.e0 / q.alpha_PL +
                        S(t) * eta * lambda * q.theta_bar * (S(1) + q.ball.gbar * sqrt(S(12) / q.alpha_PL)),
                    t, tau_);
            }
        }
        if (options_.epsilon1 && !first_below_target_ && C0 <= S(*options_.epsilon1) * S(*options_.epsilon1) / S(4))
            first_below_target_ = t;
        last_phase1_C0_ = C0;
        last_phase1_step_ = t;
    }
    if (phase2_state) {
        if (!phase2_start_) {
            phase2_start_ = t;
            phase2_setting_ = view.setting;
            const S lambda(view.setting.weight_decay);
            if (lambda > 0)
                phase2_ = t4_phase2_quantities(network, initial_.inputs, targets_, lambda, options_.epsilon2,
                                               std::optional<S>(S(view.setting.learning_rate)));
            theta_T1_ = theta;
        }
        if (phase2_) {
            const T4Phase2<S>& p = *phase2_;
            norm2_.update(sqrt(theta.squaredNorm()), p.rho_lambda, t, tau_);
            residual2_.update(e_F, sqrt(S(2) * p.c_level), t, tau_);
            const S eta2(phase2_setting_->learning_rate);
            const S steps(t - *phase2_start_);
            const S moved = sqrt((theta - theta_T1_).squaredNorm());
            if (t > *phase2_start_)
                distance2_.update(
                    moved, std::min(S(p.theta_norm + p.rho_lambda), S(sqrt(S(2) * p.c_level * eta2 * steps))), t, tau_);
            if (svd_now && t > *phase2_start_) {
                // T4.25: L1.15 summed (L1.16) with T4.24 telescoped,
                // eta2^2 sum_s ||grad C_lambda(theta_s)||^2 <= 2 eta2 (c_level - C_lambda(theta_t)).
                const S decay = pow(S(S(1) - S(2) * eta2 * p.lambda), steps);
                const S C_lambda_now = C0 + p.lambda * theta.squaredNorm() / S(2);
                const S bound = decay * p.Dbar + S(2) * eta2 * (p.c_level - C_lambda_now);
                for (Index l = q.L1 + 1; l < q.L; ++l)
                    balance2_.update(balancedness_gap(network.weight(l), network.weight(l + 1)), bound, t, tau_);
                last_balance_bound_ = bound;
            }
        }
    }

    previous_C0_ = C0;
    previous_grad_squared_ = g2;
    const S lambda_now(view.setting.weight_decay);
    previous_Clambda_ = C0 + lambda_now * theta.squaredNorm() / S(2);
    S gl2(0);
    for (Index l = 1; l <= q.L; ++l)
        gl2 += squared_frobenius_norm(view.evaluation.regularized_gradient(network, l, lambda_now));
    previous_grad_lambda_squared_ = gl2;
    previous_setting_ = view.is_final ? std::nullopt : std::optional<StepSetting>(view.setting);
    last_network_ = network;
    ++observed_;
}

template <class S>
Verdict T4GradientDescentMonitor<S>::verdict() const {
    using std::ceil;
    using std::log;
    using std::sqrt;
    const T4Initialization<S>& q = init_;
    Verdict header = verdict_header("T4", "gradient descent on wide networks: PL phase, then balancing (Thm 4.4)",
                                    Provenance::explicit_constants, "proofs_notes/T4_gradient_descent.md",
                                    initial_.precision.to_string());
    VerdictBuilder<S> v(header, checker_tolerance<S>(options_, initial_.largest_dimension()));
    const std::optional<S> eta1 = phase1_setting_ ? std::optional<S>(S(phase1_setting_->learning_rate)) : std::nullopt;
    const S lambda1 = phase1_setting_ ? S(phase1_setting_->weight_decay) : S(0);
    add_initialization_checks(q, initial_, eta1, lambda1, options_.radius, v);
    v.exact_hypothesis("trajectory", "observed updates >= 1", double(phase1_updates_ + phase2_updates_), ">=", 1,
                       phase1_updates_ + phase2_updates_ >= 1);
    v.exact_hypothesis("phase 1 constant", "constant eta, lambda in phase 1", phase1_constant_ ? 1 : 0, "=", 1,
                       phase1_constant_);
    if (phase1_updates_ + phase2_updates_ == 0) return v.finish();
    std::vector<std::string> unverifiable;

    // Phase 1.
    if (left_ball_)
        v.note("theta_t left the ball B_R in phase 1: the ball checks stop there (T4.17 says it cannot, under INIT)");
    pl_pointwise_.report(v, "T4.5", "||grad C_0||^2", ">=", "alpha_meas(theta_t) C_0(theta_t)");
    pl_alpha_.report(v, "T4.9", "alpha_meas(theta_t)", ">=", "alpha_PL");
    pl_ratio_.report(v, "T4.9", "||grad C_0||^2 (PL)", ">=", "alpha_PL C_0(theta_t)");
    if (pl_ratio_min_ >= 0)
        v.note(fmt::format("PL inequality along phase 1: min_t ||grad C_0||^2/(alpha_PL C_0) = {} (>= 1 required)",
                           number(pl_ratio_min_)));
    weight_bound_.report(v, "T4.6", "||W_l(theta_t)||_op", "<=", "wbar_l");
    feature_bound_.report(v, "T4.7", "||H_k(theta_t)||_op", "<=", "hbar_k");
    grad_bound_.report(v, "T4.10", "||grad C_0(theta_t)||", "<=", "gbar e_F");
    residual_bound_.report(v, "T4.12", "e_F(theta_t)", "<=", "e0 + gbar ||theta_t - theta_0||");
    descent_.report(v, "T4.15", "C_0(theta_{t+1})", "<=", "C_0 - eta ||grad||^2 + (lip_grad/2) eta^2 ||grad||^2");
    loss_decay_.report(v, "T4.17", "C_0(theta_t)", "<=", "q1^t C_0(theta_0)");
    distance_.report(v, "T4.17", "||theta_t - theta_0||", "<=", "eta gbar e0 (1 - q1^{t/2})/(1 - sqrt q1)");
    if (loss_decay_.decided.step >= 0) {
        const S dist1 = S(4) * q.ball.gbar * q.e0 / q.alpha_PL;
        v.step("T4.17", "dist1 = 4 gbar e0/alpha_PL", dist1, "<=", "R", q.R);
    }
    descent_wd_.report(v, "T4.19", "C_0(theta_{t+1})", "<=", "q1b C_0(theta_t) + (3 eta/2) lambda^2 theta_bar^2");
    loss_decay_wd_.report(v, "T4.20", "C_0(theta_t)", "<=", "q1b^t C_0(theta_0) + floor1b");
    distance_wd_.report(v, "T4.20", "||theta_t - theta_0||", "<=", "drift1b(t)");
    if (distance_wd_.decided.step >= 0)
        v.step("T4.20", "drift1b at the last phase-1 step", distance_wd_.decided.rhs, "<=", "R", q.R);

    if (lambda1 > 0 && options_.epsilon1)
        v.note(fmt::format(
            "lambda constraint of (d)/T4.21: lambda = {} vs eps1 sqrt(alpha_PL)/(2 sqrt(6) theta_bar) = {} "
            "(needed for C_0 <= eps1^2/2 through floor1b)",
            number(lambda1), number(S(S(*options_.epsilon1) * sqrt(q.alpha_PL) / (S(2) * sqrt(S(6)) * q.theta_bar)))));
    // T4.18: the phase length.
    if (options_.epsilon1 && eta1 && lambda1 == 0 && q.alpha_PL > 0) {
        const S eps = S(*options_.epsilon1) * S(*options_.epsilon1) / S(4);
        const S T1_len = ceil(S(2) / (*eta1 * q.alpha_PL) * log(q.C0 / eps));
        v.note(fmt::format(
            "phase 1: T1_len(eps1^2/4) = {} steps; measured: C_0 <= eps1^2/4 first at t = {}; phase 1 ran {} "
            "steps",
            number(T1_len), first_below_target_ ? std::to_string(*first_below_target_) : std::string("never"),
            phase1_updates_));
        if (S(last_phase1_step_) >= T1_len)
            v.step("T4.18", "C_0(theta_t) at the end of phase 1 (t >= T1_len)", last_phase1_C0_, "<=", "eps = eps1^2/4",
                   eps);
        else
            unverifiable.push_back(
                fmt::format("T4.18: phase 1 ended at t = {} < T1_len = {}", last_phase1_step_, number(T1_len)));
    }

    // Phase 2.
    if (phase2_start_ && !phase2_)
        v.exact_hypothesis("phase-2 weight decay", "lambda > 0 in phase 2", phase2_setting_->weight_decay, ">", 0,
                           false);
    if (phase2_) {
        const T4Phase2<S>& p = *phase2_;
        const S eta2(phase2_setting_->learning_rate);
        v.exact_hypothesis("phase 2 constant", "constant eta2, lambda in phase 2", phase2_constant_ ? 1 : 0, "=", 1,
                           phase2_constant_);
        v.hypothesis("phase-2 step", "eta2 <= eta2_max", eta2, "<=", p.eta2_max);
        const S eps1 = options_.epsilon1 ? S(*options_.epsilon1) : sqrt(S(2) * p.c_level);
        if (options_.epsilon1) {
            v.note(
                fmt::format("lambda constraint of (e): lambda2 = {} vs eps1^2/(2 theta_bar^2) = {} (sufficient for the "
                            "measured hypothesis c_level <= eps1^2/2 checked below)",
                            number(p.lambda), number(S(eps1 * eps1 / (S(2) * q.theta_bar * q.theta_bar)))));
            v.hypothesis("phase-2 start", "c_level = C_lambda(theta_T1) <= eps1^2/2", p.c_level,
                         "<=", eps1 * eps1 / S(2));
            v.step("T4.22", "c_level", p.c_level, "<=", "eps1^2/4 + (lambda/2) theta_bar^2",
                   eps1 * eps1 / S(4) + p.lambda / S(2) * q.theta_bar * q.theta_bar);
        }
        v.note(fmt::format(
            "phase 2 from t = {}: c_level = {}, rho_lambda = {}, lip2 = {}, eta2_max = {}, Dbar = {}",
            *phase2_start_, number(p.c_level), number(p.rho_lambda), number(p.lip2), number(p.eta2_max),
            number(p.Dbar)));
        norm2_.report(v, "T4.23", "||theta_t||", "<=", "rho_lambda");
        residual2_.report(v, "T4.23", "e_F(theta_t)", "<=", "sqrt(2 c_level)");
        descent2_.report(v, "T4.24", "C_lambda(theta_{t+1})", "<=", "C_lambda(theta_t) - (eta2/2) ||grad C_lambda||^2");
        balance2_.report(v, "T4.25", "||D_l(theta_t)||_op", "<=",
                         "(1 - 2 eta2 lambda)^T Dbar + 2 eta2 (c_level - C_lambda(theta_t))");
        distance2_.report(v, "T4.26", "||theta_t - theta_T1||",
               "<=", "min(||theta_T1|| + rho_lambda, sqrt(2 c_level eta2 (t - T1)))");
        if (p.T2_len) {
            v.note(fmt::format("phase 2: T2_len = {} steps to ||D_l|| <= eps2 = {}; phase 2 ran {} steps",
                               number(*p.T2_len), *options_.epsilon2, phase2_updates_));
            if (S(phase2_updates_) < *p.T2_len)
                unverifiable.push_back(fmt::format("T4.25 with eps2: phase 2 ran {} < T2_len = {} steps",
                                                   phase2_updates_, number(*p.T2_len)));
        }

        // T4.27: the end state through T1 (measured form) and the hypothesis form with
        // eps1, eps2 := the T4.25 bound at the last step, r = r_T4.
        const CheckState<S> head = check_state_from_network(*last_network_, initial_.inputs, initial_.labels,
                                                            initial_.num_classes, initial_.precision);
        CheckerOptions t1_options = options_;
        t1_options.radius.reset();  // T4 reads `radius` as its R, T1 as its norm bound r
        const Verdict t1 = check_t1_nc1(head, t1_options);
        v.note(fmt::format("T4.27: check_t1_nc1 on the last state: {} (NC1 = {}, B_meas = {})",
                           verdict_status_name(t1.status), t1.measured, t1.bound));
        const Index K = head.num_classes, n = head.samples_per_class(), L2 = head.linear_layers();
        if (K >= 2 && n > 0 && L2 >= 2) {
            const Matrix<S>& W = head.head_weight(L2);
            const Matrix<S>& V = head.head_weight(L2 - 1);
            const Matrix<S> H2 = head.head_features(L2 - 2);
            const Matrix<S> Z = multiply(V, H2);
            const Matrix<S> E = multiply(W, Z) - head.targets();
            const S sqrt_n = sqrt(S(n));
            const S e_op = spectral_norm(E), e_F = frobenius_norm(E);
            if (e_op < sqrt_n) {
                const S gap = sqrt_n - e_op;
                const S beta = balancedness_gap(V, W);
                const Index p_width = W.cols();
                const S B_meas = t1_measured_bound(spectral_norm(W), t1_a_bound(e_F, spectral_norm(Z), gap),
                                                   t1_b_bound(spectral_norm(H2), beta, p_width, K), gap, K);
                const S nc1 = nc1_trace_ratio(class_statistics(Z, head.labels, K));
                v.step("T4.27", "NC1(H_{L-1}) at the last state", nc1, "<=", "B_meas (T1 measured form)", B_meas);
                if (eps1 < sqrt_n && balance2_.decided.step >= 0) {
                    const S gap1 = sqrt_n - eps1;
                    const S r = p.r_T4, r4 = r * r * r * r;
                    const S B_r = r4 * (eps1 * eps1 / (gap1 * gap1) + S(p_width - K) * last_balance_bound_) /
                                  (S(K - 1) * gap1 * gap1);
                    v.step("T4.27", "e_F at the last state", e_F, "<=", "eps1", eps1);
                    v.step("T4.27", "B_meas", B_meas, "<=", "B_r(eps1, eps2 = T4.25 bound at the last step, r_T4)",
                           B_r);
                }
            } else {
                unverifiable.push_back("T4.27: the last state does not interpolate (e_op >= sqrt(n))");
            }
        }
    } else if (phase2_start_ == std::nullopt) {
        v.note("no phase 2 observed (the plan has one phase): T4.22 - T4.27 not evaluated");
    }

    // Conclusion: the geometric decay of phase 1 (T4.17, or T4.20 with weight decay) at the
    // worst decided step; for a monitor that saw phase 2 only, the phase-2 descent T4.24.
    const Worst* conclusion = loss_decay_.decided.step >= 0      ? &loss_decay_
                              : loss_decay_wd_.decided.step >= 0 ? &loss_decay_wd_
                                                                 : &descent2_;
    const std::string conclusion_name = conclusion == &loss_decay_ ? "q1^t C_0(theta_0) (T4.17)"
                                        : conclusion == &loss_decay_wd_
                                            ? "q1b^t C_0(theta_0) + floor1b (T4.20)"
                                            : "C_lambda(theta_t) - (eta2/2) ||grad C_lambda||^2 (T4.24)";
    if (conclusion->decided.step >= 0)
        v.conclude(fmt::format("worst decided step t = {}", conclusion->decided.step), conclusion->decided.lhs,
                   conclusion_name, conclusion->decided.rhs, conclusion->decided.magnitude);
    for (const std::string& text : unverifiable)
        v.note(fmt::format("not verifiable on this run (verdict inconclusive): {}", text));
    Verdict verdict = v.finish();
    if (!unverifiable.empty() && verdict.status == VerdictStatus::holds) verdict.status = VerdictStatus::inconclusive;
    return verdict;
}

template struct T4BallBounds<double>;
template struct T4BallBounds<Mpfr>;
template T4BallBounds<double> t4_ball_bounds(const std::vector<double>&, const std::vector<double>&, Index,
                                             const double&);
template T4BallBounds<Mpfr> t4_ball_bounds(const std::vector<Mpfr>&, const std::vector<Mpfr>&, Index, const Mpfr&);
template T4Phase2<double> t4_phase2_quantities(const Network<double>&, const Matrix<double>&, const Matrix<double>&,
                                               const double&, std::optional<double>, std::optional<double>);
template T4Phase2<Mpfr> t4_phase2_quantities(const Network<Mpfr>&, const Matrix<Mpfr>&, const Matrix<Mpfr>&,
                                             const Mpfr&, std::optional<double>, std::optional<Mpfr>);
template T4Initialization<double> t4_initialization_quantities(const NetworkCheckState<double>&, std::optional<double>);
template T4Initialization<Mpfr> t4_initialization_quantities(const NetworkCheckState<Mpfr>&, std::optional<double>);
template Verdict check_t4_initialization(const NetworkCheckState<double>&, const CheckerOptions&);
template Verdict check_t4_initialization(const NetworkCheckState<Mpfr>&, const CheckerOptions&);
template class T4GradientDescentMonitor<double>;
template class T4GradientDescentMonitor<Mpfr>;

}  // namespace ncverify
