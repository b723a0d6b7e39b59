#include "ncverify/checkers/certificate.hpp"

#include "ncverify/checkers/certificate_builder.hpp"

#include <utility>

namespace ncverify {

std::string certified_status_name(CertifiedStatus status) {
    switch (status) {
        case CertifiedStatus::proved: return "proved";
        case CertifiedStatus::refuted: return "refuted";
        case CertifiedStatus::hypotheses_not_met: return "hypotheses_not_met";
        case CertifiedStatus::inconclusive: return "inconclusive";
    }
    return {};
}

std::string certified_comparison_name(CertifiedComparison comparison) {
    switch (comparison) {
        case CertifiedComparison::holds: return "holds";
        case CertifiedComparison::fails: return "fails";
        case CertifiedComparison::undecided: return "undecided";
    }
    return {};
}

namespace {

nlohmann::json interval_json(const Interval& interval) { return nlohmann::json::array({interval.lower, interval.upper}); }

}  // namespace

nlohmann::json Certificate::to_json() const {
    nlohmann::json attempts_json = nlohmann::json::array();
    for (const CertificationAttempt& a : attempts)
        attempts_json.push_back({{"bits", a.bits}, {"status", certified_status_name(a.status)}, {"seconds", a.seconds}});
    nlohmann::json hypotheses_json = nlohmann::json::array();
    for (const CertifiedHypothesis& h : hypotheses)
        hypotheses_json.push_back({{"name", h.name},
                                   {"statement", h.statement},
                                   {"measured", interval_json(h.measured)},
                                   {"relation", h.relation},
                                   {"threshold", interval_json(h.threshold)},
                                   {"outcome", certified_comparison_name(h.outcome)}});
    return {{"status", certified_status_name(status)},
            {"deciding_bits", deciding_bits},
            {"attempts", attempts_json},
            {"hypotheses", hypotheses_json},
            {"measured_name", measured_name},
            {"measured", interval_json(measured)},
            {"relation", relation},
            {"bound_name", bound_name},
            {"bound", interval_json(bound)},
            {"slack", interval_json(slack)},
            {"notes", notes}};
}

Interval interval_of(const Ball& ball) { return {ball.lower(), ball.upper()}; }

CertifiedComparison CertificateBuilder::compare(const Ball& lhs, const std::string& relation, const Ball& rhs) {
    const bool strict = relation == "<" || relation == ">";
    const bool less = relation == "<" || relation == "<=";
    const Ball& small = less ? lhs : rhs;
    const Ball& large = less ? rhs : lhs;
    // small < large (strict) or small <= large; the opposite is large <= small, resp. large < small.
    if (strict ? certainly_less(small, large) : certainly_less_equal(small, large)) return CertifiedComparison::holds;
    if (strict ? certainly_less_equal(large, small) : certainly_less(large, small)) return CertifiedComparison::fails;
    return CertifiedComparison::undecided;
}

void CertificateBuilder::exact_hypothesis(std::string name, std::string statement, double measured, std::string relation,
                                          double threshold, bool holds) {
    certificate_.hypotheses.push_back({std::move(name), std::move(statement), {measured, measured}, std::move(relation),
                                       {threshold, threshold},
                                       holds ? CertifiedComparison::holds : CertifiedComparison::fails});
}

void CertificateBuilder::hypothesis(std::string name, std::string statement, const Ball& measured, std::string relation,
                                    const Ball& threshold) {
    const CertifiedComparison outcome = compare(measured, relation, threshold);
    certificate_.hypotheses.push_back({std::move(name), std::move(statement), interval_of(measured), std::move(relation),
                                       interval_of(threshold), outcome});
}

void CertificateBuilder::conclude(std::string measured_name, const Ball& measured, std::string bound_name,
                                  const Ball& bound) {
    certificate_.measured_name = std::move(measured_name);
    certificate_.bound_name = std::move(bound_name);
    certificate_.measured = interval_of(measured);
    certificate_.bound = interval_of(bound);
    certificate_.slack = interval_of(bound - measured);
    // proved needs bound - measured certainly > 0, refuted certainly < 0 (slack exactly 0 decides nothing).
    claim_ = certainly_less(measured, bound)   ? CertifiedComparison::holds
             : certainly_less(bound, measured) ? CertifiedComparison::fails
                                               : CertifiedComparison::undecided;
    concluded_ = true;
}

void CertificateBuilder::conclude_at_least(std::string measured_name, const Ball& measured, std::string bound_name,
                                           const Ball& bound) {
    conclude(std::move(bound_name), bound, std::move(measured_name), measured);
    std::swap(certificate_.measured_name, certificate_.bound_name);
    std::swap(certificate_.measured, certificate_.bound);
    certificate_.slack = interval_of(measured - bound);
    certificate_.relation = ">=";
}

bool CertificateBuilder::hypothesis_failed() const {
    for (const CertifiedHypothesis& h : certificate_.hypotheses)
        if (h.outcome == CertifiedComparison::fails) return true;
    return false;
}

Certificate CertificateBuilder::finish() {
    bool undecided = false;
    for (const CertifiedHypothesis& h : certificate_.hypotheses) undecided |= h.outcome == CertifiedComparison::undecided;
    certificate_.status = hypothesis_failed()                                           ? CertifiedStatus::hypotheses_not_met
                          : undecided || !concluded_                                    ? CertifiedStatus::inconclusive
                          : claim_ == CertifiedComparison::holds                        ? CertifiedStatus::proved
                          : claim_ == CertifiedComparison::fails                        ? CertifiedStatus::refuted
                                                                                        : CertifiedStatus::inconclusive;
    return std::move(certificate_);
}

}  // namespace ncverify
