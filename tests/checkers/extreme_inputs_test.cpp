// Regression tests for verdicts on extreme but valid inputs (issue "verdicts that stay
// right on extreme inputs"), each built from the description of a case found by an
// independent reviewer: finite doubles, the hypotheses met, the true measured value far
// below the bound. On such an input a verdict may be holds, hypotheses_not_met or
// inconclusive; it is never violated, never proof_step_failed, and never an exception.
// The NumPy generator tests/cli/extreme_inputs.py checks the same through `ncv check`.
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/enclosure/ball.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "support/head_instances.hpp"
#include "support/labels.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

HeadParameters base_parameters(std::vector<Index> widths, std::uint64_t seed) {
    HeadParameters p;
    p.num_classes = widths.back();
    p.per_class = 3;
    p.linear_layers = static_cast<Index>(widths.size()) - 1;
    p.widths = std::move(widths);
    p.log10_kappa = 0.5;
    p.log10_perturbation = -6;
    p.log10_fit = -4;
    p.null_noise = 0.3;
    p.seed = seed;
    return p;
}

Matrix<double> times_power_of_two(const Matrix<double>& m, int k) {
    return m.unaryExpr([k](double x) { return std::ldexp(x, k); });
}

const Verdict& verdict_of(const std::vector<Verdict>& verdicts, const std::string& id) {
    for (const Verdict& v : verdicts)
        if (v.result == id) return v;
    throw std::runtime_error("no verdict " + id);
}

/// No verdict is violated or has a failing proof step.
void expect_sound(const std::vector<Verdict>& verdicts, const std::string& what) {
    for (const Verdict& v : verdicts) {
        EXPECT_NE(v.status, VerdictStatus::violated) << what << "\n" << verdict_details(v);
        EXPECT_NE(v.status, VerdictStatus::proof_step_failed) << what << "\n" << verdict_details(v);
        EXPECT_EQ(v.first_failed_step(), nullptr) << what << "\n" << verdict_details(v);
    }
}

}  // namespace

// Case 1a: H_{L-2} x 2^k, W_{L-1} x 2^-k leaves Z = H_{L-1} and the output unchanged; T1.9
// used to fail from k = 14 on (tolerance scaled by ||V||_F^2 instead of the rounding of D).
TEST(ExtremeInputs, RescaledLastPairKeepsT1Holding) {
    const CheckState<double> state = make_head_instance(base_parameters({6, 5, 3}, 11));
    const std::vector<Verdict> original = run_checkers(state);
    ASSERT_EQ(verdict_of(original, "T1").status, VerdictStatus::holds) << verdict_details(verdict_of(original, "T1"));
    for (int k : {14, 20, 30, 60}) {
        CheckState<double> scaled = state;
        scaled.head_input = times_power_of_two(state.head_input, k);
        scaled.head_weights[0] = times_power_of_two(state.head_weights[0], -k);
        const std::vector<Verdict> verdicts = run_checkers(scaled);
        expect_sound(verdicts, "k = " + std::to_string(k));
        EXPECT_EQ(verdict_of(verdicts, "T1").status, VerdictStatus::holds) << "k = " << k;
    }
}

