#include "ncverify/checkers/t2_nc2.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ncverify/checkers/checker_numbers.hpp"
#include "ncverify/checkers/bias_hypotheses.hpp"
#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/rank_rule.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc2.hpp"

namespace ncverify {

namespace {

template <class S>
Matrix<S> matrix_power(const Matrix<S>& x, Index k) {
    if (k == 0) return Matrix<S>::Identity(x.rows(), x.cols());
    Matrix<S> result = x;
    for (Index i = 1; i < k; ++i) result = multiply(result, x);
    return result;
}

/// The structural hypotheses of T2 (K >= 2, L2 >= 2, balanced classes, every head width
/// n_j >= K for L1 <= j < L), decided exactly.
template <class S>
Index smallest_head_width(const CheckState<S>& state) {
    Index smallest = state.head_input.rows();
    for (Index j = 1; j < state.linear_layers(); ++j) smallest = std::min(smallest, state.head_weight(j).rows());
    return smallest;
}

template <class S>
bool structure_admissible(const CheckState<S>& state) {
    return state.num_classes >= 2 && state.linear_layers() >= 2 && state.samples_per_class() > 0 &&
           smallest_head_width(state) >= state.num_classes;
}

/// W_top(L1 + i) = W_L ... W_{L1+i+1} for i = 0 .. L2 (tops[L2] = I_K, tops[0] = A).
template <class S>
std::vector<Matrix<S>> top_products(const CheckState<S>& state) {
    const Index L2 = state.linear_layers();
    std::vector<Matrix<S>> tops(static_cast<std::size_t>(L2 + 1));
    tops[std::size_t(L2)] = Matrix<S>::Identity(state.num_classes, state.num_classes);
    for (Index i = L2 - 1; i >= 0; --i)
        tops[std::size_t(i)] = multiply(tops[std::size_t(i + 1)], state.head_weight(i + 1));
    return tops;
}

/// The imbalance of the linear chain (T2 §1): D_j, ||D_j||_op, rho, eps2_chain, R.
template <class S>
struct ChainImbalance {
    std::vector<S> weight_op;    // ||W_{L1+i}||_op at [i - 1], i = 1 .. L2
    std::vector<Matrix<S>> D;    // D_{L1+i} at [i - 1], i = 1 .. L2 - 1
    std::vector<S> D_op;         // ||D_{L1+i}||_op
    S rho, eps2_chain, R;
};

template <class S>
ChainImbalance<S> chain_imbalance(const CheckState<S>& state) {
    const Index L2 = state.linear_layers();
    ChainImbalance<S> chain;
    chain.rho = S(0);
    chain.eps2_chain = S(0);
    for (Index i = 1; i <= L2; ++i) {
        chain.weight_op.push_back(spectral_norm(state.head_weight(i)));
        chain.rho = std::max(chain.rho, chain.weight_op.back());
    }
    for (Index i = 1; i < L2; ++i) {
        chain.D.push_back(balancedness_matrix(state.head_weight(i), state.head_weight(i + 1)));
        chain.D_op.push_back(symmetric_spectral_norm(chain.D.back()));
        chain.eps2_chain = std::max(chain.eps2_chain, chain.D_op.back());
    }
    chain.R = chain.eps2_chain * integer_power(chain.rho, 2 * (L2 - 1)) * S(L2 * (L2 - 1)) / S(2);
    return chain;
}

/// The conditioning of F = H_{L1} (T2 §1): rank_F by RankRule::working_precision(),
/// F^+ = V_r diag(1/s_i) U_r^T and Q_F = F F^+ = U_r U_r^T (F7), tau_F = ||A (I - Q_F)||_op.
/// F^+ (N x p) is never formed: its one use, X F^+ for K x N matrices X, is computed as
/// ((X V_r) diag(1/s_i)) U_r^T, which keeps the check free of p x N products by N x p.
template <class S>
struct FeatureConditioning {
    Index rank_F = 0;
    bool full_row_rank = false;
    S F_op, smin_F, kappa_F, tau_F;
    Matrix<S> scaled_V_r, U_r, Q_F;  // V_r diag(1/s_i) (N x r), U_r (p x r)

