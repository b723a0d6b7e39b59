#include "ncverify/checkers/t2_nc2.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <vector>

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
S integer_power(const S& x, Index k) {
    S result(1);
    for (Index i = 0; i < k; ++i) result *= x;
    return result;
}

template <class S>
Matrix<S> matrix_power(const Matrix<S>& x, Index k) {
    if (k == 0) return Matrix<S>::Identity(x.rows(), x.cols());
    Matrix<S> result = x;
    for (Index i = 1; i < k; ++i) result = multiply(result, x);
    return result;
}

/// x^{1/k} for x >= 0.
template <class S>
S root(const S& x, Index k) {
    using std::pow;
    return pow(x, S(1) / S(k));
}

template <class S>
std::string number(const S& x) {
    return fmt::format("{:.6g}", ScalarTraits<S>::to_double(x));
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
template <class S>
struct FeatureConditioning {
    Index rank_F = 0;
    bool full_row_rank = false;
    S F_op, smin_F, kappa_F, tau_F;
    Matrix<S> F_pinv, Q_F;
};

template <class S>
FeatureConditioning<S> feature_conditioning(const Matrix<S>& F, const Matrix<S>& A) {
    const SingularValueDecomposition<S> svd = thin_svd(F);
    FeatureConditioning<S> f;
    f.rank_F = RankRule::working_precision().rank(svd.singular_values, F.rows(), F.cols());
    f.full_row_rank = f.rank_F == F.rows();
    const Index r = std::max<Index>(f.rank_F, 1);
    f.F_op = svd.singular_values(0);
    f.smin_F = svd.singular_values(r - 1);
    f.kappa_F = f.F_op / f.smin_F;
    Matrix<S> scaled_v = svd.V.leftCols(r);
    for (Index i = 0; i < r; ++i) scaled_v.col(i) /= svd.singular_values(i);
    f.F_pinv = multiply(scaled_v, svd.U.leftCols(r).transpose());
    f.Q_F = multiply(svd.U.leftCols(r), svd.U.leftCols(r).transpose());
    f.tau_F = spectral_norm(Matrix<S>(A - multiply(A, f.Q_F)));
    return f;
}

/// Everything the four parts of the proof read (T1_nc1.md §1 and T2_nc2.md §1 names).
template <class S>
struct T2Quantities {
    Index K, L2, N, n, p;
    S sqrt_n;
    Matrix<S> Y, F, H2, Z, V, W, output, E, A, M, E_means, W_pinv, P, P_perp;
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
    const S a8_rhs = pperpV_op * q.h2_op / q.sqrt_n;
    if (square)
        v.identity("T2.a8", "pperpM_op", pperpM_op, "pperpV_op h2_op/sqrt(n) (both 0: n_{L-1} = K)", a8_rhs,
                   m_magnitude);
    else
        v.step("T2.a8", "pperpM_op", pperpM_op, "<=", "pperpV_op h2_op/sqrt(n)", a8_rhs, m_magnitude);

    const S ratio = (S(1) + q.delta) / (S(1) - q.delta);
    const S KM_a = sqrt(ratio * ratio * q.kappa_W * q.kappa_W +
                        q.s1_W * q.s1_W * q.h2_op * q.h2_op * q.beta / (S(q.n) * (S(1) - q.delta) * (S(1) - q.delta)));
    v.step("T2.a9", "kappa_M", q.kappa_M, "<=",
           "KM_a = sqrt(((1+delta)/(1-delta))^2 kappa_W^2 + s1_W^2 h2_op^2 beta/(n (1-delta)^2))", KM_a,
           (q.kappa_M + q.kappa_W) * KM_a);

    const S q_perp = q.h2_op * sqrt(q.beta / S(q.n));
    const S denominator = (S(1) - q.delta) / q.s1_W - q_perp;
    if (denominator > 0) {
        const S KM_theory = ((S(1) + q.delta) / q.sK_W + q_perp) / denominator;
        v.step("T2.a10", "KM_a", KM_a, "<=", "KM_THEORY = [(1+delta)/sK_W + q]/[(1-delta)/s1_W - q]", KM_theory);
    } else {
        v.note("T2.a10 skipped: the denominator (1 - delta)/s1_W - q of KM_THEORY is " + number(denominator) +
               " <= 0 (q = h2_op sqrt(beta/n)); T2.a9 needs no such condition");
    }
    return KM_a;
}