// Case 1b: p = K with kappa(W_L) = 1e15: P_perp = 0 exactly, so T1.9 reads 0 = 0 (it used
// to report ||P_perp V||^2 = 3e-3 from a rounded I - W^+ W).
TEST(ExtremeInputs, SquareIllConditionedLastLayerUsesPperpZero) {
    const Index K = 3, n = 3, d0 = 5;
    // W_L = Q diag(s), W_{L-1} = [I_K 0], H = W_{L-1}^T diag(1/s) Q^T Y: the output is Y to
    // rounding, and a rounded I - W^+ W is off by kappa(W) eps ~ 0.1.
    RandomSource random(5);
    const Matrix<double> q = random_orthonormal_columns<double>(K, K, random);
    const Vector<double> s = (Vector<double>(3) << 1.0, 1e-7, 1e-15).finished();
    const Matrix<double> w = q * s.asDiagonal();
    const Matrix<double> v = Matrix<double>::Identity(K, d0);
    const Matrix<double> h = multiply(Matrix<double>(v.transpose()),
                                      Matrix<double>(s.cwiseInverse().asDiagonal() *
                                                     multiply(Matrix<double>(q.transpose()), class_one_hot(K, n))));
    const CheckState<double> state =
        check_state_from_features<double>({v, w}, h, class_sorted_labels(K, n), K, Precision::ieee_double());
    const std::vector<Verdict> verdicts = run_checkers(state);
    expect_sound(verdicts, "p = K, kappa(W_L) = 1e15");
    for (const ProofStepCheck& step : verdict_of(verdicts, "T1").steps)
        if (step.id == "T1.9") {
            EXPECT_EQ(step.lhs, 0.0);
            EXPECT_EQ(step.rhs, 0.0);
            EXPECT_EQ(step.outcome, Comparison::holds);
        }
}

// Case 1c: features with a common offset 2^26 along the null space of W_L and a spread
// of 2^-14: the double class means keep few digits. T1.17 used to fail.
TEST(ExtremeInputs, LargeCommonOffsetWithSmallSpreadIsNeverViolated) {
    CheckState<double> state = make_head_instance(base_parameters({6, 5, 3}, 23));
    state.head_weights[1] = times_power_of_two(state.head_weights[1], 14);  // W_L x 2^14
    state.head_input = times_power_of_two(state.head_input, -14);         // spread 2^-14
    const Matrix<double>& w = state.head_weight(2);
    const Matrix<double>& v = state.head_weight(1);
    RandomSource random(7);
    const Matrix<double> g = random.gaussian_matrix(w.cols(), 1);
    Matrix<double> u = g - multiply(pseudo_inverse(w, RankRule::fixed(3)), multiply(w, g));  // W u ~ 0
    u /= u.norm();
    const Matrix<double> lift = multiply(pseudo_inverse(v, RankRule::fixed(v.rows())), u);  // V lift = u
    state.head_input.colwise() += std::ldexp(1.0, 26) * lift.col(0);
    const std::vector<Verdict> verdicts = run_checkers(state);
    expect_sound(verdicts, "offset 2^26, spread 2^-14");
}

// Case 1d: scales 2^+-332 and 2^664 (H x 2^s, W_{L1+1} x 2^-s): outside the double window,
// so the checkers run in MPFR at 53 bits; T1.9 used to fail, T5.3 to underflow with a
// null bound in JSON.
TEST(ExtremeInputs, HugeAndTinyScalesAreEvaluatedInMpfrWithTheSameStatuses) {
    const CheckState<double> state = make_head_instance(base_parameters({6, 4, 3}, 31));
    const std::vector<Verdict> original = run_checkers(state);
    for (int k : {332, -332, 664}) {
        CheckState<double> scaled = state;
        scaled.head_input = times_power_of_two(state.head_input, k);
        scaled.head_weights[0] = times_power_of_two(state.head_weights[0], -k);
        const std::vector<Verdict> verdicts = run_checkers(scaled);
        expect_sound(verdicts, "scale 2^" + std::to_string(k));
        for (std::size_t i = 0; i < verdicts.size(); ++i) {
            EXPECT_EQ(verdicts[i].status, original[i].status) << verdicts[i].result << " k = " << k << "\n"
                                                              << verdict_details(verdicts[i]);
            ASSERT_FALSE(verdicts[i].notes.empty());
            EXPECT_NE(verdicts[i].notes.front().find("MPFR at 53 bits"), std::string::npos) << verdicts[i].notes.front();
            EXPECT_FALSE(verdicts[i].to_json()["bound"].is_null()) << verdicts[i].result;
        }
    }
}

