#include "ncverify/checkers/t6_large_step_stability.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/checkers/bias_hypotheses.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/sharpness.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

namespace {

/// The first and second directional derivatives of the output along a direction V that
/// moves only the linear layers (T6.10): with H_{L1} fixed, f = W_L ... W_{L1+1} H_{L1}
/// is multilinear, and the recursion f0_k = W_k f0, f1_k = V_k f0 + W_k f1,
/// f2_k = 2 V_k f1 + W_k f2 (from f0 = H_{L1}, f1 = f2 = 0) gives J V = f1_L and
/// D^2 f[V, V] = f2_L = 2 sum_{l > l'} W_L ... V_l ... V_l' ... W_{L1+1} H_{L1}.
template <class S>
struct ChainDerivatives {
    Matrix<S> first, second;
};

template <class S>
ChainDerivatives<S> chain_derivatives(const Network<S>& network, const Matrix<S>& head_input,
                                      const std::vector<Matrix<S>>& direction) {
    Matrix<S> f0 = head_input;
    Matrix<S> f1 = Matrix<S>::Zero(head_input.rows(), head_input.cols());
    Matrix<S> f2 = f1;
    for (Index k = network.spec.nonlinear_layers + 1; k <= network.num_layers(); ++k) {
        const Matrix<S>& w = network.weight(k);
        const Matrix<S>& v = direction[static_cast<std::size_t>(k - 1)];
        Matrix<S> next2 = S(2) * multiply(v, f1) + multiply(w, f2);
        Matrix<S> next1 = multiply(v, f0) + multiply(w, f1);
        f0 = multiply(w, f0);
        f1 = std::move(next1);
        f2 = std::move(next2);
    }
    return {std::move(f1), std::move(f2)};
}

/// A direction shaped like the weights, zero everywhere.
template <class S>
std::vector<Matrix<S>> zero_direction(const Network<S>& network) {
    std::vector<Matrix<S>> direction;
    for (const Matrix<S>& w : network.weights) direction.push_back(Matrix<S>::Zero(w.rows(), w.cols()));
    return direction;
}

template <class S>
S inner(const std::vector<Matrix<S>>& a, const std::vector<Matrix<S>>& b) {
    S sum(0);
    for (std::size_t i = 0; i < a.size(); ++i) sum += trace_of_product(a[i].transpose(), b[i]);
    return sum;
}

}  // namespace

