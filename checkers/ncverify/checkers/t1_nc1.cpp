#include "ncverify/checkers/t1_nc1.hpp"

#include <fmt/core.h>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/bias_hypotheses.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc1.hpp"

namespace ncverify {

template <class S>
Verdict check_t1_nc1(const CheckState<S>& state, const CheckerOptions& options) {
    using std::sqrt;
    const Index K = state.num_classes, L2 = state.linear_layers(), N = state.num_samples();
    const Index n = state.samples_per_class();
    const Index largest = state.largest_dimension();
    const Verdict header = verdict_header("T1", "interpolation + balancedness => NC1 (Thm 3.1)", Provenance::explicit_constants, "proofs_notes/T1_nc1.md",
                                          state.precision.to_string());
    VerdictBuilder<S> v(header, checker_tolerance<S>(options, largest));

    // T1.0: structural hypotheses, decided exactly.
    v.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    v.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    v.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (!bias_free_head_hypothesis(state, v) || K < 2 || L2 < 2 || n == 0) return v.finish();

    const Matrix<S>& W = state.head_weight(L2);
    const Matrix<S>& V = state.head_weight(L2 - 1);
    const Index p = W.cols();
    const Matrix<S> H2 = state.head_features(L2 - 2);
    const Matrix<S> Z = multiply(V, H2);
    const Matrix<S> output = multiply(W, Z);
    const Matrix<S> Y = state.targets();
    const Matrix<S> E = output - Y;
    const S sqrt_n = sqrt(S(n));
    const S e_F = frobenius_norm(E);
    const S e_op = spectral_norm(E);
    // Rounding magnitudes. A product A B computed in the working precision is off by at
    // most tau ||A||_F ||B||_F (tau of CheckerOptions bounds gamma_k with a margin), so:
    //   output = W Z and E = W Z - Y:          ||W||_F ||Z||_F            (wz_magnitude)
    //   class means M = Z Y^T / n, W M, E':    ||W||_F ||Z||_F / sqrt(n)   (wm_magnitude)
    //   M and the between-class scatter:       ||Z||_F^2 / n              (m_magnitude)
    //   D = W^T W - V V^T:                     ||W||_F^2 + ||V||_F^2      (d_magnitude)
    // Quantities through W^+ carry an extra kappa(W) = ||W^+|| ||W||.
    const S w_F = frobenius_norm(W), v_F = frobenius_norm(V), z_F = frobenius_norm(Z), h2_F = frobenius_norm(H2);
    const S wz_magnitude = w_F * z_F;
    const S wm_magnitude = wz_magnitude / sqrt_n;
    const S m_magnitude = z_F * z_F / S(n);
    const S d_magnitude = w_F * w_F + v_F * v_F;
    v.hypothesis("interpolation", "||H_L - Y||_op < sqrt(n)", e_op, "<", sqrt_n, wz_magnitude);
    v.exact_hypothesis("width", "n_{L-1} >= K", double(p), ">=", double(K), p >= K);

    const S z_op = spectral_norm(Z), h2_op = spectral_norm(H2);
    const Vector<S> sv_W = singular_values(W);
    const S w_op = sv_W(0);
    const Matrix<S> D = balancedness_matrix(V, W);
    const S beta = symmetric_spectral_norm(D);
    if (options.epsilon1) {
        v.hypothesis("eps1 bounds the fit", "||H_L - Y||_F <= eps1", e_F, "<=", S(*options.epsilon1), wz_magnitude);
        v.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", S(*options.epsilon1), "<", sqrt_n);
    }
    if (options.epsilon2)
        v.hypothesis("balancedness", "||D_{L-1}||_op <= eps2", beta, "<=", S(*options.epsilon2), d_magnitude);
    if (options.radius) {
        v.hypothesis("radius H_{L-1}", "||H_{L-1}||_op <= r", z_op, "<=", S(*options.radius), S(v_F * h2_F));
        v.hypothesis("radius H_{L-2}", "||H_{L-2}||_op <= r", h2_op, "<=", S(*options.radius));
        v.hypothesis("radius W_L", "||W_L||_op <= r", w_op, "<=", S(*options.radius));
    }
    if (!(e_op < sqrt_n) || p < K) return v.finish();

    // T1.1 - T1.3: W_L has full row rank (s_K of the computed W Z is off by <= tau wz_magnitude).
    const S sK_W = sv_W(K - 1);
    const S kappa_W = w_op / sK_W;
    const S sK_WZ = singular_values(output)(K - 1);
    v.step("T1.1", "s_K(W Z)", sK_WZ, ">=", "sqrt(n) - ||E||_op", sqrt_n - e_op, wz_magnitude);
    v.step("T1.2", "s_K(W Z)", sK_WZ, "<=", "s_K(W) ||Z||_op", sK_W * z_op, wz_magnitude);
    v.step("T1.3", "s_K(W)", sK_W, ">=", "(sqrt(n) - ||E||_op) / ||Z||_op", (sqrt_n - e_op) / z_op, wz_magnitude / z_op);

    // Within-class parts X (I - Pi) = X - (X Y^T / n) Y, never forming the N x N projector.
    const auto within = [&](const Matrix<S>& x) -> Matrix<S> {
        return x - multiply(Matrix<S>(multiply(x, Y.transpose()) / S(n)), Y);
    };
    const Matrix<S> Z_within = within(Z), E_within = within(E);
    v.matrix_identity("T1.4", "Y (I - Pi)", frobenius_norm(within(Y)), frobenius_norm(Y));
    const Matrix<S> W_pinv = pseudo_inverse(W, RankRule::fixed(K));
    // P = W^+ W and P_perp = I - P. When p = K, W is square and invertible (T1.3), so
    // P = I and P_perp = 0 exactly: the checker uses that instead of a rounded I - W^+ W.
    const bool square = p == K;
    const Matrix<S> P = square ? Matrix<S>(Matrix<S>::Identity(p, p)) : multiply(W_pinv, W);
    const Matrix<S> P_perp = square ? Matrix<S>(Matrix<S>::Zero(p, p)) : Matrix<S>(Matrix<S>::Identity(p, p) - P);
    const Matrix<S> PZ_within = multiply(P, Z_within);
    const Matrix<S> W_pinv_E_within = multiply(W_pinv, E_within);
    // W^+ E (I - Pi) = W^+ W Z (I - Pi) up to the rounding of E (tau wz_magnitude) times ||W^+||.
    const S pinv_magnitude = kappa_W * z_F;
    v.matrix_identity("T1.5", "P Z (I - Pi) - W^+ E (I - Pi)", frobenius_norm(Matrix<S>(PZ_within - W_pinv_E_within)),
                      std::max(z_F, pinv_magnitude));
    const S e_within = frobenius_norm(E_within);
    v.step("T1.6", "||W^+ E (I - Pi)||_F", frobenius_norm(W_pinv_E_within), "<=", "||E (I - Pi)||_F / s_K(W)",
           e_within / sK_W, pinv_magnitude);
    v.step("T1.7", "||E (I - Pi)||_F", e_within, "<=", "||E||_F", e_F, wz_magnitude);
    const S a = frobenius_norm(PZ_within);
    const S a_bound = t1_a_bound(e_F, z_op, S(sqrt_n - e_op));
    // a_bound inherits the rounding of ||E||_F (tau wz_magnitude) times ||Z||_op / gap.
    v.step("T1.8", "a = ||P Z (I - Pi)||_F", a, "<=", "a_bound = ||E||_F ||Z||_op / (sqrt(n) - ||E||_op)", a_bound,
           std::max(pinv_magnitude, S(wz_magnitude * z_op / (sqrt_n - e_op))));

    // T1.9 - T1.12: the part outside the row space of W_L is controlled by balancedness.
    // For any matrix Q, -tr(Q^T D Q) = ||Q^T V||_F^2 - ||W Q||_F^2 exactly; the proof uses
    // Q = P_perp with W P_perp = 0. The computed P_perp annihilates W only to rounding
    // (kappa(W) eps), so the identity is checked with the defect ||W P_perp||_F^2 on the
    // left; its rounding is that of D (tau d_magnitude) times ||P_perp||_F^2 <= p.
    const Matrix<S> P_perp_V = multiply(P_perp.transpose(), V);
    const S perp_v_squared = squared_frobenius_norm(P_perp_V);
    const S defect = squared_frobenius_norm(multiply(W, P_perp));
    const S minus_trace = -trace_of_product(multiply(P_perp.transpose(), D), P_perp);
    v.identity("T1.9", "||P_perp V||_F^2 - ||W P_perp||_F^2", perp_v_squared - defect, "-tr(P_perp D P_perp)",
               minus_trace, S(p) * d_magnitude);
    const S b = frobenius_norm(multiply(P_perp, Z_within));
    const S b_bound = t1_b_bound(h2_op, beta, p, K);
    // b = ||P_perp V H_{L-2} (I - Pi)||: the rounding of Z (tau ||V||_F ||H_{L-2}||_F)
    // times ||P_perp||_F <= sqrt(p); b_bound inherits sqrt of beta's rounding (tau d_magnitude).
    const S b_magnitude = sqrt(S(p)) * v_F * h2_F;
    const S b_bound_error = h2_op * sqrt(S(p - K) * v.tolerance() * d_magnitude);
    if (square) {
        // P_perp = 0 exactly: T1.10 - T1.12 read 0 <= 0 and hold as identities.
        v.identity("T1.10", "-tr(P_perp D P_perp)", minus_trace, "(p - K) ||D_{L-1}||_op = 0", S(0), d_magnitude);
        v.identity("T1.11", "b = ||P_perp Z (I - Pi)||_F", b, "||P_perp V||_F ||H_{L-2}||_op = 0", S(0), b_magnitude);
        v.identity("T1.12", "b", b, "b_bound = 0", S(0), b_magnitude);
    } else {
        v.step("T1.10", "-tr(P_perp D P_perp)", minus_trace, "<=", "(p - K) ||D_{L-1}||_op", S(p - K) * beta,
               S(kappa_W * S(p) * d_magnitude));
        v.step("T1.11", "b = ||P_perp Z (I - Pi)||_F", b, "<=", "||P_perp V||_F ||H_{L-2}||_op",
               sqrt(perp_v_squared) * h2_op, b_magnitude);
        v.step("T1.12", "b", b, "<=", "b_bound = ||H_{L-2}||_op sqrt((p - K) ||D||_op)", b_bound,
               std::max(b_magnitude, S(b_bound_error / v.tolerance())));
    }

    // T1.13: within-class scatter (tr Sigma_W from the metrics module, an independent route);
    // a^2 + b^2 = ||Z (I - Pi)||_F^2 for an orthogonal projector, so the rounding of P
    // (kappa(W) eps) enters with ||Z||_F^2.
    const ClassStatistics<S> stats = class_statistics(Z, state.labels, K);
    v.identity("T1.13", "N tr Sigma_W", S(N) * stats.within_trace, "a^2 + b^2", a * a + b * b,
               S((S(1) + kappa_W) * z_F * z_F));

    // T1.14 - T1.19: between-class scatter (magnitudes wm_magnitude, m_magnitude above).
    const Matrix<S> M = multiply(Z, Y.transpose()) / S(n);
    const Matrix<S> E_means = multiply(E, Y.transpose()) / S(n);
    const Matrix<S> WM = multiply(W, M);
    v.matrix_identity("T1.14", "W M - I - E'", frobenius_norm(Matrix<S>(WM - Matrix<S>::Identity(K, K) - E_means)),
                      std::max(S(1), wm_magnitude));
    const S delta = e_op / sqrt_n;
    v.step("T1.15", "||E'||_op", spectral_norm(E_means), "<=", "delta = ||E||_op / sqrt(n)", delta, wm_magnitude);
    const S sK_WM = singular_values(WM)(K - 1);
    v.step("T1.16", "s_K(W M)", sK_WM, ">=", "1 - delta", S(1) - delta, wm_magnitude);
    const S sK_M = singular_values(M)(K - 1);
    v.step("T1.17", "s_K(W M)", sK_WM, "<=", "||W||_op s_K(M)", w_op * sK_M, wm_magnitude);
    const Matrix<S> M_centred = M - M.rowwise().mean().replicate(1, K);
    const S centred_squared = squared_frobenius_norm(M_centred);
    v.identity("T1.18", "K tr Sigma_B", S(K) * stats.between_trace, "||M C_K||_F^2", centred_squared, m_magnitude);
    v.step("T1.19", "||M C_K||_F^2", centred_squared, ">=", "(K - 1) s_K(M)^2", S(K - 1) * sK_M * sK_M, m_magnitude);

    // T1.20: the conclusion, measured form. nc1 carries the rounding of the scatters
    // (tau ||Z||_F^2 / N, relative to tr Sigma_B); B_meas that of beta through b_bound.
    const S nc1 = nc1_trace_ratio(stats);
    const S gap = sqrt_n - e_op;
    const S B_meas = t1_measured_bound(w_op, a_bound, b_bound, gap, K);
    // B_meas is linear in beta (b_bound^2 = h2_op^2 (p - K) beta), so beta's rounding moves
    // it by w_op^2 b_bound_error^2 / ((K - 1) gap^2), B_meas with a_bound = 0.
    const S B_meas_error = t1_measured_bound(w_op, S(0), b_bound_error, gap, K);
    const S nc1_magnitude = std::max(S(squared_frobenius_norm(Z) / (S(N) * stats.between_trace)),
                                     S(B_meas_error / v.tolerance()));
    v.step("T1.20", "NC1 = tr Sigma_W / tr Sigma_B", nc1, "<=", "B_meas", B_meas, nc1_magnitude);
    // T1.21 - T1.23: the theorem's forms with eps1, eps2, r (measured when not given).
    const S eps1 = options.epsilon1 ? S(*options.epsilon1) : e_F;
    const S eps2 = options.epsilon2 ? S(*options.epsilon2) : beta;
    const S r = options.radius ? S(*options.radius) : std::max({z_op, h2_op, w_op});
    if (eps1 < sqrt_n) {
        const S gap1 = sqrt_n - eps1;
        const S r4 = r * r * r * r;
        const S B_r = r4 * (eps1 * eps1 / (gap1 * gap1) + S(p - K) * eps2) / (S(K - 1) * gap1 * gap1);
        v.step("T1.21", "B_meas", B_meas, "<=", "B_r = r^4 [eps1^2/(sqrt(n)-eps1)^2 + (p-K) eps2] / ((K-1)(sqrt(n)-eps1)^2)", B_r);
        const S Delta = r * eps1 / gap1 + r * sqrt(S(p - K) * eps2);
        const S one_minus = S(1) - eps1 / sqrt_n;
        const S B_theory = S(K) * w_op * w_op * Delta * Delta / (S(N) * S(K - 1) * one_minus * one_minus);
        v.step("T1.22", "B_meas", B_meas, "<=", "B_THEORY = K ||W||^2 Delta^2 / (N (K-1)(1 - eps1/sqrt(n))^2)", B_theory);
        if (eps1 <= sqrt_n / 2) {
            const S C1 = S(4) * r4 * std::max(S(4) / S(n), S(p - K)) / (S(K - 1) * S(n));
            const S root = eps1 + sqrt(eps2);
            v.step("T1.23", "B_r", B_r, "<=", "C1 (eps1 + sqrt(eps2))^2 (paper's rate)", C1 * root * root);
        }
    }
    v.conclude("NC1(H_{L-1}) = tr Sigma_W / tr Sigma_B", nc1, "B_meas", B_meas, nc1_magnitude);

    // Informative (proofs_notes/T1_nc1.md §7): the bound says something only below the NC1
    // of the features the linear head receives, NC1(H_{L1}).
    const S nc1_input = nc1_trace_ratio(class_statistics(state.head_input, state.labels, K));
    v.informative(B_meas < nc1_input, fmt::format("informative when B_meas = {} < NC1(H_{{L1}}) = {}, the NC1 of the "
                                                  "features the linear head receives",
                                                  number(B_meas), number(nc1_input)));
    return v.finish();
}

template Verdict check_t1_nc1(const CheckState<double>&, const CheckerOptions&);
template Verdict check_t1_nc1(const CheckState<Mpfr>&, const CheckerOptions&);

}  // namespace ncverify
