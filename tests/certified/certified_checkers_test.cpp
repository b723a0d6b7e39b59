// Certified mode of the checkers (checkers/certification.hpp): escalation on a
// borderline instance, refutation of a false claim, soundness on random instances, and
// a proof of T1 on a trained network.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/registry.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"
#include "support/end_to_end_network.hpp"
#include "support/head_instances.hpp"

using namespace ncverify;

namespace {

/// A T2 instance whose slack is 16 eps = 2^-133 ~ 9e-41 in exact arithmetic (K = 2,
/// n = 2, L2 = 2, every entry a power of two, so the stored doubles are exact):
///   W = V = diag(2, 1/2) (so D_{L-1} = 0 exactly), class means M = W^-1 + eps P with
///   P = [[0, 1], [1, 0]], eps = 2^-137, i.e. H_{L-2} = V^-1 M (each mean repeated n times).
/// Then W M = I + eps W P, delta = ||E||_op/sqrt(n) = 2 eps, kappa_W = 4 and
/// kappa_M = 4 + O(eps^2), so KM_a - kappa_M = 4 (1 + 2 eps)/(1 - 2 eps) - kappa_M = 16 eps + O(eps^2).
CheckState<double> borderline_t2_instance() {
    const double eps = std::ldexp(1.0, -137);
    Matrix<double> W(2, 2), H2(2, 4);
    W << 2, 0, 0, 0.5;
    // V^-1 M = [[1/4, eps/2], [2 eps, 4]]; columns: class 0 twice, class 1 twice.
    H2 << 0.25, 0.25, eps / 2, eps / 2, 2 * eps, 2 * eps, 4, 4;
    return check_state_from_features<double>({W, W}, H2, {0, 0, 1, 1}, 2, Precision::ieee_double());
}

const CheckerEntry& registry_entry(const std::string& id) {
    for (const CheckerEntry& entry : checker_registry())
        if (entry.id == id) return entry;
    throw InvalidArgument(id);
}

std::string attempts_text(const Certificate& c) {
    std::string text;
    for (const CertificationAttempt& a : c.attempts) text += fmt::format("{}: {}; ", a.bits, certified_status_name(a.status));
    return text;
}

/// A deliberately false strengthening of T2 (for the refutation test only): kappa_M <=
/// kappa_W (1 - 2^-100), i.e. KM_a without the fit and balancedness terms and tightened.
/// On the borderline instance kappa_M = 4 + O(2^-274) > 4 (1 - 2^-100).
Certificate certify_false_t2_claim(const CertifiedState& state, const CheckerOptions&) {
    CertificateBuilder c;
    const CertifiedHead head = enclose_head(state);
    const ClassStatisticsEnclosure stats = enclose_class_statistics(head.Z, state.labels, state.num_classes);
    const Ball kappa_M = enclose_singular_values(stats.class_means, state.bits).condition_number(2);
    Ball tightening = Ball(1);
    arb_mul_2exp_si(tightening.get(), tightening.get(), -100);
    c.conclude("kappa_M", kappa_M, "kappa_W (1 - 2^-100)", head.sv_W.condition_number(2) * (Ball(1) - tightening));
    return c.finish();
}

}  // namespace

TEST(Certification, BorderlineInstanceIsInconclusiveAt64BitsAndProvedAfterEscalation) {
    const CheckState<double> state = borderline_t2_instance();
    const Verdict approximate = check_t2_nc2(state);
    EXPECT_NE(approximate.status, VerdictStatus::violated) << verdict_details(approximate);
    const Certificate certificate = certify_with_escalation(registry_entry("T2").certify, certified_source_from_features(state),
                                                            {}, {{64, 128, 256, 512}});
    ASSERT_EQ(certificate.attempts.size(), 3u) << attempts_text(certificate);
    EXPECT_EQ(certificate.attempts[0].status, CertifiedStatus::inconclusive);
    EXPECT_EQ(certificate.attempts[1].status, CertifiedStatus::inconclusive);
    EXPECT_EQ(certificate.status, CertifiedStatus::proved) << attempts_text(certificate);
    EXPECT_EQ(certificate.deciding_bits, 256u);
    // The slack enclosure at 256 bits brackets 16 eps = 2^-133 to well within 1%.
    EXPECT_GT(certificate.slack.lower, 0.99 * std::ldexp(1.0, -133));
    EXPECT_LT(certificate.slack.upper, 1.01 * std::ldexp(1.0, -133));
}

TEST(Certification, FalseClaimIsRefutedOnceThePrecisionResolvesIt) {
    const CheckState<double> state = borderline_t2_instance();
    const Certificate certificate =
        certify_with_escalation(&certify_false_t2_claim, certified_source_from_features(state), {}, {{53, 64, 128, 256}});
    EXPECT_EQ(certificate.status, CertifiedStatus::refuted) << attempts_text(certificate);
    EXPECT_EQ(certificate.deciding_bits, 128u) << attempts_text(certificate);  // 2^-100 * 4 is below 53- and 64-bit widths
    EXPECT_LT(certificate.slack.upper, 0.0);
}