    /// X F^+ for X with N columns.
    Matrix<S> times_pseudo_inverse(const Matrix<S>& x) const { return multiply(multiply(x, scaled_V_r), U_r.transpose()); }
};

template <class S>
FeatureConditioning<S> feature_conditioning(const CheckState<S>& state, const Matrix<S>& A) {
    const Matrix<S>& F = state.head_input;
    const auto shared_svd = state.head_input_decomposition.thin_svd_of(F);
    const SingularValueDecomposition<S>& svd = *shared_svd;
    FeatureConditioning<S> f;
    f.rank_F = RankRule::working_precision().rank(svd.singular_values, F.rows(), F.cols());
    f.full_row_rank = f.rank_F == F.rows();
    const Index r = std::max<Index>(f.rank_F, 1);
    f.F_op = svd.singular_values(0);
    f.smin_F = svd.singular_values(r - 1);
    f.kappa_F = f.F_op / f.smin_F;
    f.scaled_V_r = svd.V.leftCols(r);
    for (Index i = 0; i < r; ++i) f.scaled_V_r.col(i) /= svd.singular_values(i);
    f.U_r = svd.U.leftCols(r);
    f.Q_F = multiply(f.U_r, f.U_r.transpose());
    f.tau_F = spectral_norm(Matrix<S>(A - multiply(A, f.Q_F)));
    return f;
}

/// Everything the four parts of the proof read (T1_nc1.md §1 and T2_nc2.md §1 names).
template <class S>
struct T2Quantities {
    const CheckState<S>* state = nullptr;
    Index K, L2, N, n, p;
    S sqrt_n;
    Matrix<S> Y, H2, Z, V, W, output, E, A, M, E_means, W_pinv, P, P_perp;
    /// F = H_{L1}, read in place (p x N: never copied).
    const Matrix<S>& F() const { return state->head_input; }
    std::vector<Matrix<S>> tops;
    Vector<S> sv_W, sv_A, sv_M;
    S e_F, e_op, delta, h2_op, v_op, s1_W, sK_W, kappa_W, s1_A, sK_A, kappa_A, s1_M, sK_M, kappa_M, beta;
    ChainImbalance<S> chain;
    FeatureConditioning<S> features;
};

// ---------------------------------------------------------------------------------------
// Part (a): NC2 from the conditioning of W_L (T2.a1 - T2.a10). Returns KM_a.
template <class S>
S check_part_a(const T2Quantities<S>& q, VerdictBuilder<S>& v) {
    using std::sqrt;
    const Index K = q.K;
    const Matrix<S> I_K = Matrix<S>::Identity(K, K);
    const Matrix<S> PM = multiply(q.P, q.M);
    const Matrix<S> PperpM = multiply(q.P_perp, q.M);
    // W^+ amplifies the rounding of E' by 1/sK_W: the scale is kappa_W ||Z||_F / sqrt(n)
    // (>= kappa_W ||M||_F >= ||PM||_F, the note's scale).
    const S z_scale = q.kappa_W * frobenius_norm(q.Z) / q.sqrt_n;
    v.matrix_identity("T2.a1", "PM - W_pinv (I_K + E_means)",
                      frobenius_norm(Matrix<S>(PM - multiply(q.W_pinv, Matrix<S>(I_K + q.E_means)))), z_scale);
    const Matrix<S> gram_split = multiply(PM.transpose(), PM) + multiply(PperpM.transpose(), PperpM);
    const S m_F = frobenius_norm(q.M);
    v.matrix_identity("T2.a2", "M^T M - (PM^T PM + PperpM^T PperpM)",
                      frobenius_norm(Matrix<S>(multiply(q.M.transpose(), q.M) - gram_split)), q.kappa_W * m_F * m_F);

    const Vector<S> sv_PM = singular_values(PM);
    const S s1_PM = sv_PM(0), sK_PM = sv_PM(K - 1);
    const S pperpM_op = spectral_norm(PperpM);
    // PM and PperpM carry the rounding of P (relative u kappa_W) times ||M||.
    const S m_magnitude = q.kappa_W * m_F;
    const bool square = q.p == K;  // P_perp = 0 exactly: T2.a3, a5, a7, a8 are equalities
    if (square)
        v.identity("T2.a3", "sK_M", q.sK_M, "sK_PM (P = I: n_{L-1} = K)", sK_PM, m_magnitude);
    else
        v.step("T2.a3", "sK_M", q.sK_M, ">=", "sK_PM", sK_PM, m_magnitude);
    v.step("T2.a4", "sK_PM", sK_PM, ">=", "(1 - delta)/s1_W", (S(1) - q.delta) / q.s1_W, m_magnitude);
    if (square)
        v.identity("T2.a5", "s1_M^2", q.s1_M * q.s1_M, "s1_PM^2 + pperpM_op^2 (P = I: n_{L-1} = K)",
                   s1_PM * s1_PM + pperpM_op * pperpM_op, m_magnitude * m_magnitude);
    else
        v.step("T2.a5", "s1_M^2", q.s1_M * q.s1_M, "<=", "s1_PM^2 + pperpM_op^2", s1_PM * s1_PM + pperpM_op * pperpM_op,
               m_magnitude * m_magnitude);
    const S a6_rhs = (S(1) + q.delta) / q.sK_W;
    v.step("T2.a6", "s1_PM", s1_PM, "<=", "(1 + delta)/sK_W", a6_rhs, std::max(m_magnitude, q.kappa_W * a6_rhs));

    const S pperpV_op = spectral_norm(multiply(q.P_perp, q.V));
    const S v_magnitude = q.kappa_W * (q.v_op * q.v_op + q.s1_W * q.s1_W);
    if (square)
        v.identity("T2.a7", "pperpV_op^2", pperpV_op * pperpV_op, "0 (<= beta; P_perp = 0: n_{L-1} = K)", S(0),
                   v_magnitude);
    else
        v.step("T2.a7", "pperpV_op^2", pperpV_op * pperpV_op, "<=", "beta = ||D_{L-1}||_op", q.beta, v_magnitude);
    // Both sides carry the rounding of P_perp (relative u kappa_W), times ||M|| on the left
    // and ||V||_op h2_op/sqrt(n) on the right.
    const S a8_rhs = pperpV_op * q.h2_op / q.sqrt_n;
    const S a8_magnitude = q.kappa_W * (m_F + q.v_op * q.h2_op / q.sqrt_n);
    if (square)
        v.identity("T2.a8", "pperpM_op", pperpM_op, "pperpV_op h2_op/sqrt(n) (both 0: n_{L-1} = K)", a8_rhs,
                   a8_magnitude);
    else
        v.step("T2.a8", "pperpM_op", pperpM_op, "<=", "pperpV_op h2_op/sqrt(n)", a8_rhs, a8_magnitude);

    const S KM_a = t2_class_mean_condition_bound(q.kappa_W, q.delta, q.s1_W, q.h2_op, q.beta, q.n);
    v.step("T2.a9", "kappa_M", q.kappa_M, "<=",
           "KM_a = sqrt(((1+delta)/(1-delta))^2 kappa_W^2 + s1_W^2 h2_op^2 beta/(n (1-delta)^2))", KM_a,
           (q.kappa_M + q.kappa_W) * KM_a);

    const S q_perp = q.h2_op * sqrt(q.beta / S(q.n));
    const S denominator = (S(1) - q.delta) / q.s1_W - q_perp;
    if (denominator > 0) {
        const S KM_theory = ((S(1) + q.delta) / q.sK_W + q_perp) / denominator;
        v.step("T2.a10", "KM_a", KM_a, "<=", "KM_THEORY = [(1+delta)/sK_W + q]/[(1-delta)/s1_W - q]", KM_theory);
    } else {
        v.note("the THEORY.md form of the NC2 bound is undefined here: its denominator (1 - delta)/s1_W - q is " +
               number(denominator) + " <= 0 (q = h2_op sqrt(beta/n)); the measured form used by the verdict needs no "
               "such condition (proof step T2.a10 not evaluated)");
    }
    return KM_a;
}


// ---------------------------------------------------------------------------------------
// Part (b): kappa(W_L) versus kappa(A)^{1/L2} for eps2-balanced chains (T2.b1 - T2.b15).
// No interpolation is used. Pair j = L1 + i (i = 1 .. L2 - 1) has m_j = i.
template <class S>
void check_part_b(const T2Quantities<S>& q, VerdictBuilder<S>& v) {
    using std::abs;
    using std::sqrt;
    const CheckState<S>& state = *q.state;
    const Index K = q.K, L2 = q.L2;
    const ChainImbalance<S>& chain = q.chain;
    const S sqrt_K = sqrt(S(K));
    const auto at = [](Index i) { return static_cast<std::size_t>(i); };
    const auto pair_label = [](Index i) { return fmt::format("j = L1+{}, m_j = {}", i, i); };

    // Lo_{L1+i} = W_{L1+i} W_{L1+i}^T and T_{L1+i} = W_top(L1+i) Lo^i W_top(L1+i)^T, i = 1 .. L2.
    std::vector<Matrix<S>> Lo(at(L2 + 1)), T(at(L2 + 1));
    std::vector<S> lo_op(at(L2 + 1)), top_op(at(L2 + 1));
    for (Index i = 1; i <= L2; ++i) {
        const Matrix<S>& w = state.head_weight(i);
        Lo[at(i)] = multiply(w, w.transpose());
        lo_op[at(i)] = chain.weight_op[at(i - 1)] * chain.weight_op[at(i - 1)];
        top_op[at(i)] = spectral_norm(q.tops[at(i)]);
        T[at(i)] = multiply(multiply(q.tops[at(i)], matrix_power(Lo[at(i)], i)), q.tops[at(i)].transpose());
    }

    // T2.b1 - T2.b3, pair by pair. Rounding scale of T_j, T_{j+1} and the factored form:
    // ||W_top(j)||_op^2 max(||Lo_j||_op, ||Up_j||_op)^{m_j} sqrt(K) (bounds ||T_j||_F, ||T_{j+1}||_F).
    for (Index i = 1; i < L2; ++i) {
        const Matrix<S>& w_next = state.head_weight(i + 1);
        const Matrix<S> Up = multiply(w_next.transpose(), w_next);
        const S up_op = chain.weight_op[at(i)] * chain.weight_op[at(i)];
        const Matrix<S> Lo_m = matrix_power(Lo[at(i)], i), Up_m = matrix_power(Up, i);
        const Matrix<S> X = Lo_m - Up_m;
        const Matrix<S> factored = multiply(multiply(q.tops[at(i)], X), q.tops[at(i)].transpose());
        const S chain_scale = top_op[at(i)] * top_op[at(i)] * integer_power(std::max(lo_op[at(i)], up_op), i) * sqrt_K;
        v.matrix_identity("T2.b1",
                          fmt::format("T_j - T_{{j+1}} - W_top(j)(Lo_j^m_j - Up_j^m_j)W_top(j)^T ({})", pair_label(i)),
                          frobenius_norm(Matrix<S>(T[at(i)] - T[at(i + 1)] - factored)), chain_scale);
        const S difference_op = spectral_norm(X);
        const S D_op = chain.D_op[at(i - 1)];
        if (i == 1) {
            // m_j = 1: Up_j - Lo_j = D_j, an equality.
            v.identity("T2.b2", fmt::format("||Up_j^m_j - Lo_j^m_j||_op ({})", pair_label(i)), difference_op,
                       "m_j rho_j^{2(m_j-1)} ||D_j||_op = ||D_j||_op", D_op, lo_op[at(i)] + up_op);
        } else {
            const S rho_j = std::max(chain.weight_op[at(i - 1)], chain.weight_op[at(i)]);
            v.step("T2.b2", fmt::format("||Up_j^m_j - Lo_j^m_j||_op ({})", pair_label(i)), difference_op, "<=",
                   "m_j rho_j^{2(m_j-1)} ||D_j||_op", S(i) * integer_power(rho_j, 2 * (i - 1)) * D_op,
                   S(i) * integer_power(rho_j, 2 * i));
        }
        v.step("T2.b3", fmt::format("||W_top(j)(Lo_j^m_j - Up_j^m_j)W_top(j)^T||_op ({})", pair_label(i)),
               spectral_norm(factored), "<=", "||W_top(j)||_op^2 ||Up_j^m_j - Lo_j^m_j||_op",
               top_op[at(i)] * top_op[at(i)] * difference_op);
    }
    const Matrix<S> AAt = multiply(q.A, q.A.transpose());
    const Matrix<S> G = multiply(q.W, q.W.transpose());
    const Matrix<S> G_L2 = matrix_power(G, L2);
    v.matrix_identity("T2.b1", "T_{L1+1} - A A^T", frobenius_norm(Matrix<S>(T[1] - AAt)),
                      top_op[1] * top_op[1] * lo_op[1] * sqrt_K);
    v.matrix_identity("T2.b1", "T_L - G^{L2}", frobenius_norm(Matrix<S>(T[at(L2)] - G_L2)),
                      integer_power(q.s1_W * q.s1_W, L2) * sqrt_K);

    // T2.b4 - T2.b5: the sides are products of size rho^{2 L2}; both vanish for exactly
    // balanced chains.
    const S chain_magnitude = integer_power(chain.rho, 2 * L2);
    v.step("T2.b4", "||A A^T - G^{L2}||_op", spectral_norm(Matrix<S>(AAt - G_L2)), "<=",
           "R = eps2_chain rho^{2(L2-1)} L2 (L2-1)/2", chain.R, chain_magnitude);
    Vector<S> g(K);
    for (Index i = 0; i < K; ++i) g(i) = q.sv_W(i) * q.sv_W(i);
    for (Index i = 0; i < K; ++i)
        v.step("T2.b5", fmt::format("|s_i(A)^2 - s_i(W_L)^(2 L2)| (i = {})", i + 1),
               abs(q.sv_A(i) * q.sv_A(i) - integer_power(g(i), L2)), "<=", "R", chain.R, chain_magnitude);

    // T2.b6 - T2.b7 (only if sK_A^2 > R). kappa_W^{2 L2} has relative rounding error
    // ~ 2 L2 u kappa_W, the bounds ~ 2 u kappa_A.
    const S sK_A2 = q.sK_A * q.sK_A, s1_A2 = q.s1_A * q.s1_A;
    if (sK_A2 > chain.R) {
        const S kappa_W_power = integer_power(q.kappa_W, 2 * L2);
        const S upper = (s1_A2 + chain.R) / (sK_A2 - chain.R);
        const S lower = (s1_A2 - chain.R) / (sK_A2 + chain.R);
        const S factor = S(2) * (q.kappa_A + S(L2) * q.kappa_W);
        v.step("T2.b6", "kappa_W^{2 L2}", kappa_W_power, "<=", "(s1_A^2 + R)/(sK_A^2 - R)", upper,
               factor * std::max(kappa_W_power, upper));
        v.step("T2.b6", "kappa_W^{2 L2}", kappa_W_power, ">=", "(s1_A^2 - R)/(sK_A^2 + R)", lower,
               factor * std::max(kappa_W_power, abs(lower)));
        const S root_upper = kth_root(upper, 2 * L2);
        v.identity("T2.b7", "((s1_A^2 + R)/(sK_A^2 - R))^{1/(2 L2)}", root_upper,
                   "kappa_A^{1/L2} ((1 + R/s1_A^2)/(1 - R/sK_A^2))^{1/(2 L2)}",
                   kth_root(q.kappa_A, L2) * kth_root((S(1) + chain.R / s1_A2) / (S(1) - chain.R / sK_A2), 2 * L2), root_upper);
    } else {
        v.note("the linear layers are too far from balanced for the chain bound on kappa(W_L): s_K(A)^2 = " +
               number(sK_A2) + " <= R = " + number(chain.R) + " (the imbalance term); a longer run with weight decay "
               "balances them (proof steps T2.b6, T2.b7 not evaluated)");
    }

    // T2.b8 - T2.b12: the case L2 = 2 (A = W_L W_{L-1}, D = D_{L-1}, beta = ||D||_op).
    if (L2 == 2) {
        // D as its lower triangle defines it: the symmetric eigensolver (beta, eig_D) reads
        // only that triangle, and the computed W^T W - V V^T is symmetric only to rounding.
        const Matrix<S> D = chain.D[0].template selfadjointView<Eigen::Lower>();
        const Matrix<S> WDWt = multiply(multiply(q.W, D), q.W.transpose());
        v.matrix_identity("T2.b8", "A A^T - (G^2 - W_L D W_L^T)", frobenius_norm(Matrix<S>(AAt - (G_L2 - WDWt))),
                          q.s1_W * q.s1_W * (q.s1_W * q.s1_W + q.v_op * q.v_op) * sqrt_K);
        // T2.b9: W_L (beta I -+ D) W_L^T >= 0. When n_{L-1} = K (W_L invertible), the side
        // whose extreme eigenvalue of D attains beta is singular: its smallest eigenvalue is
        // exactly 0, checked as an identity.
        const Vector<S> eig_D = symmetric_eigenvalues(D);
        const S beta = std::max(abs(eig_D(0)), abs(eig_D(eig_D.size() - 1)));
        const S b9_magnitude = S(2) * beta * q.s1_W * q.s1_W;
        for (int sign : {-1, 1}) {
            const Matrix<S> side = Matrix<S>(beta * G) + S(sign) * WDWt;
            const S lambda_min = symmetric_eigenvalues(side)(0);
            const std::string name = sign < 0 ? "lambda_min(beta G - W_L D W_L^T)" : "lambda_min(beta G + W_L D W_L^T)";
            const bool singular = q.p == K && (sign < 0 ? beta == eig_D(eig_D.size() - 1) : beta == -eig_D(0));
            if (singular)
                v.identity("T2.b9", name, lambda_min, "0 (singular: n_{L-1} = K, an extreme eigenvalue of D is -+beta)",
                           S(0), b9_magnitude);
            else
                v.step("T2.b9", name, lambda_min, ">=", "0", S(0), b9_magnitude);
        }
        // T2.b10 - T2.b11: singular values carry absolute rounding u s_1.
        const S b10_magnitude = g(0) * g(0) + s1_A2 + beta * g(0);
        const S b11_magnitude = g(0) + q.s1_A;
        for (Index i = 0; i < K; ++i) {
            const S sA = q.sv_A(i), sA2 = sA * sA;
            const std::string index = fmt::format(" (i = {})", i + 1);
            v.step("T2.b10", "g_i^2 - beta g_i" + index, g(i) * g(i) - beta * g(i), "<=", "s_i(A)^2", sA2, b10_magnitude);
            v.step("T2.b10", "s_i(A)^2" + index, sA2, "<=", "g_i^2 + beta g_i", g(i) * g(i) + beta * g(i), b10_magnitude);
            v.step("T2.b11", "g_i - beta" + index, g(i) - beta, "<=", "s_i(A)", sA, b11_magnitude);
            v.step("T2.b11", "s_i(A)" + index, sA, "<=", "g_i + beta/2", g(i) + beta / S(2), b11_magnitude);
        }
        if (q.sK_A > beta / S(2)) {
            const S kappa_W2 = q.kappa_W * q.kappa_W;
            const S bound = (q.s1_A + beta) / (q.sK_A - beta / S(2));
            v.step("T2.b12", "kappa_W^2", kappa_W2, "<=", "(s1_A + beta)/(sK_A - beta/2)", bound,
                   S(2) * (q.kappa_W + q.kappa_A) * std::max(kappa_W2, bound));
        } else {
            v.note("the two-layer bound on kappa(W_L) needs s_K(A) > ||D_{L-1}||_op/2, here " + number(q.sK_A) +
                   " <= " + number(beta / S(2)) + " (proof step T2.b12 not evaluated)");
        }
    }

    if (L2 != 2)
        v.note(fmt::format("the two-layer refinement applies to L2 = 2 only (here L2 = {}; proof steps T2.b8 - T2.b12 "
                           "not evaluated)",
                           L2));

    // T2.b13 - T2.b15: the top singular value, any L2.
    for (Index i = 1; i < L2; ++i) {
        const S w2 = chain.weight_op[at(i - 1)] * chain.weight_op[at(i - 1)];
        const S w_next2 = chain.weight_op[at(i)] * chain.weight_op[at(i)];
        v.step("T2.b13", fmt::format("||W_j||_op^2 (j = L1+{})", i), w2, "<=", "||W_{j+1}||_op^2 + ||D_j||_op",
               w_next2 + chain.D_op[at(i - 1)], w2 + w_next2);
    }
    S product(1);
    for (const S& w : chain.weight_op) product *= w;
    v.step("T2.b14", "s1_A", q.s1_A, "<=", "prod_j ||W_j||_op", product);
    v.step("T2.b15", "s1_A^{2/L2}", kth_root(s1_A2, L2), "<=", "s1_W^2 + (L2 - 1) eps2_chain/2",
           q.s1_W * q.s1_W + S(L2 - 1) * chain.eps2_chain / S(2));

    // Conjecture C-T2: reported, never a step.
    if (chain.eps2_chain > 0) {
        S gap(0);
        for (Index i = 0; i < K; ++i) gap = std::max(gap, abs(g(i) - kth_root(q.sv_A(i) * q.sv_A(i), L2)));
        const S bound = S(L2 - 1) * chain.eps2_chain;
        v.note("conjecture C-T2 (not a proof step): max_i |s_i(W_L)^2 - s_i(A)^{2/L2}| = " + number(gap) +
               " vs (L2 - 1) eps2_chain = " + number(bound) + ", ratio " + number(S(gap / bound)));
    }
}

// ---------------------------------------------------------------------------------------
// Part (c): kappa(A) from the features F = H_{L1} (T2.c1 - T2.c10). Needs e_op < sqrt(n).
template <class S>
void check_part_c(const T2Quantities<S>& q, VerdictBuilder<S>& v) {
    using std::sqrt;
    const Index K = q.K;
    const FeatureConditioning<S>& f = q.features;
    const Vector<S> sv_output = singular_values(q.output);
    v.step("T2.c1", "s_K(A F)", sv_output(K - 1), ">=", "sqrt(n) - e_op", q.sqrt_n - q.e_op, sv_output(0));
    v.step("T2.c2", "sK_A", q.sK_A, ">=", "(sqrt(n) - e_op)/F_op", (q.sqrt_n - q.e_op) / f.F_op, q.s1_A);

    // T2.c3: the computed F^+ has relative error ~ u kappa_F (note §4): scale kappa_F ||A||_F.
    const Matrix<S> AQ = multiply(q.A, f.Q_F);
    v.matrix_identity("T2.c3", "A Q_F - (Y + E) F_pinv",
                      frobenius_norm(Matrix<S>(AQ - f.times_pseudo_inverse(Matrix<S>(q.Y + q.E)))),
                      f.kappa_F * frobenius_norm(q.A));
    const S AQ_op = spectral_norm(AQ);
    const S c4_rhs = (q.sqrt_n + q.e_op) / f.smin_F;
    v.step("T2.c4", "||A Q_F||_op", AQ_op, "<=", "(sqrt(n) + e_op)/smin_F", c4_rhs, f.kappa_F * std::max(AQ_op, c4_rhs));
    const S s1_A2 = q.s1_A * q.s1_A;
    const S c5_rhs = AQ_op * AQ_op + f.tau_F * f.tau_F;
    if (f.full_row_rank)
        v.identity("T2.c5", "s1_A^2", s1_A2, "||A Q_F||_op^2 + tau_F^2 (Q_F = I: H_{L1} has full row rank)", c5_rhs,
                   s1_A2);
    else
        v.step("T2.c5", "s1_A^2", s1_A2, "<=", "||A Q_F||_op^2 + tau_F^2", c5_rhs, s1_A2);
    const S gap = q.sqrt_n - q.e_op;
    const S fit_ratio = (q.sqrt_n + q.e_op) / gap;
    const S KA_F = sqrt(fit_ratio * fit_ratio * f.kappa_F * f.kappa_F + f.tau_F * f.tau_F * f.F_op * f.F_op / (gap * gap));
    v.step("T2.c6", "kappa_A", q.kappa_A, "<=",
           "KA_F = sqrt(((sqrt(n)+e_op)/(sqrt(n)-e_op))^2 kappa_F^2 + tau_F^2 F_op^2/(sqrt(n)-e_op)^2)", KA_F,
           (q.kappa_A + f.kappa_F) * std::max(q.kappa_A, KA_F));

    // T2.c7 - T2.c10: the class means M_F = F Y^T / n of H_{L1}.
    const Matrix<S> M_F = multiply(q.F(), q.Y.transpose()) / S(q.n);
    const Matrix<S> AM_F = multiply(q.A, M_F);
    v.matrix_identity("T2.c7", "A M_F - I_K - E_means",
                      frobenius_norm(Matrix<S>(AM_F - Matrix<S>::Identity(K, K) - q.E_means)),
                      std::max(S(1), q.s1_A * frobenius_norm(M_F)));
    const SingularValueDecomposition<S> svd_MF = thin_svd(M_F);
    const S s1_MF = svd_MF.singular_values(0), sK_MF = svd_MF.singular_values(K - 1);
    const S kappa_MF = s1_MF / sK_MF;
    v.step("T2.c8", "sK_A", q.sK_A, ">=", "(1 - delta)/s1_MF", (S(1) - q.delta) / s1_MF, q.s1_A);
    const Matrix<S> Q_M = multiply(svd_MF.U.leftCols(K), svd_MF.U.leftCols(K).transpose());
    const S tau_M = spectral_norm(Matrix<S>(q.A - multiply(q.A, Q_M)));
    const S c9_rhs = (S(1) + q.delta) * (S(1) + q.delta) / (sK_MF * sK_MF) + tau_M * tau_M;
    v.step("T2.c9", "s1_A^2", s1_A2, "<=", "(1 + delta)^2/sK_MF^2 + tau_M^2", c9_rhs, kappa_MF * std::max(s1_A2, c9_rhs));
    const S delta_ratio = (S(1) + q.delta) / (S(1) - q.delta);
    const S KA_M = sqrt(delta_ratio * delta_ratio * kappa_MF * kappa_MF +
                        tau_M * tau_M * s1_MF * s1_MF / ((S(1) - q.delta) * (S(1) - q.delta)));
    v.step("T2.c10", "kappa_A", q.kappa_A, "<=",
           "KA_M = sqrt(((1+delta)/(1-delta))^2 kappa_MF^2 + tau_M^2 s1_MF^2/(1-delta)^2)", KA_M,
           (q.kappa_A + kappa_MF) * std::max(q.kappa_A, KA_M));
    v.note("tau_F, the part of A outside the span of the features, is measured directly (= " + number(f.tau_F) +
           "); bounding it from the gradient (proof step T2.c11) needs the gradient and lambda, which a linear head "
           "alone does not carry");
}

// ---------------------------------------------------------------------------------------
// Part (d): the combination (T2.d1 - T2.d3), with the hypothesis form of §2.5.
template <class S>
void check_part_d(const T2Quantities<S>& q, const CheckerOptions& options, VerdictBuilder<S>& v) {
    using std::sqrt;
    const FeatureConditioning<S>& f = q.features;
    const ChainImbalance<S>& chain = q.chain;
    const Index L2 = q.L2;
    const S gap = q.sqrt_n - q.e_op;
    const S a_K = gap * gap / (f.F_op * f.F_op);
    if (a_K > chain.R) {
        const S a_1 = (q.sqrt_n + q.e_op) * (q.sqrt_n + q.e_op) / (f.smin_F * f.smin_F) + f.tau_F * f.tau_F;
        const S KW_F = kth_root((a_1 + chain.R) / (a_K - chain.R), 2 * L2);
        v.step("T2.d1", "kappa_W", q.kappa_W, "<=", "KW_F = ((a_1^meas + R)/(a_K^meas - R))^{1/(2 L2)}", KW_F,
               (q.kappa_W + f.kappa_F) * std::max(q.kappa_W, KW_F));
        const S delta_ratio = (S(1) + q.delta) / (S(1) - q.delta);
        const S one_minus2 = (S(1) - q.delta) * (S(1) - q.delta);
        const S KM_final = sqrt(delta_ratio * delta_ratio * KW_F * KW_F +
                                chain.rho * chain.rho * q.h2_op * q.h2_op * chain.eps2_chain / (S(q.n) * one_minus2));
        v.step("T2.d2", "kappa_M", q.kappa_M, "<=",
               "KM_final = sqrt(((1+delta)/(1-delta))^2 KW_F^2 + rho^2 h2_op^2 eps2_chain/(n (1-delta)^2))", KM_final,
               (q.kappa_M + q.kappa_W + f.kappa_F) * std::max(q.kappa_M, KM_final));

        // Hypothesis form (§2.5) by monotonicity: eps1, eps2 and r (= rho) as given, measured
        // otherwise; Phi, phi, tau are the measured F_op, smin_F, tau_F.
        const S eps1 = options.epsilon1 ? S(*options.epsilon1) : q.e_F;
        const S eps2 = options.epsilon2 ? S(*options.epsilon2) : chain.eps2_chain;
        const S rho = options.radius ? S(*options.radius) : chain.rho;
        const S r = options.radius ? S(*options.radius) : q.h2_op;
        if (!(q.e_F <= eps1 && chain.eps2_chain <= eps2 && chain.rho <= rho && q.h2_op <= r)) {
            v.note("the bound in terms of the given --eps1, --eps2, --radius is not evaluated: they do not bound the "
                   "measured fit, balancedness and norms (proof step T2.d2, hypothesis form)");
        } else if (!(eps1 < q.sqrt_n)) {
            v.note("the bound in terms of eps1 is not evaluated: eps1 = " + number(eps1) +
                   " >= sqrt(n), so it does not imply interpolation (proof step T2.d2, hypothesis form)");
        } else {
            const S R_h = eps2 * integer_power(rho, 2 * (L2 - 1)) * S(L2 * (L2 - 1)) / S(2);
            const S gap_h = q.sqrt_n - eps1;
            const S a_K_h = gap_h * gap_h / (f.F_op * f.F_op);
            if (a_K_h > R_h) {
                const S a_1_h = (q.sqrt_n + eps1) * (q.sqrt_n + eps1) / (f.smin_F * f.smin_F) + f.tau_F * f.tau_F;
                const S k_W = kth_root((a_1_h + R_h) / (a_K_h - R_h), 2 * L2);
                const S delta_h = eps1 / q.sqrt_n;
                const S ratio_h = (S(1) + delta_h) / (S(1) - delta_h);
                const S KM_hyp = sqrt(ratio_h * ratio_h * k_W * k_W +
                                      rho * rho * r * r * eps2 / (S(q.n) * (S(1) - delta_h) * (S(1) - delta_h)));
                v.step("T2.d2", "KM_final", KM_final, "<=",
                       "KM_hyp (§2.5 with eps1, eps2, rho = r = radius; Phi, phi, tau measured)", KM_hyp);
            } else {
                v.note("the bound in terms of eps1, eps2, r is not evaluated: with these constants the features "
                       "cannot control kappa(W_L) (a_K = " + number(a_K_h) + " <= R(eps2, rho) = " + number(R_h) +
                       "; proof step T2.d2, hypothesis form)");
            }
        }
    } else {
        v.note("the bound of kappa(W_L) from the conditioning of the features is not available: the fit and the "
               "feature norm give a_K = (sqrt(n) - e_op)^2/F_op^2 = " + number(a_K) + " <= R = " + number(chain.R) +
               ", the imbalance of the linear layers (proof steps T2.d1, T2.d2 not evaluated)");
    }

    // T2.d3 with c3 := kappa_A (the tightest admissible c3), if varrho = R F_op^2/(sqrt(n) - e_op)^2 < 1.
    const S varrho = chain.R / a_K;
    if (varrho < 1) {
        const S c3 = q.kappa_A;
        const S first = kth_root((c3 * c3 + varrho) / (S(1) - varrho), 2 * L2);
        const S second = kth_root(c3, L2) * kth_root((S(1) + varrho) / (S(1) - varrho), 2 * L2);
        v.step("T2.d3", "kappa_W", q.kappa_W, "<=", "((c3^2 + varrho)/(1 - varrho))^{1/(2 L2)}, c3 = kappa_A", first,
               (q.kappa_W + q.kappa_A) * std::max(q.kappa_W, first));
        v.step("T2.d3", "((c3^2 + varrho)/(1 - varrho))^{1/(2 L2)}", first, "<=",
               "c3^{1/L2} ((1 + varrho)/(1 - varrho))^{1/(2 L2)}", second);
    } else {
        v.note("the paper-shaped form with c3 = kappa(A) is not available: varrho = R F_op^2/(sqrt(n) - e_op)^2 = " +
               number(varrho) + " >= 1 (proof step T2.d3 not evaluated)");
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------
template <class S>
Verdict check_t2_nc2(const CheckState<S>& state, const CheckerOptions& options) {
    using std::sqrt;
    T2Quantities<S> q;
    q.state = &state;
    q.K = state.num_classes;
    q.L2 = state.linear_layers();
    q.N = state.num_samples();
    q.n = state.samples_per_class();
    const Index K = q.K, L2 = q.L2;
    const Index largest = state.largest_dimension();
    const Verdict header = verdict_header("T2", "interpolation + balancedness + conditioning => NC2 (Thm 3.1)", Provenance::explicit_constants, "proofs_notes/T2_nc2.md",
                                          state.precision.to_string());
    VerdictBuilder<S> v(header, checker_tolerance<S>(options, largest));

    // Structural hypotheses, decided exactly.
    v.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    v.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    v.exact_hypothesis("balanced classes", "n_c = n for all c", double(q.n), ">", 0, q.n > 0);
    if (!bias_free_head_hypothesis(state, v) || K < 2 || L2 < 2 || q.n == 0) return v.finish();
    const Index width = smallest_head_width(state);
    v.exact_hypothesis("width", "n_j >= K for L1 <= j < L", double(width), ">=", double(K), width >= K);

    q.W = state.head_weight(L2);
    q.V = state.head_weight(L2 - 1);
    q.p = q.W.cols();
    q.H2 = state.head_features(L2 - 2);
    q.Z = multiply(q.V, q.H2);
    q.output = multiply(q.W, q.Z);
    q.Y = state.targets();
    q.E = q.output - q.Y;
    q.sqrt_n = sqrt(S(q.n));
    q.e_F = frobenius_norm(q.E);
    q.e_op = spectral_norm(q.E);
    // E = W Z - Y is computed with an error <= tau ||W||_F ||Z||_F (T1's magnitudes).
    v.hypothesis("interpolation", "||H_L - Y||_op < sqrt(n)", q.e_op, "<", q.sqrt_n,
                 S(frobenius_norm(q.W) * frobenius_norm(q.Z)));
    q.chain = chain_imbalance(state);
    q.h2_op = spectral_norm(q.H2);
    if (options.epsilon1) {
        v.hypothesis("eps1 bounds the fit", "||H_L - Y||_F <= eps1", q.e_F, "<=", S(*options.epsilon1));
        v.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", S(*options.epsilon1), "<", q.sqrt_n);
    }
    if (options.epsilon2)
        v.hypothesis("balancedness", "max_j ||D_j||_op <= eps2 (L1 < j < L)", q.chain.eps2_chain, "<=",
                     S(*options.epsilon2));
    if (options.radius) {
        v.hypothesis("radius W_j", "max_j ||W_j||_op <= r (L1 < j <= L)", q.chain.rho, "<=", S(*options.radius));
        v.hypothesis("radius H_{L-2}", "||H_{L-2}||_op <= r", q.h2_op, "<=", S(*options.radius));
    }
    if (!(q.e_op < q.sqrt_n) || width < K) return v.finish();

    // Rank K of W_L (T1.3), of M (T2.a4) and of A (T2.c2) follows from e_op < sqrt(n).
    q.delta = q.e_op / q.sqrt_n;
    q.sv_W = singular_values(q.W);
    q.s1_W = q.sv_W(0);
    q.sK_W = q.sv_W(K - 1);
    q.kappa_W = q.s1_W / q.sK_W;
    q.v_op = q.chain.weight_op[std::size_t(L2 - 2)];
    q.beta = q.chain.D_op[std::size_t(L2 - 2)];
    q.W_pinv = pseudo_inverse(q.W, RankRule::fixed(K));
    // p = K: W is invertible, so P = I and P_perp = 0 exactly (not a rounded I - W^+ W).
    const bool square = q.p == K;
    q.P = square ? Matrix<S>(Matrix<S>::Identity(q.p, q.p)) : multiply(q.W_pinv, q.W);
    q.P_perp = square ? Matrix<S>(Matrix<S>::Zero(q.p, q.p)) : Matrix<S>(Matrix<S>::Identity(q.p, q.p) - q.P);
    const ClassStatistics<S> stats = class_statistics(q.Z, state.labels, K);
    q.M = stats.class_means;
    q.E_means = multiply(q.E, q.Y.transpose()) / S(q.n);
    q.sv_M = singular_values(q.M);
    q.s1_M = q.sv_M(0);
    q.sK_M = q.sv_M(K - 1);
    q.kappa_M = nc2_class_mean_condition_number(q.M, RankRule::fixed(K));
    q.tops = top_products(state);
    q.A = q.tops[0];
    q.sv_A = singular_values(q.A);
    q.s1_A = q.sv_A(0);
    q.sK_A = q.sv_A(K - 1);
    q.kappa_A = q.s1_A / q.sK_A;
    q.features = feature_conditioning(state, q.A);
    v.note(fmt::format("rank_F = {} of H_{{L1}} ({} x {}) by the rule {}; {}", q.features.rank_F, q.F().rows(), q.F().cols(),
                       RankRule::working_precision().describe(),
                       q.features.full_row_rank ? "full row rank, so Q_F = I and tau_F = 0 in exact arithmetic"
                                                : "Q_F = U_r U_r^T projects onto its column space"));

    const S KM_a = check_part_a(q, v);
    check_part_b(q, v);
    check_part_c(q, v);
    check_part_d(q, options, v);

    v.conclude("kappa_M = kappa(class means of H_{L-1})", q.kappa_M, "KM_a (measured form (a), T2.a9)", KM_a,
               (q.kappa_M + q.kappa_W) * KM_a);
    // Informative (proofs_notes/T2_nc2.md §7): below the conditioning of the class means of
    // the features the linear head receives, kappa(M(H_{L1})).
    const S kappa_input =
        nc2_class_mean_condition_number(class_statistics(q.F(), state.labels, K).class_means, RankRule::fixed(K));
    v.informative(KM_a < kappa_input, fmt::format("informative when KM_a = {} < kappa(class means of H_{{L1}}) = {}, "
                                                  "the conditioning the linear head receives",
                                                  number(KM_a), number(kappa_input)));
    return v.finish();
}

template <class S>
std::optional<KappaWFeatureBound<S>> t2_kappa_w_feature_bound(const CheckState<S>& state) {
    using std::sqrt;
    if (!structure_admissible(state)) return std::nullopt;
    const Index L2 = state.linear_layers();
    const S sqrt_n = sqrt(S(state.samples_per_class()));
    const S e_op = spectral_norm(Matrix<S>(state.head_features(L2) - state.targets()));
    if (!(e_op < sqrt_n)) return std::nullopt;
    const ChainImbalance<S> chain = chain_imbalance(state);
    const FeatureConditioning<S> f = feature_conditioning(state, top_products(state)[0]);
    const S gap = sqrt_n - e_op;
    const S a_K = gap * gap / (f.F_op * f.F_op);
    if (!(a_K > chain.R)) return std::nullopt;
    const S a_1 = (sqrt_n + e_op) * (sqrt_n + e_op) / (f.smin_F * f.smin_F) + f.tau_F * f.tau_F;
    return KappaWFeatureBound<S>{kth_root((a_1 + chain.R) / (a_K - chain.R), 2 * L2), f.kappa_F};
}

template Verdict check_t2_nc2(const CheckState<double>&, const CheckerOptions&);
template Verdict check_t2_nc2(const CheckState<Mpfr>&, const CheckerOptions&);
template std::optional<KappaWFeatureBound<double>> t2_kappa_w_feature_bound(const CheckState<double>&);
template std::optional<KappaWFeatureBound<Mpfr>> t2_kappa_w_feature_bound(const CheckState<Mpfr>&);

}  // namespace ncverify
