// T2 (proofs_notes/T2_nc2.md) on random instances: whenever the hypotheses hold, no proof
// step and not the conclusion may fail; instances built to break interpolation are never
// reported as holding; exactly balanced chains give kappa(W_L) = kappa(A)^{1/L2}; the
// tight families of §5 reach ratio 1.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "support/head_instances.hpp"
#include "support/verdict_assertions.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

const ProofStepCheck* find_step(const Verdict& verdict, const std::string& id) {
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id == id) return &step;
    return nullptr;
}

/// An exactly balanced chain W_j = U_j diag(s) U_{j-1}^T (U_j: d_j x K, orthonormal
/// columns shared by consecutive layers) and features H = A^+ Y, so E = 0 and D_j = 0
/// up to the rounding of the working precision of S.
template <class S>
CheckState<S> balanced_chain_instance(Index K, Index n, const std::vector<Index>& widths, const Vector<S>& s,
                                      std::uint64_t seed, const Precision& precision) {
    RandomSource random(seed);
    const Index L2 = static_cast<Index>(widths.size()) - 1;
    std::vector<Matrix<S>> factors;
    for (Index w : widths) factors.push_back(random_orthonormal_columns<S>(w, K, random));
    std::vector<Matrix<S>> weights;
    for (Index j = 1; j <= L2; ++j)
        weights.push_back(
            multiply(Matrix<S>(factors[std::size_t(j)] * s.asDiagonal()), factors[std::size_t(j - 1)].transpose()));
    // A^+ = U_0 diag(s)^{-L2} U_L^T.
    Vector<S> inverse_power(K);
    for (Index i = 0; i < K; ++i) {
        inverse_power(i) = S(1);
        for (Index j = 0; j < L2; ++j) inverse_power(i) /= s(i);
    }
    const Matrix<S> a_pinv =
        multiply(Matrix<S>(factors.front() * inverse_power.asDiagonal()), factors.back().transpose());
    std::vector<Index> labels;
    Matrix<S> y = Matrix<S>::Zero(K, K * n);
    for (Index i = 0; i < K * n; ++i) {
        labels.push_back(i / n);
        y(i / n, i) = S(1);
    }
    return check_state_from_features(std::move(weights), multiply(a_pinv, y), std::move(labels), K, precision);
}

}  // namespace

RC_GTEST_PROP(T2Nc2, NoStepFailsOnRandomInstancesDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    const Verdict verdict = check_t2_nc2(head_instance(parameters));
    RC_CLASSIFY(verdict.status == VerdictStatus::holds, "holds");
    RC_CLASSIFY(verdict.status == VerdictStatus::inconclusive, "inconclusive");
    RC_CLASSIFY(verdict.status == VerdictStatus::hypotheses_not_met, "hypotheses not met");
    assert_sound(verdict);
}

RC_GTEST_PROP(T2Nc2, NoStepFailsOnRandomInstancesMpfr256, ()) {
    const HeadParameters parameters = *head_parameters(3, 3);
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    const Verdict verdict = check_t2_nc2(convert_state<Mpfr>(head_instance(parameters), precision));
    RC_CLASSIFY(verdict.status == VerdictStatus::holds, "holds");
    assert_sound(verdict);
}

RC_GTEST_PROP(T2Nc2, BrokenInterpolationIsNeverReportedAsHolding, ()) {
    const Verdict verdict = check_t2_nc2(head_instance(*head_parameters(), true));
    // E = H_L - Y equals E0 (A A^+ = I_K, and the null-space noise is annihilated by A), so
    // ||E||_op >= ||E0||_F / sqrt(K) = 3 sqrt(n / K) > sqrt(n) for K <= 5: the interpolation
    // hypothesis certainly fails.
    RC_ASSERT(verdict.status == VerdictStatus::hypotheses_not_met);
}