TEST(Certification, FailedHypothesisIsReportedAsSuch) {
    // Interpolation broken: ||E||_op >= sqrt(n), certainly.
    Matrix<double> W(2, 2), H2(2, 4);
    W << 1, 0, 0, 1;
    H2 << 3, 3, 0, 0, 0, 0, 3, 3;
    const CheckState<double> state = check_state_from_features<double>({W, W}, H2, {0, 0, 1, 1}, 2, Precision::ieee_double());
    for (const std::string id : {"T1", "T2", "T3"}) {
        const Certificate c = certify_with_escalation(registry_entry(id).certify, certified_source_from_features(state), {});
        EXPECT_EQ(c.status, CertifiedStatus::hypotheses_not_met) << id;
        EXPECT_EQ(c.deciding_bits, 53u) << id;
    }
}

TEST(Certification, PrecisionLadderParsing) {
    EXPECT_EQ(parse_precision_ladder("53,128,256"), (std::vector<unsigned>{53, 128, 256}));
    EXPECT_THROW(parse_precision_ladder("128,64"), InvalidArgument);
    EXPECT_THROW(parse_precision_ladder("52"), InvalidArgument);
    EXPECT_THROW(parse_precision_ladder("53,,128"), InvalidArgument);
    EXPECT_THROW(parse_precision_ladder(""), InvalidArgument);
}

// Soundness on random instances of the head generator: the theorems are proved, so a
// certificate is never `refuted`; a `proved` verdict is never contradicted by the
// approximate checker (violated); and whenever the approximate checker says
// hypotheses_not_met with a large margin, so does the certificate.
RC_GTEST_PROP(Certification, NeverRefutesTheTheoremsOnRandomInstances, ()) {
    const HeadParameters parameters = *ncverify::testing::head_parameters(4, 3);
    const bool broken = *rc::gen::inRange(0, 10) == 0;
    const CheckState<double> state = ncverify::testing::head_instance(parameters, broken);
    const std::vector<Verdict> approximate = run_checkers(state);
    std::vector<Verdict> certified = approximate;
    certify_verdicts(certified, certified_source_from_features(state), {}, {{53, 128}});
    for (const Verdict& v : certified) {
        RC_ASSERT(v.certificate.has_value() == (registry_entry(v.result).certify != nullptr));
        if (!v.certificate) continue;  // a checker without a certified mode
        const Certificate& c = *v.certificate;
        RC_TAG(v.result, certified_status_name(c.status));
        RC_ASSERT(c.status != CertifiedStatus::refuted);
        if (c.status == CertifiedStatus::proved) {
            RC_ASSERT(v.status != VerdictStatus::violated);
            RC_ASSERT(c.slack.lower > 0.0);
            // The approximate values lie inside (or within rounding of) the enclosures.
            RC_ASSERT(v.measured >= c.measured.lower - 1e-9 * std::abs(v.measured) - 1e-300);
            RC_ASSERT(v.measured <= c.measured.upper + 1e-9 * std::abs(v.measured) + 1e-300);
        }
        if (c.status == CertifiedStatus::hypotheses_not_met) RC_ASSERT(v.status != VerdictStatus::holds);
    }
}

TEST(Certification, ProvesT1OnATrainedNetwork) {
    const ncverify::testing::TrainedNetwork trained = ncverify::testing::trained_end_to_end_network();
    ASSERT_EQ(trained.outcome.status, TrainingStatus::completed) << trained.outcome.message;
    const Dataset& data = trained.data;

    const CheckState<double> check =
        check_state_from_network(trained.network, data.inputs, data.labels, data.num_classes, Precision::ieee_double());
    std::vector<Verdict> verdicts = run_checkers(check);
    certify_verdicts(verdicts, certified_source_from_network(trained.network, data.inputs, data.labels, data.num_classes));
    for (const Verdict& v : verdicts) {
        ASSERT_EQ(v.certificate.has_value(), registry_entry(v.result).certify != nullptr) << v.result;
        if (v.certificate) {
            EXPECT_NE(v.certificate->status, CertifiedStatus::refuted) << v.result;
        }
    }
    const Certificate& t1 = *verdicts.front().certificate;
    EXPECT_EQ(t1.status, CertifiedStatus::proved) << verdict_details(verdicts.front());
    EXPECT_EQ(t1.deciding_bits, 53u);
    // The double check's values lie inside the enclosures (to double rounding).
    EXPECT_LE(t1.measured.lower, verdicts.front().measured * (1 + 1e-12));
    EXPECT_GE(t1.measured.upper, verdicts.front().measured * (1 - 1e-12));
    std::cout << verdict_table(verdicts);
}