// Case 2: subnormal features (2^-1050, with W x 2^520 and 2^530), and H x 2^-600 with
// W x 2^600: a verdict, never an exception ("symmetric_eigenvalues: ... NaN" exited 2).
TEST(ExtremeInputs, SubnormalAndCompensatedExtremeMagnitudesGetVerdicts) {
    const CheckState<double> state = make_head_instance(base_parameters({5, 4, 4, 3}, 41));
    const std::vector<Verdict> original = run_checkers(state);
    CheckState<double> subnormal = state;
    subnormal.head_input = times_power_of_two(state.head_input, -1050);
    subnormal.head_weights[0] = times_power_of_two(state.head_weights[0], 520);
    subnormal.head_weights[1] = times_power_of_two(state.head_weights[1], 530);
    CheckState<double> compensated = state;
    compensated.head_input = times_power_of_two(state.head_input, -600);
    compensated.head_weights[0] = times_power_of_two(state.head_weights[0], 600);
    for (const auto& [name, instance] : {std::pair{"subnormal", &subnormal}, std::pair{"2^-600 / 2^600", &compensated}}) {
        std::vector<Verdict> verdicts;
        ASSERT_NO_THROW(verdicts = run_checkers(*instance)) << name;
        expect_sound(verdicts, name);
        for (const Verdict& v : verdicts) EXPECT_FALSE(v.reason.empty()) << name << " " << v.result;
    }
    // The compensated scaling is exact: the same statuses as the original.
    const std::vector<Verdict> verdicts = run_checkers(compensated);
    for (std::size_t i = 0; i < verdicts.size(); ++i) EXPECT_EQ(verdicts[i].status, original[i].status) << verdicts[i].result;
}

// Case 2 (certified): features x 1e300 (W_{L1+1} x 1e-300) gave "enclose_singular_values:
// a midpoint is NaN or infinite" at the 53-bit rung, whose approximate decompositions are
// in double: such a rung is now inconclusive and the ladder goes on in MPFR. First the
// mechanism, with a certify function that meets a non-finite value at 53 bits only; then
// the instance itself, which must be certified without error and never refuted.
namespace {
Certificate certify_overflowing_in_double(const CertifiedState&, const CheckerOptions&) {
    if (ball_precision_bits() == 53) throw NonFiniteValue("enclose_singular_values: a midpoint is NaN or infinite");
    Certificate c;
    c.status = CertifiedStatus::proved;
    return c;
}
}  // namespace

TEST(ExtremeInputs, CertifiedModeEscalatesPastARungThatLeavesDoublesRange) {
    const CheckState<double> state = make_head_instance(base_parameters({5, 4, 3}, 53));
    Certificate certificate;
    ASSERT_NO_THROW(certificate = certify_with_escalation(&certify_overflowing_in_double,
                                                          certified_source_from_features(state), {}, {{53, 128}}));
    EXPECT_EQ(certificate.status, CertifiedStatus::proved);
    EXPECT_EQ(certificate.deciding_bits, 128u);
    ASSERT_EQ(certificate.attempts.size(), 2u);
    EXPECT_EQ(certificate.attempts[0].status, CertifiedStatus::inconclusive);
}

TEST(ExtremeInputs, CertifiedModeEnclosesHugeFeatures) {
    CheckState<double> state = make_head_instance(base_parameters({5, 4, 3}, 53));
    state.head_input *= 1e300;
    state.head_weights[0] *= 1e-300;
    std::vector<Verdict> verdicts = run_checkers(state);
    ASSERT_NO_THROW(certify_verdicts(verdicts, certified_source_from_features(state), {}, {{53, 128, 256}}));
    expect_sound(verdicts, "1e300");
    for (const Verdict& v : verdicts) {
        ASSERT_TRUE(v.certificate) << v.result;
        EXPECT_EQ(v.certificate->status, CertifiedStatus::proved) << v.result << " " << verdict_details(v);
    }
}