TEST(T2Nc2, StructuralHypothesesAreReported) {
    RandomSource random(3);
    const CheckState<double> one_layer = check_state_from_features<double>(
        {random.gaussian_matrix(2, 4)}, random.gaussian_matrix(4, 6), {0, 0, 0, 1, 1, 1}, 2, Precision::ieee_double());
    const Verdict verdict = check_t2_nc2(one_layer);
    EXPECT_EQ(verdict.status, VerdictStatus::hypotheses_not_met);
    EXPECT_EQ(verdict.hypotheses[1].name, "linear head");
    EXPECT_EQ(verdict.hypotheses[1].outcome, Comparison::fails);
    // A head narrower than K (n_{L1} = 1 < K = 2).
    const CheckState<double> narrow = check_state_from_features<double>(
        {random.gaussian_matrix(3, 1), random.gaussian_matrix(2, 3)}, random.gaussian_matrix(1, 4), {0, 0, 1, 1}, 2,
        Precision::ieee_double());
    EXPECT_EQ(check_t2_nc2(narrow).status, VerdictStatus::hypotheses_not_met);
}

TEST(T2Nc2, IsRegisteredAfterT1) {
    const std::vector<CheckerEntry>& registry = checker_registry();
    ASSERT_GE(registry.size(), 2u);
    EXPECT_EQ(registry[0].id, "T1");
    EXPECT_EQ(registry[1].id, "T2");
    EXPECT_EQ(registry[1].proof_note, "proofs_notes/T2_nc2.md");
}

// T2 §2.3: exact balancedness (R = 0) gives kappa(W_L) = kappa(A)^{1/L2}; with E = 0 and
// D_{L-1} = 0 also M = W^+, so kappa_M = kappa_W = KM_a (T2 §5, "(a) is attained").
TEST(T2Nc2, ExactlyBalancedChainGivesRootOfKappaA) {
    const Index K = 3, n = 4;
    for (const std::vector<Index>& widths :
         {std::vector<Index>{5, 4, 3}, std::vector<Index>{6, 5, 4, 3}, std::vector<Index>{4, 7, 3, 5, 3}}) {
        const Index L2 = static_cast<Index>(widths.size()) - 1;
        Vector<double> s(K);
        s << 2.0, 1.1, 0.45;
        const CheckState<double> state =
            balanced_chain_instance<double>(K, n, widths, s, 17 + std::uint64_t(L2), Precision::ieee_double());
        Matrix<double> a = state.head_weight(1);
        for (Index j = 2; j <= L2; ++j) a = state.head_weight(j) * a;
        const double kappa_A = condition_number(a, RankRule::fixed(K));
        const double kappa_W = condition_number(state.head_weight(L2), RankRule::fixed(K));
        EXPECT_NEAR(kappa_W / std::pow(kappa_A, 1.0 / double(L2)), 1.0, 1e-13) << "L2 = " << L2;
        EXPECT_NEAR(kappa_W, s(0) / s(K - 1), 1e-13);
        const Verdict verdict = check_t2_nc2(state);
        EXPECT_EQ(verdict.first_failed_step(), nullptr) << verdict_details(verdict);
        EXPECT_NE(verdict.status, VerdictStatus::violated);
        EXPECT_NE(verdict.status, VerdictStatus::hypotheses_not_met);
        EXPECT_NEAR(verdict.ratio, 1.0, 1e-12) << verdict_details(verdict);
        // T2.b6 reads kappa_W^{2 L2} <= (s1_A^2 + R)/(sK_A^2 - R) with R the rounding-level
        // imbalance times rho^{2(L2-1)} L2(L2-1)/2, relative to sK_A^2 = s_K^{2 L2} (~1e-10 here).
        const ProofStepCheck* b6 = find_step(verdict, "T2.b6");
        ASSERT_NE(b6, nullptr) << verdict_details(verdict);
        EXPECT_NEAR(b6->lhs / b6->rhs, 1.0, 1e-8);
    }
}

