#include "ncverify/checkers/t5_near_optimal.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/bias_hypotheses.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"

namespace ncverify {

namespace {

/// s_i(B) for i = 1 .. K, with s_i := 0 beyond the rank (T5 §1).
template <class S>
std::vector<S> top_singular_values(const Matrix<S>& b, Index K) {
    const Vector<S> sv = singular_values(b);
    std::vector<S> result(static_cast<std::size_t>(K), S(0));
    for (Index i = 0; i < std::min<Index>(K, sv.size()); ++i) result[static_cast<std::size_t>(i)] = sv(i);
    return result;
}

/// Everything parts (a), (b) and (d) read (T5 §1 names).
template <class S>
struct T5Quantities {
    Index K = 0, L2 = 0, n = 0;
    S sqrt_n, p, e_F, e_op, F_op, lin_cost, schatten, rho;
    std::vector<S> sv_A;                   // s_i(A), i <= K
    std::vector<std::vector<S>> sv_layer;  // s_i(W_{L1+j}), i <= K, j = 1 .. L2
    std::vector<S> weight_op, weight_frobenius_squared;
    S kappa_A, kappa_A_pow, kA_pow_meas;
    S s1_W, sK_W, kappa_W;
    Matrix<S> output;
};

/// T5.0 - T5.6, T5.14, T5.16 (first part) on the linear head. Returns false when the
/// hypotheses fail (nothing more is evaluated).
template <class S>
bool check_head_parts(const CheckState<S>& state, const S& tau, VerdictBuilder<S>& v, T5Quantities<S>& q) {
    using std::pow;
    using std::sqrt;
    q.K = state.num_classes;
    q.L2 = state.linear_layers();
    q.n = state.samples_per_class();
    const Index K = q.K, L2 = q.L2;
    v.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    v.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    v.exact_hypothesis("balanced classes", "n_c = n for all c", double(q.n), ">", 0, q.n > 0);
    Index smallest = state.head_input.rows();
    for (Index j = 1; j <= L2; ++j) smallest = std::min(smallest, state.head_weight(j).rows());
    v.exact_hypothesis("B1 widths", "n_l >= K for L1 <= l <= L", double(smallest), ">=", double(K), smallest >= K);
    if (!bias_free_head_hypothesis(state, v) || K < 2 || L2 < 2 || q.n == 0 || smallest < K) return false;

    const Matrix<S>& F = state.head_input;
    const Matrix<S> A = [&] {
        Matrix<S> a = state.head_weight(L2);
        for (Index j = L2 - 1; j >= 1; --j) a = multiply(a, state.head_weight(j));
        return a;
    }();
    q.output = multiply(A, F);
    const Matrix<S> E = q.output - state.targets();
    q.sqrt_n = sqrt(S(q.n));
    q.p = S(2) / S(L2);
    q.e_F = frobenius_norm(E);
    q.e_op = spectral_norm(E);
    // E = A H_{L1} - Y is computed with an error <= tau ||A||_F ||H_{L1}||_F (T1's magnitudes).
    v.hypothesis("interpolation", "e_op = ||H_L - Y||_op < sqrt(n)", q.e_op, "<", q.sqrt_n,
                 S(frobenius_norm(A) * frobenius_norm(F)));
    if (!(q.e_op < q.sqrt_n)) return false;

    // Part (a): T5.1 - T5.4.
    q.sv_A = top_singular_values(A, K);
    q.lin_cost = S(0);
    q.rho = S(0);
    S conditioning = q.sv_A[0] / q.sv_A[std::size_t(K - 1)];
    for (Index j = 1; j <= L2; ++j) {
        const Matrix<S>& w = state.head_weight(j);
        q.sv_layer.push_back(top_singular_values(w, K));
        q.weight_op.push_back(q.sv_layer.back()[0]);
        q.weight_frobenius_squared.push_back(squared_frobenius_norm(w));
        q.lin_cost += q.weight_frobenius_squared.back();
        q.rho = std::max(q.rho, q.weight_op.back());
        conditioning += q.sv_layer.back()[0] / q.sv_layer.back()[std::size_t(K - 1)];
    }
    // Sides built from s_1 .. s_K carry relative rounding ~ u K (sum of the kappas).
    const auto magnitude = [&](const S& a, const S& b) { return S(K) * conditioning * std::max(a, b); };
    S horn_lhs(1), horn_rhs(1);
    for (Index k = 1; k <= K; ++k) {
        horn_lhs *= q.sv_A[std::size_t(k - 1)];
        for (Index j = 0; j < L2; ++j) horn_rhs *= q.sv_layer[std::size_t(j)][std::size_t(k - 1)];
        v.step(fmt::format("T5.1[{}]", k), "horn_lhs(k) = prod_{i<=k} s_i(A)", horn_lhs,
               "<=", "horn_rhs(k) = prod_{i<=k} prod_l s_i(W_l)", horn_rhs, magnitude(horn_lhs, horn_rhs));
    }
    q.schatten = S(0);
    S major_rhs(0);
    for (Index i = 0; i < K; ++i) {
        q.schatten += pow(q.sv_A[std::size_t(i)], q.p);
        S term(1);
        for (Index j = 0; j < L2; ++j) term *= pow(q.sv_layer[std::size_t(j)][std::size_t(i)], q.p);
        major_rhs += term;
    }
    S holder_rhs(1);
    for (const S& f2 : q.weight_frobenius_squared) holder_rhs *= pow(f2, S(1) / S(L2));
    const S lin_per_layer = q.lin_cost / S(L2);
    v.step("T5.2", "schatten = sum_i s_i(A)^{2/L2}", q.schatten, "<=", "major_rhs = sum_i prod_l s_i(W_l)^{2/L2}",
           major_rhs, magnitude(q.schatten, major_rhs));
    v.step("T5.3", "major_rhs", major_rhs, "<=", "holder_rhs = prod_l ||W_l||_F^{2/L2}", holder_rhs,
           magnitude(major_rhs, holder_rhs));
    v.step("T5.4", "holder_rhs", holder_rhs, "<=", "lin_cost/L2", lin_per_layer, magnitude(holder_rhs, lin_per_layer));

    // Part (b): T5.5, T5.6.
    q.F_op = F.size() == 0 ? S(0) : state.head_input_decomposition.thin_svd_of(F)->singular_values(0);
    const S sK_A = q.sv_A[std::size_t(K - 1)];
    q.kappa_A = q.sv_A[0] / sK_A;
    const S a_min = (q.sqrt_n - q.e_op) / q.F_op;
    v.step("T5.5", "sK_A", sK_A, ">=", "a_min = (sqrt(n) - e_op)/F_op", a_min, q.kappa_A * std::max(sK_A, a_min));
    q.kappa_A_pow = pow(q.kappa_A, q.p);
    const S middle = q.schatten / pow(sK_A, q.p) - S(K - 1);
    q.kA_pow_meas = lin_per_layer * pow(a_min, -q.p) - S(K - 1);
    const S six_magnitude = q.kappa_A * S(K) * std::max(q.kappa_A_pow, q.kA_pow_meas);
    if (K == 2)
        v.identity("T5.6", "kappa_A^{2/L2}", q.kappa_A_pow, "schatten/sK_A^{2/L2} - (K - 1) (equal for K = 2)", middle,
                   six_magnitude);
    else
        v.step("T5.6", "kappa_A^{2/L2}", q.kappa_A_pow, "<=", "schatten/sK_A^{2/L2} - (K - 1)", middle, six_magnitude);
    v.step("T5.6", "schatten/sK_A^{2/L2} - (K - 1)", middle,
           "<=", "kA_pow_meas = (lin_cost/L2) a_min^{-2/L2} - (K - 1)", q.kA_pow_meas, six_magnitude);

    // T5.14 for every linear pair (any state). gap_j has absolute rounding
    // delta = tau (||W_j||_F^2 + ||W_{j+1}||_F^2), which sqrt turns into 2 min_op sqrt(delta) + delta.
    for (Index j = 1; j < L2; ++j) {
        const Matrix<S>& w = state.head_weight(j);
        const Matrix<S>& w_next = state.head_weight(j + 1);
        const Vector<S> sv_product = singular_values(Matrix<S>(multiply(w_next, w)));
        const S scale = q.weight_frobenius_squared[std::size_t(j - 1)] + q.weight_frobenius_squared[std::size_t(j)];
        const S gap_j = std::max(S(scale - S(2) * sv_product.sum()), S(0));
        const S min_op = std::min(q.weight_op[std::size_t(j - 1)], q.weight_op[std::size_t(j)]);
        const S bound = S(2) * min_op * sqrt(gap_j) + gap_j;
        v.step(fmt::format("T5.14[{}]", j), "||D_j||_op", balancedness_gap(w, w_next),
               "<=", "Dj_bound = 2 min(||W_j||, ||W_j+1||) sqrt(gap_j) + gap_j", bound,
               S(2) * min_op * sqrt(scale / tau) + scale);
    }
    q.s1_W = q.sv_layer.back()[0];
    q.sK_W = q.sv_layer.back()[std::size_t(K - 1)];
    q.kappa_W = q.s1_W / q.sK_W;
    if (L2 == 2) {
        // T5.16, first part: |s_i(W_L)^2 - s_i(A)| <= s1_W sqrt(gap_S), gap_S = lin_cost - 2 ||A||_*.
        const S gap_S = std::max(S(q.lin_cost - S(2) * q.schatten), S(0));
        S worst(0);
        for (Index i = 0; i < K; ++i) {
            using std::abs;
            const S s = q.sv_layer.back()[std::size_t(i)];
            worst = std::max(worst, S(abs(s * s - q.sv_A[std::size_t(i)])));
        }
        v.step("T5.16", "max_i |s_i(W_L)^2 - s_i(A)|", worst, "<=", "s1_W sqrt(gap_S)", q.s1_W * sqrt(gap_S),
               q.s1_W * sqrt(q.lin_cost / tau) + q.lin_cost);
    }
    return true;
}

/// The activations of ncverify are all 1-Lipschitz with sigma(0) = 0 (activation.hpp:
/// smooth leaky ReLU gamma x + (1 - gamma)(softplus(beta x) - log 2)/beta, leaky ReLU,
/// ReLU, tanh, identity): hypothesis B2 with sigma0 = 0.
bool one_lipschitz_through_zero(const Activation& activation) {
    switch (activation.kind()) {
        case ActivationKind::smooth_leaky_relu:
        case ActivationKind::leaky_relu:
        case ActivationKind::relu:
        case ActivationKind::tanh:
        case ActivationKind::identity:
            return true;
    }
    return false;
}

/// Phi(u) = x_op (u/L1)^{L1/2} (T5.9 with sigma0 = 0).
template <class S>
S feature_norm_bound(const S& x_op, const S& u, Index L1) {
    using std::pow;
    return x_op * pow(S(u / S(L1)), S(L1) / S(2));
}

}  // namespace

template <class S>
S t5_certified_lower_bound(const S& x_op, Index K, Index n, Index L1, Index L2, const S& lambda, const S& C_ub,
                           Index grid_points) {
    using std::pow;
    using std::sqrt;
    if (!(lambda > 0)) throw InvalidArgument("t5_certified_lower_bound: lambda must be > 0");
    if (grid_points < 2)
        throw InvalidArgument(fmt::format("t5_certified_lower_bound: {} grid points, need >= 2", grid_points));
    const S sqrt_n = sqrt(S(n));
    const S p = S(2) / S(L2);
    const Index M = grid_points;
    // t_k = k sqrt(n)/M; m_low(phi) = min_k [1/2 (t_{k+1} - sqrt(n))^2 + (lambda L2/2) t_k^p phi^{-p}].
    std::vector<S> fit(static_cast<std::size_t>(M)), cost(static_cast<std::size_t>(M));
    for (Index k = 0; k < M; ++k) {
        const S t_next = sqrt_n * S(k + 1) / S(M);
        fit[std::size_t(k)] = (t_next - sqrt_n) * (t_next - sqrt_n) / S(2);
        cost[std::size_t(k)] = lambda * S(L2) / S(2) * pow(S(sqrt_n * S(k) / S(M)), p);
    }
    const auto m_low = [&](const S& phi) {
        const S inverse = pow(phi, -p);
        S best = fit[0] + cost[0] * inverse;
        for (Index k = 1; k < M; ++k) best = std::min(best, S(fit[std::size_t(k)] + cost[std::size_t(k)] * inverse));
        return best;
    };
    const Index J = grid_points;
    const S u_max = S(2) * C_ub / lambda;
    S bound = C_ub;
    for (Index j = 0; j < J; ++j) {
        const S u_j = u_max * S(j) / S(J), u_next = u_max * S(j + 1) / S(J);
        bound = std::min(bound, S(lambda / S(2) * u_j + S(K) * m_low(feature_norm_bound(x_op, u_next, L1))));
    }
    return bound;
}

/// The conclusion kappa_A^{2/L2} <= kA_pow_meas (T5.6) and its informativeness: kappa >= 1
/// has no trivial upper bound, so a finite bound always says something
/// (proofs_notes/T5_near_optimal.md §7).
template <class S>
void conclude_t5(const T5Quantities<S>& q, VerdictBuilder<S>& v) {
    v.conclude("kappa_A^{2/L2}", q.kappa_A_pow, "kA_pow_meas = (lin_cost/L2) a_min^{-2/L2} - (K - 1) (T5.6)",
               q.kA_pow_meas, q.kappa_A * S(q.K) * std::max(q.kappa_A_pow, q.kA_pow_meas));
    v.informative(ScalarTraits<S>::is_finite(q.kA_pow_meas),
                  fmt::format("informative when the bound kA_pow_meas = {} is finite", number(q.kA_pow_meas)));
}

template <class S>
Verdict check_t5_near_optimal(const CheckState<S>& state, const CheckerOptions& options) {
    const Verdict header =
        verdict_header("T5", "near-optimal solutions are well conditioned (Thm 5.2)", Provenance::explicit_constants,
                       "proofs_notes/T5_near_optimal.md", state.precision.to_string());
    const S tau = checker_tolerance<S>(options, state.largest_dimension());
    VerdictBuilder<S> v(header, tau);
    T5Quantities<S> q;
    if (!check_head_parts(state, tau, v, q)) return v.finish();
    v.note(
        "this head-only check does not include the epsilon-optimality report (C_lambda, eps_est, LB_cert, part "
        "(d)), which needs the whole network, its data and lambda");
    conclude_t5(q, v);
    return v.finish();
}

template <class S>
Verdict check_t5_near_optimal(const NetworkCheckState<S>& state, const CheckerOptions& options) {
    using std::sqrt;
    const Verdict header =
        verdict_header("T5", "near-optimal solutions are well conditioned (Thm 5.2)", Provenance::explicit_constants,
                       "proofs_notes/T5_near_optimal.md", state.precision.to_string());
    const CheckState<S> head = state.head_state();
    const S tau = checker_tolerance<S>(options, state.largest_dimension());
    VerdictBuilder<S> v(header, tau);
    T5Quantities<S> q;
    const bool admissible = bias_free_network_hypothesis(state.network, v) && check_head_parts(head, tau, v, q);
    const auto conclude = [&] {
        conclude_t5(q, v);
        return v.finish();
    };
    if (!admissible) return v.finish();
    if (!options.weight_decay || !(*options.weight_decay > 0)) {
        v.note(
            "no weight decay lambda > 0 given (--weight-decay, or the run's configuration): the "
            "epsilon-optimality report and parts (d), (e) are skipped");
        return conclude();
    }
    const Network<S>& network = state.network;
    const Index L1 = network.spec.nonlinear_layers, L2 = q.L2, K = q.K;
    const S lambda(*options.weight_decay);
    const bool b2 = one_lipschitz_through_zero(network.spec.activation);
    v.exact_hypothesis("B2", "sigma 1-Lipschitz, sigma(0) = 0", b2 ? 1 : 0, "=", 1, b2);
    if (!b2) return v.finish();

    S u_nl(0);
    for (Index l = 1; l <= L1; ++l) u_nl += squared_frobenius_norm(network.weight(l));
    const S loss = q.e_F * q.e_F / S(2) + lambda / S(2) * (u_nl + q.lin_cost);
    const S x_op = spectral_norm(state.inputs);
    const S phi = feature_norm_bound(x_op, u_nl, L1);
    v.step("T5.9", "F_op = ||H_{L1}||_op", q.F_op, "<=", "Phi(u_nl) = x_op (u_nl/L1)^{L1/2}", phi);

    // Part (e): T5.17, T5.18.
    using std::pow;
    const std::vector<S> t = top_singular_values(q.output, K);
    S lower(lambda / S(2) * u_nl);
    for (const S& t_i : t)
        lower += (t_i - q.sqrt_n) * (t_i - q.sqrt_n) / S(2) + lambda * S(L2) / S(2) * pow(S(t_i / phi), q.p);
    v.step("T5.17", "(lambda/2) u_nl + sum_i [(t_i - sqrt(n))^2/2 + (lambda L2/2)(t_i/Phi)^{2/L2}]", lower,
           "<=", "C_lambda(theta)", loss);
    const std::optional<S> best = options.best_loss ? std::optional<S>(S(*options.best_loss)) : std::nullopt;
    const S C_ub = best ? std::min(loss, *best) : loss;
    const S LB_cert = t5_certified_lower_bound(x_op, K, q.n, L1, L2, lambda, C_ub);
    if (LB_cert < C_ub) {
        v.step("T5.18", "LB_cert", LB_cert, "<=", "C_lambda(theta)", loss);
        if (best) v.step("T5.18", "LB_cert", LB_cert, "<=", "C_best", *best);
    } else {
        v.note(
            "T5.18: the grid bound is >= C_ub = min(C_lambda(theta), C_best), so LB_cert = C_ub (nothing to compare)");
    }
    const S eps_cert = loss - LB_cert;
    v.note(
        fmt::format("C_lambda(theta) = {}, LB_cert = {} (certified lower bound on min C_lambda, grid {}x{}, working "
                    "precision), eps_cert = C_lambda - LB_cert = {} (an upper bound on the suboptimality)",
                    number(loss), number(LB_cert), t5_lb_grid_points, t5_lb_grid_points, number(eps_cert)));

    // Part (d) with eps = eps_cert (H-opt holds with it). budget = 2 eps_cert/lambda carries
    // the rounding of C_lambda - LB_cert, ~ tau 2 C_lambda/lambda, and gap_S that of lin_cost.
    const S budget = S(2) * eps_cert / lambda;
    const S budget_scale = S(2) * loss / lambda + q.lin_cost;
    const S gap_S = q.lin_cost - S(L2) * q.schatten;
    v.step("T5.13", "gap_S = lin_cost - L2 schatten", gap_S, "<=", "2 eps_cert/lambda", budget, budget_scale);
    S eps2_chain(0);
    for (Index j = 1; j < L2; ++j) {
        const Matrix<S>& w = head.head_weight(j);
        const Matrix<S>& w_next = head.head_weight(j + 1);
        const S scale = q.weight_frobenius_squared[std::size_t(j - 1)] + q.weight_frobenius_squared[std::size_t(j)];
        const S gap_j = scale - S(2) * singular_values(Matrix<S>(multiply(w_next, w))).sum();
        v.step(fmt::format("T5.13[{}]", j), "gap_j", gap_j, "<=", "2 eps_cert/lambda", budget, scale + budget_scale);
        eps2_chain = std::max(eps2_chain, balancedness_gap(w, w_next));
    }
    const S eps2_opt = S(2) * q.rho * sqrt(budget) + budget;
    v.step("T5.15", "eps2_chain = max_j ||D_j||_op", eps2_chain,
           "<=", "eps2_opt = 2 rho sqrt(2 eps_cert/lambda) + 2 eps_cert/lambda", eps2_opt,
           S(2) * q.rho * sqrt(budget_scale / tau) + budget_scale);
    const S R_chain = eps2_opt * integer_power(q.rho, 2 * (L2 - 1)) * S(L2 * (L2 - 1)) / S(2);
    const S s1_A = q.sv_A[0], sK_A = q.sv_A[std::size_t(K - 1)];
    const S kappa_W_pow = integer_power(q.kappa_W, 2 * L2);
    const S chain_magnitude = (q.kappa_W + q.kappa_A) * S(2 * L2) * kappa_W_pow;
    if (sK_A * sK_A > R_chain) {
        v.step("T5.15", "kappa_W^{2 L2}", kappa_W_pow, "<=", "(s1_A^2 + R_chain)/(sK_A^2 - R_chain)",
               (s1_A * s1_A + R_chain) / (sK_A * sK_A - R_chain), chain_magnitude);
        v.step("T5.15", "kappa_W^{2 L2}", kappa_W_pow, ">=", "(s1_A^2 - R_chain)/(sK_A^2 + R_chain)",
               (s1_A * s1_A - R_chain) / (sK_A * sK_A + R_chain), chain_magnitude);
    } else {
        v.note(fmt::format("the linear layers are too far from balanced for the bound on kappa(W_L): s_K(A)^2 = {} "
                           "<= R_chain = {} (proof step T5.15 not evaluated)",
                           number(S(sK_A * sK_A)), number(R_chain)));
    }
    if (L2 == 2) {
        const S shift = q.s1_W * sqrt(budget);
        if (sK_A > shift)
            v.step("T5.16", "kappa_W^2", q.kappa_W * q.kappa_W,
                   "<=", "(s1_A + s1_W sqrt(2 eps_cert/lambda))/(sK_A - s1_W sqrt(2 eps_cert/lambda))",
                   (s1_A + shift) / (sK_A - shift), (q.kappa_W + q.kappa_A) * q.kappa_W * q.kappa_W);
        else
            v.note("the two-layer bound on kappa(W_L)^2 needs the network to be closer to optimal: s_K(A) <= s1_W "
                   "sqrt(2 eps_cert/lambda) (proof step T5.16 not evaluated)");
    }

    // The epsilon-optimality report with C_best: estimates, never steps.
    if (best) {
        const S eps_est = loss - *best;
        const S budget_est = S(2) * std::max(eps_est, S(0)) / lambda;
        const S eps2_est = S(2) * q.rho * sqrt(budget_est) + budget_est;
        v.note(fmt::format(
            "ESTIMATE (not certified): eps_est = C_lambda(theta) - C_best = {} (the true suboptimality is >= "
            "eps_est, since min C_lambda <= C_best); C_best - LB_cert = {} bounds how far C_best can be from "
            "min C_lambda",
            number(eps_est), number(S(*best - LB_cert))));
        v.note(
            fmt::format("ESTIMATE (part (d) with eps_est): gap_S = {} vs 2 eps_est/lambda = {}; eps2_chain = {} vs "
                        "eps2_opt(eps_est) = {}",
                        number(gap_S), number(budget_est), number(eps2_chain), number(eps2_est)));
        const S denominator = pow(sK_A, q.p) - S(L2 - 1) * eps2_est;
        if (denominator > 0)
            v.note(fmt::format(
                "conjecture C-T5 (with eps_est, an estimate): kappa_W^2 = {} vs (s1_A^(2/L2) + (L2-1) "
                "eps2_opt)/(sK_A^(2/L2) - (L2-1) eps2_opt) = {}",
                number(S(q.kappa_W * q.kappa_W)), number(S((pow(s1_A, q.p) + S(L2 - 1) * eps2_est) / denominator))));
    } else {
        v.note("no best loss C_best given: the suboptimality estimate eps_est is not reported");
    }
    const S denominator = pow(sK_A, q.p) - S(L2 - 1) * eps2_opt;
    if (denominator > 0)
        v.note(fmt::format(
            "conjecture C-T5 (with eps_cert): kappa_W^2 = {} vs (s1_A^(2/L2) + (L2-1) eps2_opt)/(sK_A^(2/L2) - "
            "(L2-1) eps2_opt) = {}",
            number(S(q.kappa_W * q.kappa_W)), number(S((pow(s1_A, q.p) + S(L2 - 1) * eps2_opt) / denominator))));
    return conclude();
}

template Verdict check_t5_near_optimal(const CheckState<double>&, const CheckerOptions&);
template Verdict check_t5_near_optimal(const CheckState<Mpfr>&, const CheckerOptions&);
template Verdict check_t5_near_optimal(const NetworkCheckState<double>&, const CheckerOptions&);
template Verdict check_t5_near_optimal(const NetworkCheckState<Mpfr>&, const CheckerOptions&);
template double t5_certified_lower_bound(const double&, Index, Index, Index, Index, const double&, const double&,
                                         Index);
template Mpfr t5_certified_lower_bound(const Mpfr&, Index, Index, Index, Index, const Mpfr&, const Mpfr&, Index);

}  // namespace ncverify