template <class S>
Verdict check_t6_large_step_stability(const NetworkCheckState<S>& state, const CheckerOptions& options) {
    using std::sqrt;
    const Network<S>& network = state.network;
    const NetworkSpec& spec = network.spec;
    const Index K = state.num_classes, L = network.num_layers(), L1 = spec.nonlinear_layers, L2 = L - L1;
    const CheckState<S> head = state.head_state();
    const Index n = head.samples_per_class();
    const Verdict header = verdict_header("T6", "large-step stability => well-conditioned linear part (Prop. 5.3)",
                                          Provenance::explicit_constants, "proofs_notes/T6_large_step_stability.md",
                                          state.precision.to_string());
    const S tau = checker_tolerance<S>(options, state.largest_dimension());
    VerdictBuilder<S> v(header, tau);

    // T6.0: structural hypotheses, decided exactly.
    v.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    v.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (!bias_free_network_hypothesis(network, v) || K < 2 || n == 0) return v.finish();

    const S lambda = options.weight_decay ? S(*options.weight_decay) : S(0);
    if (options.weight_decay)
        v.hypothesis("weight decay", "lambda >= 0", lambda, ">=", S(0));
    else
        v.note("no weight decay given (--weight-decay, or the run's configuration): lambda = 0");
    const Matrix<S> X = state.inputs;
    const Matrix<S> Y = state.targets();
    const ForwardPass<S> pass = forward(network, X);
    const Matrix<S> E = pass.output() - Y;
    const S sqrt_n = sqrt(S(n));
    const S e_F = frobenius_norm(E), e_op = spectral_norm(E);
    // E = W_L H_{L-1} - Y is computed with an error <= tau ||W_L||_F ||H_{L-1}||_F (T1's magnitudes).
    v.hypothesis("interpolation", "e_op = ||H_L - Y||_op < sqrt(n)", e_op, "<", sqrt_n,
                 S(frobenius_norm(network.weight(L)) * frobenius_norm(pass.H(L - 1))));

    // rho and the top products A_gt(l) = W_L ... W_{l+1}, at [l - L1 - 1] for l = L1+1 .. L.
    std::vector<S> weight_op;
    S rho(0);
    for (Index l = L1 + 1; l <= L; ++l) {
        weight_op.push_back(spectral_norm(network.weight(l)));
        rho = std::max(rho, weight_op.back());
    }
    const auto at = [&](Index l) { return static_cast<std::size_t>(l - L1 - 1); };
    std::vector<Matrix<S>> A_gt(static_cast<std::size_t>(L2));
    A_gt[at(L)] = Matrix<S>::Identity(K, K);
    for (Index l = L - 1; l > L1; --l) A_gt[at(l)] = multiply(A_gt[at(l + 1)], network.weight(l + 1));

    // The sharpness estimate (from below; see the header comment).
    SharpnessOptions lanczos;
    lanczos.tolerance = t6_lanczos_tolerance;
    lanczos.max_iterations = t6_lanczos_max_iterations;
    const SharpnessResult<S> sharp = sharpness(network, X, Y, lambda, lanczos);
    const S sharp_est = sharp.eigenvalue;
    const S sharp_upper = sharp.eigenvalue + sharp.residual_norm;
    v.note(fmt::format("sharpness: Lanczos estimate sharp_est = {} (from below), residual {}, {} steps, {}",
                       number(sharp_est), number(sharp.residual_norm), sharp.iterations,
                       sharp.converged ? "converged" : "NOT converged"));

    const std::optional<S> eta = options.learning_rate ? std::optional<S>(S(*options.learning_rate)) : std::nullopt;
    if (eta)
        v.hypothesis("stability (as measured: Lanczos estimate from below)", "sharp_est <= 2/eta", sharp_est,
                     "<=", S(2) / *eta);
    else
        v.note(
            "no learning rate given (--learning-rate, or the run's configuration): the stability hypothesis and "
            "the forms with eta are not evaluated (proof steps T6.6 hypothesis form, T6.12)");
    // The hypothesis forms (T6.6 third form, T6.7 with c3 from eta, T6.12) assume sharp <= 2/eta:
    // they are evaluated only when the stability hypothesis holds as measured.
    const bool stable = eta && sharp_est <= S(2) / *eta;
    if (eta && !stable)
        v.note(
            "the stability hypothesis fails as measured (sharp_est > 2/eta): the hypothesis forms with eta are "
            "skipped");
    const S eps1 = options.epsilon1 ? S(*options.epsilon1) : e_op;
    if (options.epsilon1) {
        v.hypothesis("eps1 bounds the fit", "e_op <= eps1", e_op, "<=", eps1);
        v.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", eps1, "<", sqrt_n);
    }
    const S rho_bound = options.radius ? S(*options.radius) : rho;
    if (options.radius)
        v.hypothesis("bounded weights", "rho = max_{l > L1} ||W_l||_op <= radius", rho, "<=", rho_bound);
    if (!(e_op < sqrt_n)) return v.finish();

    const S gap = sqrt_n - e_op;
    const HessianOperator<S> hessian(network, X, Y, lambda);
    RandomSource random(0x76);  // the random directions of T6.1 and T6.8 (fixed: reproducible verdicts)
    std::vector<S> kappa_stab(static_cast<std::size_t>(L2)), kappa_Age(static_cast<std::size_t>(L2));
    double worst_ratio = -1;
    S worst_measured(0), worst_bound(1), worst_magnitude(0);
    std::string worst_name;
    S blk_max(0);
    for (Index l = L1 + 1; l <= L; ++l) {
        const std::string tag = fmt::format("[{}]", l);
        const Matrix<S>& W = network.weight(l);
        const Matrix<S>& H_prev = pass.H(l - 1);
        const Matrix<S>& top = A_gt[at(l)];
        const Matrix<S> A_ge = multiply(top, W);
        const S w_op = weight_op[at(l)];
        const S s1_top = spectral_norm(top), s1_H = spectral_norm(H_prev);
        const Vector<S> sv_Age = singular_values(A_ge);
        const S s1_Age = sv_Age(0);
        const S sK_Age = sv_Age.size() >= K ? S(sv_Age(K - 1)) : S(0);

        // T6.1: the W_l block of the Hessian is Gauss-Newton + lambda I.
        std::vector<Matrix<S>> direction = zero_direction(network);
        Matrix<S> U = from_double<S>(random.gaussian_matrix(W.rows(), W.cols()));
        U /= frobenius_norm(U);
        direction[static_cast<std::size_t>(l - 1)] = U;
        const Matrix<S> block_product = hessian.apply(direction)[static_cast<std::size_t>(l - 1)];
        const Matrix<S> gauss_newton =
            multiply(top.transpose(),
                     Matrix<S>(multiply(multiply(top, U), Matrix<S>(multiply(H_prev, H_prev.transpose()))))) +
            lambda * U;
        v.matrix_identity(fmt::format("T6.1{}", tag), "(Hess U)_l - (A_gt^T A_gt U H H^T + lambda U)",
                          frobenius_norm(Matrix<S>(block_product - gauss_newton)),
                          squared_frobenius_norm(top) * squared_frobenius_norm(H_prev) + lambda);

        // T6.2 - T6.6.
        const S blk_minus = s1_top * s1_top * s1_H * s1_H;  // blk_l - lambda
        const S blk = blk_minus + lambda;
        blk_max = std::max(blk_max, blk);
        v.step(fmt::format("T6.2{}", tag), "blk_l = s_1(A_gt)^2 s_1(H_{l-1})^2 + lambda", blk,
               "<=", "sharp_est + Lanczos residual", sharp_upper);
        v.step(fmt::format("T6.3{}", tag), "sqrt(n) - e_op", gap, "<=", "s_K(A_ge) s_1(H_{l-1})", sK_Age * s1_H,
               s1_Age * s1_H);
        if (l == L)
            v.identity(fmt::format("T6.4{}", tag), "s_1(A_ge) = ||W_L||_op", s1_Age,
                       "s_1(A_gt) ||W_l||_op (A_gt(L) = I_K)", s1_top * w_op, s1_Age);
        else
            v.step(fmt::format("T6.4{}", tag), "s_1(A_ge)", s1_Age, "<=", "s_1(A_gt) ||W_l||_op", s1_top * w_op);
        const S kappa = s1_Age / sK_Age;
        const S kappa2 = kappa * kappa;
        const S five_rhs = kappa2 * gap * gap / (w_op * w_op);
        v.step(fmt::format("T6.5{}", tag), "blk_l - lambda", blk_minus,
               ">=", "kappa_Age_l^2 (sqrt(n) - e_op)^2/||W_l||_op^2", five_rhs, kappa * std::max(blk_minus, five_rhs));
        const S stab = blk_minus * w_op * w_op / (gap * gap);
        kappa_stab[at(l)] = stab;
        kappa_Age[at(l)] = kappa;
        const S six_magnitude = kappa * std::max(kappa2, stab);
        const std::string which = l == L1 + 1 ? (l == L ? "kappa_A^2 = kappa_W^2" : "kappa_A^2")
                                  : l == L    ? "kappa_W^2"
                                              : fmt::format("kappa(W_L ... W_{})^2", l);
        v.step(fmt::format("T6.6{}", tag), which, kappa2,
               "<=", "kappa_stab_l = (blk_l - lambda) ||W_l||^2/(sqrt(n) - e_op)^2", stab, six_magnitude);
        v.step(fmt::format("T6.6{}", tag), "kappa_stab_l", stab,
               "<=", "(sharp_est - lambda) ||W_l||^2/(sqrt(n) - e_op)^2",
               (sharp_est - lambda) * w_op * w_op / (gap * gap));
        if (stable && eps1 < sqrt_n) {
            const S gap1 = sqrt_n - eps1;
            v.step(fmt::format("T6.6{}", tag), which, kappa2,
                   "<=", "(2/eta - lambda) rho^2/(sqrt(n) - eps1)^2 (hypothesis form)",
                   (S(2) / *eta - lambda) * rho_bound * rho_bound / (gap1 * gap1), six_magnitude);
        }
        const double ratio = ScalarTraits<S>::to_double(kappa2 / stab);
        if (ratio > worst_ratio) {
            worst_ratio = ratio;
            worst_measured = kappa2;
            worst_bound = stab;
            worst_magnitude = six_magnitude;
            worst_name = fmt::format("kappa_stab_l, l = {} (T6.6, measured form)", l);
        }
    }

    // Part (b): T6.7 (L2 >= 2).
    const Matrix<S>& W_L = network.weight(L);
    const Vector<S> sv_W = singular_values(W_L);
    const S kappa_W = sv_W(0) / sv_W(K - 1);
    const Matrix<S>& F = pass.H(L1);
    const S F_op = spectral_norm(F);
    std::optional<S> kappa_W_chain_bound;
    S eps2_chain(0);
    if (L2 >= 2) {
        for (Index j = L1 + 1; j < L; ++j)
            eps2_chain = std::max(eps2_chain, balancedness_gap(network.weight(j), network.weight(j + 1)));
        const S R = eps2_chain * integer_power(rho, 2 * (L2 - 1)) * S(L2 * (L2 - 1)) / S(2);
        const S varrho = R * F_op * F_op / (gap * gap);
        if (varrho < 1) {
            const S c3_squared = kappa_stab[at(L1 + 1)];
            const S bound = kth_root((c3_squared + varrho) / (S(1) - varrho), 2 * L2);
            kappa_W_chain_bound = bound;
            v.step("T6.7", "kappa_W", kappa_W,
                   "<=", "((c3^2 + varrho)/(1 - varrho))^{1/(2 L2)}, c3^2 = kappa_stab_{L1+1}", bound,
                   (kappa_W + kappa_Age[at(L1 + 1)]) * std::max(kappa_W, bound));
            if (stable && eps1 < sqrt_n) {
                const S gap1 = sqrt_n - eps1;
                const S c3_hyp = (S(2) / *eta - lambda) * rho_bound * rho_bound / (gap1 * gap1);
                v.step("T6.7", "kappa_W", kappa_W, "<=",
                       "((c3^2 + varrho)/(1 - varrho))^{1/(2 L2)}, c3^2 = (2/eta - lambda) rho^2/(sqrt(n) - eps1)^2",
                       kth_root((c3_hyp + varrho) / (S(1) - varrho), 2 * L2), kappa_W * kappa_W);
            }
        } else {
            v.note(fmt::format("the bound of kappa(W_L) from the conditioning of the features is not available: "
                               "varrho = R F_op^2/(sqrt(n) - e_op)^2 = {} >= 1 (proof step T6.7 not evaluated)",
                               number(varrho)));
        }
        // C-T6 (conjecture, never a step): inherits C-T2.
        const Vector<S> sv_A = singular_values(network.linear_part());
        const S p = S(2) / S(L2);
        using std::pow;
        const S denominator = pow(S(sv_A(K - 1)), p) - S(L2 - 1) * eps2_chain;
        if (denominator > 0)
            v.note(fmt::format(
                "conjecture C-T6: kappa_W^2 = {} vs (s1_A^(2/L2) + (L2-1) eps2)/(sK_A^(2/L2) - (L2-1) eps2) = {}",
                number(S(kappa_W * kappa_W)), number(S((pow(S(sv_A(0)), p) + S(L2 - 1) * eps2_chain) / denominator))));
    }

    // Part (c): T6.8 - T6.11, for u = the top left singular vector of A and a random unit u.
    const Matrix<S> A = network.linear_part();
    const SingularValueDecomposition<S> svd_A = thin_svd(A);
    std::vector<std::pair<std::string, Vector<S>>> units;
    units.emplace_back("", svd_A.U.col(0));
    Vector<S> random_u = from_double<S>(random.gaussian_matrix(K, 1));
    random_u /= sqrt(random_u.squaredNorm());
    units.emplace_back("[rand]", random_u);
    const S resid_bound = S(L2 - 1) * integer_power(rho, std::max<Index>(L2 - 2, 0)) * F_op;
    S inverse_sum(0);
    for (const S& w_op : weight_op) inverse_sum += S(1) / (w_op * w_op);
    const S sharp_lb_rho = lambda + S(L2) * gap * gap / (rho * rho) - e_F * resid_bound;
    for (const auto& [suffix, u] : units) {
        const Vector<S> z = multiply(Y.transpose(), u) / sqrt_n;
        std::vector<Matrix<S>> jt = zero_direction(network);
        S ntk_lin(0);
        for (Index l = L1 + 1; l <= L; ++l) {
            const Matrix<S> left = multiply(A_gt[at(l)].transpose(), u);
            const Matrix<S> right = multiply(pass.H(l - 1), z);
            Matrix<S> jt_l = multiply(left, right.transpose());
            const S jt_norm = frobenius_norm(jt_l);
            v.step(fmt::format("T6.8[{}]{}", l, suffix), "||Jt_l||_F", jt_norm, ">=", "(sqrt(n) - e_op)/||W_l||_op",
                   gap / weight_op[at(l)]);
            ntk_lin += jt_norm * jt_norm;
            jt[static_cast<std::size_t>(l - 1)] = std::move(jt_l);
        }
        v.step(fmt::format("T6.8{}", suffix), "ntk_lin", ntk_lin, ">=", "(sqrt(n) - e_op)^2 sum_l ||W_l||_op^-2",
               gap * gap * inverse_sum);
        std::vector<Matrix<S>> direction = jt;
        const S scale = S(1) / sqrt(ntk_lin);
        for (Matrix<S>& m : direction) m *= scale;
        const S rq_v = inner(direction, hessian.apply(direction));
        const ChainDerivatives<S> derivatives = chain_derivatives(network, F, direction);
        const S jv_squared = squared_frobenius_norm(derivatives.first);
        const S d2f_v = frobenius_norm(derivatives.second);
        const S residual_term = trace_of_product(E.transpose(), derivatives.second);
        v.identity(fmt::format("T6.9{}", suffix), "rq_v", rq_v, "||J v||_F^2 + <E, D^2 f[v,v]> + lambda",
                   jv_squared + residual_term + lambda, jv_squared + e_F * d2f_v + lambda + blk_max);
        v.step(fmt::format("T6.9{}", suffix), "||J v||_F^2", jv_squared, ">=", "ntk_lin", ntk_lin);
        v.step(fmt::format("T6.9{}", suffix), "rq_v", rq_v, ">=", "lambda + ntk_lin - e_F d2f_v",
               lambda + ntk_lin - e_F * d2f_v, jv_squared + e_F * d2f_v + lambda);
        if (L2 >= 2)
            v.step(fmt::format("T6.10{}", suffix), "d2f_v", d2f_v, "<=", "resid_bound = (L2 - 1) rho^{L2-2} F_op",
                   resid_bound);
        else
            v.identity(fmt::format("T6.10{}", suffix), "d2f_v", d2f_v, "resid_bound = 0 (L2 = 1)", S(0), F_op);
        const S sharp_lb = lambda + gap * gap * inverse_sum - e_F * resid_bound;
        v.step(fmt::format("T6.11{}", suffix), "rq_v", rq_v, "<=", "sharp_est + Lanczos residual", sharp_upper);
        v.step(fmt::format("T6.11{}", suffix), "rq_v", rq_v,
               ">=", "sharp_lb = lambda + (sqrt(n) - e_op)^2 sum ||W_l||^-2 - e_F resid_bound", sharp_lb,
               jv_squared + e_F * d2f_v + lambda);
        if (suffix.empty())
            v.step("T6.11", "sharp_lb", sharp_lb, ">=", "lambda + L2 (sqrt(n) - e_op)^2/rho^2 - e_F resid_bound",
                   sharp_lb_rho);
    }

    // Part (d): T6.12, the eta ~ 1/L2 regime.
    if (stable && eps1 < sqrt_n) {
        const S gap1 = sqrt_n - eps1;
        const S c_eta = *eta * S(L2) * gap1 * gap1 / (rho_bound * rho_bound);
        const S kappa_A = kappa_Age[at(L1 + 1)];
        v.step("T6.12", "kappa_A^2", kappa_A * kappa_A, "<=", "2 L2/c_eta, c_eta = eta L2 (sqrt(n) - eps1)^2/rho^2",
               S(2 * L2) / c_eta, kappa_A * kappa_A * kappa_A);
        const bool residual_condition = e_F * resid_bound <= S(L2) * gap * gap / (S(2) * rho * rho);
        if (residual_condition)
            v.step("T6.12", "c_eta", c_eta, "<=", "4 (sqrt(n) - eps1)^2/(sqrt(n) - e_op)^2 (residual condition holds)",
                   S(4) * gap1 * gap1 / (gap * gap));
        else
            v.note(
                "the bound of the step-size constant c_eta is not evaluated: the network is not close enough to "
                "interpolation for it (the residual condition e_F resid_bound <= L2 (sqrt(n) - e_op)^2/(2 rho^2) fails) "
                "or the measured stability does not hold (proof step T6.12)");
    }

    // Part (e): T6.13, NC2 through T2.a9 with kappa_W replaced by its T6 bound.
    if (L2 >= 2) {
        const Matrix<S>& H_penultimate = pass.H(L - 1);
        const Matrix<S> M = multiply(H_penultimate, Y.transpose()) / S(n);
        const Vector<S> sv_M = singular_values(M);
        const S kappa_M = sv_M(0) / sv_M(K - 1);
        const S delta = e_op / sqrt_n;
        const S h2_op = spectral_norm(pass.H(L - 2));
        const S beta = balancedness_gap(network.weight(L - 1), W_L);
        const S from_a = t2_class_mean_condition_bound(S(sqrt(kappa_stab[at(L)])), delta, S(sv_W(0)), h2_op, beta, n);
        v.step("T6.13", "kappa_M", kappa_M, "<=", "KM_a with kappa_W := sqrt(kappa_stab_L)", from_a,
               (kappa_M + kappa_W) * std::max(kappa_M, from_a));
        if (kappa_W_chain_bound) {
            const S from_b = t2_class_mean_condition_bound(*kappa_W_chain_bound, delta, S(sv_W(0)), h2_op, beta, n);
            v.step("T6.13", "kappa_M", kappa_M, "<=", "KM_a with kappa_W := T6.7 bound", from_b,
                   (kappa_M + kappa_W + kappa_Age[at(L1 + 1)]) * std::max(kappa_M, from_b));
        }
    } else {
        v.note("the bounds through kappa(W_L) need at least two linear layers (proof steps T6.7, T6.13 not evaluated)");
    }

    v.conclude("kappa_Age_l^2 (worst linear layer)", worst_measured, worst_name, worst_bound, worst_magnitude);
    // Informative (proofs_notes/T6_large_step_stability.md §7): a condition number has no
    // trivial upper bound, so a finite bound always says something.
    v.informative(ScalarTraits<S>::is_finite(worst_bound),
                  fmt::format("informative when the bound {} = {} is finite", worst_name, number(worst_bound)));
    return v.finish();
}

template Verdict check_t6_large_step_stability(const NetworkCheckState<double>&, const CheckerOptions&);
template Verdict check_t6_large_step_stability(const NetworkCheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
