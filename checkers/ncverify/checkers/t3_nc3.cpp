#include "ncverify/checkers/t3_nc3.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <string>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/checkers/bias_hypotheses.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc3.hpp"

namespace ncverify {

template <class S>
Verdict check_t3_nc3(const CheckState<S>& state, const CheckerOptions& options) {
    using std::abs;
    using std::sqrt;
    const Index K = state.num_classes, L2 = state.linear_layers();
    const Index n = state.samples_per_class();
    const Index largest = state.largest_dimension();
    const Verdict header = verdict_header("T3", "interpolation + balancedness + conditioning => NC3", Provenance::explicit_constants, "proofs_notes/T3_nc3.md",
                                          state.precision.to_string());
    const S tolerance = checker_tolerance<S>(options, largest);
    VerdictBuilder<S> v(header, tolerance);

    // Structural hypotheses, decided exactly (as T2: T3.12 uses T2.d1).
    v.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    v.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    v.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (!bias_free_head_hypothesis(state, v) || K < 2 || L2 < 2 || n == 0) return v.finish();
    Index width = state.head_input.rows();
    for (Index j = 1; j < L2; ++j) width = std::min(width, state.head_weight(j).rows());
    v.exact_hypothesis("width", "n_j >= K for L1 <= j < L", double(width), ">=", double(K), width >= K);

    const Matrix<S>& W = state.head_weight(L2);
    const Matrix<S>& V = state.head_weight(L2 - 1);
    const Index p = W.cols();
    const Matrix<S> H2 = state.head_features(L2 - 2);
    const Matrix<S> Z = multiply(V, H2);
    const Matrix<S> Y = state.targets();
    const Matrix<S> E = multiply(W, Z) - Y;
    const S sqrt_n = sqrt(S(n));
    const S e_F = frobenius_norm(E), e_op = spectral_norm(E);
    // E = W Z - Y is computed with an error <= tau ||W||_F ||Z||_F (verdict.hpp, T1's magnitudes).
    v.hypothesis("interpolation", "||H_L - Y||_op < sqrt(n)", e_op, "<", sqrt_n, S(frobenius_norm(W) * frobenius_norm(Z)));
    // The chain: rho = max_j ||W_j||_op, eps2_chain = max_j ||D_j||_op.
    S rho(0), eps2_chain(0);
    for (Index j = 1; j <= L2; ++j) rho = std::max(rho, spectral_norm(state.head_weight(j)));
    for (Index j = 1; j < L2; ++j)
        eps2_chain = std::max(eps2_chain, balancedness_gap(state.head_weight(j), state.head_weight(j + 1)));
    const S h2_op = spectral_norm(H2);
    if (options.epsilon1) {
        v.hypothesis("eps1 bounds the fit", "||H_L - Y||_F <= eps1", e_F, "<=", S(*options.epsilon1));
        v.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", S(*options.epsilon1), "<", sqrt_n);
    }
    if (options.epsilon2)
        v.hypothesis("balancedness", "max_j ||D_j||_op <= eps2 (L1 < j < L)", eps2_chain, "<=", S(*options.epsilon2));
    if (options.radius) {
        v.hypothesis("radius W_j", "max_j ||W_j||_op <= r (L1 < j <= L)", rho, "<=", S(*options.radius));
        v.hypothesis("radius H_{L-2}", "||H_{L-2}||_op <= r", h2_op, "<=", S(*options.radius));
    }
    if (!(e_op < sqrt_n) || width < K) return v.finish();

    // W_L has rank K (T1.3): W^+, P, P_perp, G and G^{-1} = (W^+)^T W^+.
    const S delta = e_op / sqrt_n;
    const Vector<S> sv_W = singular_values(W);
    const S s1_W = sv_W(0), sK_W = sv_W(K - 1), kappa_W = s1_W / sK_W;
    const S beta = balancedness_gap(V, W);
    const Matrix<S> W_pinv = pseudo_inverse(W, RankRule::fixed(K));
    const bool square = p == K;  // W invertible: P = I and P_perp = 0 exactly
    const Matrix<S> P = square ? Matrix<S>(Matrix<S>::Identity(p, p)) : multiply(W_pinv, W);
    const Matrix<S> P_perp = square ? Matrix<S>(Matrix<S>::Zero(p, p)) : Matrix<S>(Matrix<S>::Identity(p, p) - P);
    const Matrix<S> G = multiply(W, W.transpose());
    const Matrix<S> G_inv = multiply(W_pinv.transpose(), W_pinv);
    const ClassStatistics<S> stats = class_statistics(Z, state.labels, K);
    const Matrix<S>& M = stats.class_means;
    const Matrix<S> E_means = multiply(E, Y.transpose()) / S(n);
    const Matrix<S> PM = multiply(P, M), PperpM = multiply(P_perp, M);
    const Nc3Alignment<S> alignment = nc3_alignment(M, W);
    const S nc3 = alignment.mean_cosine;
    const S perp_squared = s1_W * s1_W * h2_op * h2_op * beta / S(n);
    const S LB3 = nc3_lower_bound(kappa_W, delta, perp_squared);
    const S z_scale = frobenius_norm(Z) / sqrt_n;  // >= ||M||_F: the size of the means' data
    const S kantorovich_bound = (S(1) + kappa_W * kappa_W) * (S(1) + kappa_W * kappa_W) / (S(4) * kappa_W * kappa_W);

    for (Index c = 0; c < K; ++c) {
        const std::string label = fmt::format(" (c = {})", c + 1);
        const S w_norm = W.row(c).norm(), mu_norm = M.col(c).norm();
        const S inner = W.row(c).dot(M.col(c).transpose());
        const S one_plus = S(1) + E_means(c, c);
        v.identity("T3.1", "<mu_c, w_c>" + label, inner, "1 + Em_cc", one_plus, std::max(S(1), w_norm * z_scale));
        v.step("T3.2", "1 + Em_cc" + label, one_plus, ">=", "1 - delta", S(1) - delta);
        const S pm = PM.col(c).norm(), pperp = PperpM.col(c).norm();
        v.identity("T3.3", "||mu_c||^2" + label, mu_norm * mu_norm, "||PM_c||^2 + ||PperpM_c||^2", pm * pm + pperp * pperp,
                   kappa_W * mu_norm * mu_norm);
        const S em_norm = E_means.col(c).norm();
        const S t34_rhs = sqrt(G_inv(c, c)) + em_norm / sK_W;
        v.step("T3.4", "||PM_c||" + label, pm, "<=", "sqrt(Ginv_cc) + ||Em_c||/sK_W", t34_rhs,
               kappa_W * std::max(mu_norm, t34_rhs));
        v.step("T3.5", "||Em_c||" + label, em_norm, "<=", "delta", delta);
        const S t36_rhs = h2_op * sqrt(beta / S(n));
        if (square)
            v.identity("T3.6", "||PperpM_c||" + label, pperp, "0 (<= h2_op sqrt(beta/n); P_perp = 0: n_{L-1} = K)", S(0),
                       kappa_W * mu_norm);
        else
            v.step("T3.6", "||PperpM_c||" + label, pperp, "<=", "h2_op sqrt(beta/n)", t36_rhs, kappa_W * mu_norm);
        v.identity("T3.7", "||w_c||" + label, w_norm, "sqrt(G_cc)", sqrt(G(c, c)), w_norm);
        const S product = G(c, c) * G_inv(c, c);
        v.step("T3.8", "G_cc Ginv_cc" + label, product, "<=", "(1 + kappa_W^2)^2/(4 kappa_W^2)", kantorovich_bound,
               kappa_W * std::max(product, kantorovich_bound));
        v.step("T3.9", "sqrt(G_cc)" + label, sqrt(G(c, c)), "<=", "s1_W", s1_W);
        const S cos_c = alignment.cosines(c);
        v.step("T3.10", "cos_c" + label, cos_c, ">=", "LB3", LB3, kappa_W * std::max(abs(cos_c), LB3));
    }
    v.step("T3.11", "nc3", nc3, ">=",
           "LB3 = (1-delta)/sqrt(((1+kappa_W^2)/(2 kappa_W) + kappa_W delta)^2 + s1_W^2 h2_op^2 beta/n)", LB3,
           kappa_W * std::max(abs(nc3), LB3));

    // T3.12 with KW_F of T2.d1, and the hypothesis form of §2.4 by monotonicity.
    const auto feature_bound = t2_kappa_w_feature_bound(state);
    if (feature_bound) {
        const S KW = feature_bound->KW_F;
        const S LB3_final = nc3_lower_bound(KW, delta, rho * rho * h2_op * h2_op * eps2_chain / S(n));
        v.step("T3.12", "nc3", nc3, ">=",
               "LB3_final = (1-delta)/sqrt(((1+KW_F^2)/(2 KW_F) + KW_F delta)^2 + rho^2 h2_op^2 eps2_chain/n)",
               LB3_final, (kappa_W + feature_bound->kappa_F) * std::max(abs(nc3), LB3_final));
        const S eps1 = options.epsilon1 ? S(*options.epsilon1) : e_F;
        const S eps2 = options.epsilon2 ? S(*options.epsilon2) : eps2_chain;
        const S rho_h = options.radius ? S(*options.radius) : rho;
        const S r_h = options.radius ? S(*options.radius) : h2_op;
        if (!(e_F <= eps1 && eps2_chain <= eps2 && rho <= rho_h && h2_op <= r_h)) {
            v.note("the bound in terms of the given --eps1, --eps2, --radius is not evaluated: they do not bound the "
                   "measured fit, balancedness and norms (proof step T3.12, hypothesis form)");
        } else if (!(eps1 < sqrt_n)) {
            v.note("the bound in terms of eps1 is not evaluated: eps1 = " + number(eps1) +
                   " >= sqrt(n), so it does not imply interpolation (proof step T3.12, hypothesis form)");
        } else {
            const S LB3_hyp = nc3_lower_bound(KW, eps1 / sqrt_n, rho_h * rho_h * r_h * r_h * eps2 / S(n));
            v.step("T3.12", "LB3_final", LB3_final, ">=", "LB3_hyp (§2.4 with eps1, eps2, rho = r = radius, k_W = KW_F)",
                   LB3_hyp);
        }
    } else {
        v.note("the NC3 bound from the conditioning of the features is not available: the linear layers are too "
               "far from balanced for it (a_K^meas <= R of T2.d1; proof step T3.12 not evaluated)");
    }

    // T3.13: the ideal case E = 0, D_{L-1} = 0, decided as "vanishes to rounding": ||E||_op
    // within tau of the size ||W_L||_op ||Z||_op of the products it is computed from, and
    // beta within tau of the size s1_W^2 + ||V||_op^2 of D (metrics/balancedness.hpp). Then
    // |cos_c - 1/sqrt(G_cc Ginv_cc)| <= (delta (1 + kappa_W) + perp^2/2) / sqrt(G_cc Ginv_cc)
    // (T3.4 - T3.6 to first order), which sets the scale of the identity.
    const S v_op = spectral_norm(V);
    const S fit_level = s1_W * spectral_norm(Z) / sqrt_n;  // delta <= tau * fit_level
    const S balance_level = s1_W * s1_W + v_op * v_op;      // beta <= tau * balance_level
    if (delta <= tolerance * fit_level && beta <= tolerance * balance_level) {
        const S scale = S(2) + kappa_W + (S(1) + kappa_W) * fit_level +
                        s1_W * s1_W * h2_op * h2_op * balance_level / (S(2) * S(n));
        for (Index c = 0; c < K; ++c)
            v.identity("T3.13", fmt::format("cos_c (c = {})", c + 1), alignment.cosines(c), "1/sqrt(G_cc Ginv_cc)",
                       S(1) / sqrt(G(c, c) * G_inv(c, c)), scale);
    } else {
        v.note("the exact-collapse identity applies only when the fit and the last pair's balance are exact to "
               "rounding, here delta = " + number(delta) + ", beta = " + number(beta) + " (proof step T3.13 not "
               "evaluated)");
    }

    v.conclude_at_least("NC3 = mean_c cos(mu_c, w_c)", nc3, "LB3 (lower bound, T3.11)", LB3,
                        kappa_W * std::max(abs(nc3), LB3));
    // Informative (proofs_notes/T3_nc3.md §6): a lower bound <= 0 says nothing about the
    // alignment (cosines of aligned means are positive).
    v.informative(LB3 > S(0), fmt::format("informative when the lower bound LB3 = {} > 0", number(LB3)));
    return v.finish();
}

template Verdict check_t3_nc3(const CheckState<double>&, const CheckerOptions&);
template Verdict check_t3_nc3(const CheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
