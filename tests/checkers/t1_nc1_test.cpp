// T1 (proofs_notes/T1_nc1.md) on random instances: whenever the hypotheses hold, no proof
// step and not the conclusion may fail; instances built to break a hypothesis are
// reported as hypotheses_not_met, never holds; the tight family reaches ratio 1.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/t1_nc1.hpp"
#include "support/head_instances.hpp"
#include "support/verdict_assertions.hpp"

using namespace ncverify;
using namespace ncverify::testing;

RC_GTEST_PROP(T1Nc1, NoStepFailsOnRandomInstancesDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    const Verdict verdict = check_t1_nc1(head_instance(parameters));
    RC_CLASSIFY(verdict.status == VerdictStatus::holds, "holds");
    RC_CLASSIFY(verdict.status == VerdictStatus::hypotheses_not_met, "hypotheses not met");
    assert_sound(verdict);
}

RC_GTEST_PROP(T1Nc1, NoStepFailsOnRandomInstancesMpfr256, ()) {
    const HeadParameters parameters = *head_parameters(3, 3);
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    assert_sound(check_t1_nc1(convert_state<Mpfr>(head_instance(parameters), precision)));
}

RC_GTEST_PROP(T1Nc1, BrokenInterpolationIsNeverReportedAsHolding, ()) {
    const Verdict verdict = check_t1_nc1(head_instance(*head_parameters(), true));
    // E = H_L - Y equals E0 (A A^+ = I_K, and the null-space noise is annihilated by A), so
    // ||E||_op >= ||E0||_F / sqrt(K) = 3 sqrt(n / K) > sqrt(n) for K <= 5: the interpolation
    // hypothesis certainly fails.
    RC_ASSERT(verdict.status == VerdictStatus::hypotheses_not_met);
}

TEST(T1Nc1, StructuralHypothesesAreReported) {
    RandomSource random(3);
    // L2 = 1: the theorem needs two linear layers.
    const CheckState<double> one_layer = check_state_from_features<double>(
        {random.gaussian_matrix(2, 4)}, random.gaussian_matrix(4, 6), {0, 0, 0, 1, 1, 1}, 2, Precision::ieee_double());
    const Verdict verdict = check_t1_nc1(one_layer);
    EXPECT_EQ(verdict.status, VerdictStatus::hypotheses_not_met);
    EXPECT_EQ(verdict.hypotheses[1].name, "linear head");
    EXPECT_EQ(verdict.hypotheses[1].outcome, Comparison::fails);
    // Unbalanced classes.
    const CheckState<double> unbalanced = check_state_from_features<double>(
        {random.gaussian_matrix(3, 4), random.gaussian_matrix(2, 3)}, random.gaussian_matrix(4, 5), {0, 0, 0, 1, 1}, 2,
        Precision::ieee_double());
    EXPECT_EQ(check_t1_nc1(unbalanced).status, VerdictStatus::hypotheses_not_met);
}

// The b-term family of proofs_notes/T1_nc1.md §5: W = [I_K 0], V = diag(I_K, sqrt(eps2)),
// H2 = [Y; u] with u Pi = 0, ||u|| = sqrt(n): NC1 = eps2 / (K - 1) = B_meas exactly.
// In floating point the conclusion is undecided (never "violated", never "holds").
TEST(T1Nc1, TightFamilyReachesRatioOne) {
    const Index K = 3, n = 4, N = K * n, p = K + 1;
    const double eps2 = 0.01;
    Matrix<double> w = Matrix<double>::Zero(K, p);
    w.leftCols(K) = Matrix<double>::Identity(K, K);
    Matrix<double> v = Matrix<double>::Identity(p, p);
    v(K, K) = std::sqrt(eps2);
    Matrix<double> h2 = Matrix<double>::Zero(p, N);
    std::vector<Index> labels;
    for (Index i = 0; i < N; ++i) {
        labels.push_back(i / n);
        h2(i / n, i) = 1;
        h2(K, i) = (i % 2 == 0 ? 1.0 : -1.0);  // zero mean in every class (n even): u Pi = 0, ||u||^2 = N
    }
    h2.row(K) *= std::sqrt(double(n)) / h2.row(K).norm();
    const Verdict verdict = check_t1_nc1(check_state_from_features<double>({v, w}, h2, labels, K, Precision::ieee_double()));
    EXPECT_NEAR(verdict.ratio, 1.0, 1e-12) << verdict_details(verdict);
    EXPECT_NEAR(verdict.measured, eps2 / (K - 1), 1e-14);
    EXPECT_EQ(verdict.status, VerdictStatus::inconclusive);
    EXPECT_EQ(verdict.first_failed_step(), nullptr);
}