// The same at 256 bits, built in MPFR: the identity holds to ~1e-70.
TEST(T2Nc2, ExactlyBalancedChainAt256Bits) {
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    const Index K = 2, n = 3;
    Vector<Mpfr> s(K);
    s << Mpfr(3), Mpfr(1) / Mpfr(7);
    const CheckState<Mpfr> state = balanced_chain_instance<Mpfr>(K, n, {4, 3, 2}, s, 5, precision);
    const Matrix<Mpfr> a = multiply(state.head_weight(2), state.head_weight(1));
    const Mpfr kappa_A = condition_number(a, RankRule::fixed(K));
    const Mpfr kappa_W = condition_number(state.head_weight(2), RankRule::fixed(K));
    using std::abs;
    using std::sqrt;
    EXPECT_LT(ScalarTraits<Mpfr>::to_double(abs(kappa_W / sqrt(kappa_A) - Mpfr(1))), 1e-70);
    const Verdict verdict = check_t2_nc2(state);
    EXPECT_EQ(verdict.first_failed_step(), nullptr) << verdict_details(verdict);
    EXPECT_NEAR(verdict.ratio, 1.0, 1e-15);
}

// T2 §5: p = K, W_L = W_{L-1} = I_K (D = 0), H_{L1} = Y + E with E = diag(d, -d, 0, ..) Y
// constant within classes: M = I + E' and kappa_M = (1 + d)/(1 - d) = KM_a exactly.
TEST(T2Nc2, ResidualFamilyAttainsKMa) {
    const Index K = 3, n = 5;
    const double d = 0.3;
    Matrix<double> h = Matrix<double>::Zero(K, K * n);
    std::vector<Index> labels;
    for (Index i = 0; i < K * n; ++i) {
        labels.push_back(i / n);
        h(i / n, i) = 1.0 + (i / n == 0 ? d : i / n == 1 ? -d : 0.0);
    }
    const Matrix<double> identity = Matrix<double>::Identity(K, K);
    const Verdict verdict =
        check_t2_nc2(check_state_from_features<double>({identity, identity}, h, labels, K, Precision::ieee_double()));
    EXPECT_NEAR(verdict.measured, (1 + d) / (1 - d), 1e-14);
    EXPECT_NEAR(verdict.ratio, 1.0, 1e-14) << verdict_details(verdict);
    EXPECT_EQ(verdict.first_failed_step(), nullptr) << verdict_details(verdict);
    EXPECT_EQ(verdict.status, VerdictStatus::inconclusive);  // measured = bound: a float cannot decide
}

// T2 §5 (c): tau_F cannot be dropped. F = [Y; 0], A = [[1, 0, t], [0, 1, 0]] factored as
// W_L = U Sigma^{1/2}, W_{L-1} = Sigma^{1/2} V^T: exact fit, exact balance, yet kappa_A =
// sqrt(1 + t^2); the checker measures tau_F = ||A (I - Q_F)||_op = t and KA_F >= kappa_A.
TEST(T2Nc2, TauFIsMeasuredOnTheCounterexample) {
    const Index K = 2, n = 3;
    const double t = 5.0;
    Matrix<double> a(2, 3);
    a << 1, 0, t, 0, 1, 0;
    const SingularValueDecomposition<double> svd = thin_svd(a);
    const Vector<double> root_sigma = svd.singular_values.cwiseSqrt();
    const Matrix<double> w_top = svd.U * root_sigma.asDiagonal();
    const Matrix<double> w_bottom = root_sigma.asDiagonal() * svd.V.transpose();
    Matrix<double> f = Matrix<double>::Zero(3, K * n);
    std::vector<Index> labels;
    for (Index i = 0; i < K * n; ++i) {
        labels.push_back(i / n);
        f(i / n, i) = 1;
    }
    const Verdict verdict =
        check_t2_nc2(check_state_from_features<double>({w_bottom, w_top}, f, labels, K, Precision::ieee_double()));
    EXPECT_EQ(verdict.first_failed_step(), nullptr) << verdict_details(verdict);
    const ProofStepCheck* c6 = find_step(verdict, "T2.c6");
    ASSERT_NE(c6, nullptr);
    EXPECT_NEAR(c6->lhs, std::sqrt(1 + t * t), 1e-12);
    EXPECT_GE(c6->rhs, c6->lhs);
    bool noted = false;
    for (const std::string& note : verdict.notes)
        noted |= note.find("is measured directly (= 5") != std::string::npos;
    EXPECT_TRUE(noted) << verdict_details(verdict);
}