// Case 3: a proof step that is an equality within rounding (T2.a3 when p = K) is `tight`
// and does not make the verdict inconclusive when the conclusion is decided: certified
// `proved` and the approximate status agree.
TEST(ExtremeInputs, TightStepsDoNotMakeADecidedVerdictInconclusive) {
    const CheckState<double> state = make_head_instance(base_parameters({3, 3, 3}, 61));
    std::vector<Verdict> verdicts = run_checkers(state);
    certify_verdicts(verdicts, certified_source_from_features(state), {}, {{53, 128}});
    for (const Verdict& v : verdicts) {
        ASSERT_TRUE(v.certificate) << v.result;
        if (v.certificate->status == CertifiedStatus::proved && v.conclusion == Comparison::holds) {
            EXPECT_EQ(v.status, VerdictStatus::holds) << verdict_details(v);
        }
    }
    const Verdict& t2 = verdict_of(verdicts, "T2");
    EXPECT_EQ(t2.status, VerdictStatus::holds) << verdict_details(t2);
}

// Case 3: T3's row names both sides ("NC3 >= lower bound"), measured first.
TEST(ExtremeInputs, LowerBoundVerdictsNameBothSides) {
    const std::vector<Verdict> verdicts = run_checkers(make_head_instance(base_parameters({5, 4, 3}, 71)));
    const Verdict& t3 = verdict_of(verdicts, "T3");
    EXPECT_EQ(t3.relation, ">=");
    EXPECT_EQ(t3.measured_name.rfind("NC3", 0), 0u) << t3.measured_name;
    EXPECT_NE(verdict_table(verdicts).find("NC3 = mean_c cos(mu_c, w_c) >= LB3"), std::string::npos);
    EXPECT_LE(t3.ratio, 1.0);  // LB3 / NC3
}

// Case 3: a bound that holds but says nothing is marked. A poorly fitted head (||E||_F
// close to sqrt(n)) has B_meas far above the NC1 of the features it receives.
TEST(ExtremeInputs, VacuousBoundsAreMarkedNotInformative) {
    HeadParameters p = base_parameters({6, 5, 3}, 83);
    p.log10_fit = -0.2;
    const CheckState<double> state = make_head_instance(p);
    const std::vector<Verdict> verdicts = run_checkers(state);
    const Verdict& t1 = verdict_of(verdicts, "T1");
    ASSERT_TRUE(t1.informative.has_value());
    const double nc1_input = nc1_trace_ratio(class_statistics(state.head_input, state.labels, state.num_classes));
    EXPECT_EQ(*t1.informative, t1.bound < nc1_input) << verdict_details(t1);  // the rule of T1_nc1.md §7
    EXPECT_FALSE(*t1.informative) << verdict_details(t1);
    EXPECT_NE(verdict_table(verdicts).find("vacuous"), std::string::npos);
    // The informative rule on an instance with a good fit: T1's bound says something there.
    const std::vector<Verdict> fitted = run_checkers(make_head_instance(base_parameters({6, 5, 3}, 83)));
    EXPECT_TRUE(verdict_of(fitted, "T1").informative.value_or(false)) << verdict_details(verdict_of(fitted, "T1"));
}

// Case 3: notes address the user. None starts with a bare step ID ("T2.b6, T2.b7 skipped:
// sK_A^2 = ..."), none names a C++ function or type; step IDs stay, in parentheses.
TEST(ExtremeInputs, NotesAreWrittenForTheUser) {
    std::vector<HeadParameters> instances = {base_parameters({6, 5, 3}, 91), base_parameters({4, 4, 4, 3}, 92)};
    instances[1].log10_perturbation = -1;  // far from balanced: the chain refinements are skipped
    for (const HeadParameters& p : instances)
        for (const Verdict& v : run_checkers(make_head_instance(p)))
            for (const std::string& note : v.notes) {
                EXPECT_FALSE(note.size() > 2 && note[0] == 'T' && std::isdigit(static_cast<unsigned char>(note[1])))
                    << v.result << ": " << note;
                EXPECT_EQ(note.find("::"), std::string::npos) << v.result << ": " << note;
                EXPECT_EQ(note.find("check_t"), std::string::npos) << v.result << ": " << note;
            }
}
