#include "ncverify/checkers/verdict.hpp"

#include <fmt/core.h>

namespace ncverify {
namespace {

/// "certified: proved at 53 bits; measured in [a, b], bound in [c, d], slack in [e, f] (53: 0.01 s)".
std::string certificate_line(const Certificate& c) {
    std::string text = fmt::format("       certified: {}", certified_status_name(c.status));
    if (c.deciding_bits > 0) text += fmt::format(" at {} bits", c.deciding_bits);
    if (!c.measured_name.empty())
        text += fmt::format("; measured in [{:.10g}, {:.10g}], bound in [{:.10g}, {:.10g}], slack in [{:.4g}, {:.4g}]",
                            c.measured.lower, c.measured.upper, c.bound.lower, c.bound.upper, c.slack.lower,
                            c.slack.upper);
    std::string tried;
    for (const CertificationAttempt& a : c.attempts)
        tried += fmt::format("{}{} bits: {} ({:.3g} s)", tried.empty() ? "" : ", ", a.bits, certified_status_name(a.status),
                             a.seconds);
    text += fmt::format(" [{}]\n", tried);
    for (const CertifiedHypothesis& h : c.hypotheses)
        if (h.outcome != CertifiedComparison::holds)
            text += fmt::format("       certified hypothesis {} ({}): [{:.10g}, {:.10g}] {} [{:.10g}, {:.10g}] {}\n", h.name,
                                h.statement, h.measured.lower, h.measured.upper, h.relation, h.threshold.lower,
                                h.threshold.upper, certified_comparison_name(h.outcome));
    for (const std::string& note : c.notes) text += fmt::format("       certified note: {}\n", note);
    return text;
}

}  // namespace

std::string provenance_name(Provenance provenance) {
    switch (provenance) {
        case Provenance::paper: return "paper";
        case Provenance::explicit_constants: return "explicit";
        case Provenance::conjecture: return "conjecture";
    }
    return {};
}

std::string verdict_status_name(VerdictStatus status) {
    switch (status) {
        case VerdictStatus::holds: return "holds";
        case VerdictStatus::violated: return "violated";
        case VerdictStatus::hypotheses_not_met: return "hypotheses_not_met";
        case VerdictStatus::inconclusive: return "inconclusive";
    }
    return {};
}

std::string comparison_name(Comparison comparison) {
    switch (comparison) {
        case Comparison::holds: return "holds";
        case Comparison::fails: return "fails";
        case Comparison::undecided: return "undecided";
    }
    return {};
}

Verdict verdict_header(std::string result, std::string title, Provenance provenance, std::string proof_note,
                       std::string precision) {
    Verdict verdict;
    verdict.result = std::move(result);
    verdict.title = std::move(title);
    verdict.provenance = provenance;
    verdict.proof_note = std::move(proof_note);
    verdict.precision = std::move(precision);
    return verdict;
}

const ProofStepCheck* Verdict::first_failed_step() const {
    for (const ProofStepCheck& step : steps)
        if (step.outcome == Comparison::fails) return &step;
    return nullptr;
}

nlohmann::json Verdict::to_json() const {
    nlohmann::json hypotheses_json = nlohmann::json::array();
    for (const HypothesisCheck& h : hypotheses)
        hypotheses_json.push_back({{"name", h.name},
                                   {"statement", h.statement},
                                   {"measured", h.measured},
                                   {"relation", h.relation},
                                   {"threshold", h.threshold},
                                   {"outcome", comparison_name(h.outcome)}});
    nlohmann::json steps_json = nlohmann::json::array();
    for (const ProofStepCheck& s : steps)
        steps_json.push_back({{"id", s.id},
                              {"lhs_name", s.lhs_name},
                              {"relation", s.relation},
                              {"rhs_name", s.rhs_name},
                              {"lhs", s.lhs},
                              {"rhs", s.rhs},
                              {"outcome", comparison_name(s.outcome)}});
    nlohmann::json json{{"result", result},
                        {"title", title},
                        {"provenance", provenance_name(provenance)},
                        {"proof_note", proof_note},
                        {"status", verdict_status_name(status)},
                        {"measured_name", measured_name},
                        {"measured", measured},
                        {"bound_name", bound_name},
                        {"bound", bound},
                        {"ratio", ratio},
                        {"slack", slack},
                        {"conclusion", comparison_name(conclusion)},
                        {"precision", precision},
                        {"tolerance", tolerance},
                        {"hypotheses", hypotheses_json},
                        {"steps", steps_json},
                        {"notes", notes}};
    if (const ProofStepCheck* failed = first_failed_step()) json["failed_step"] = failed->id;
    if (certificate) json["certificate"] = certificate->to_json();
    return json;
}

std::string verdict_table(const std::vector<Verdict>& verdicts) {
    std::string text = fmt::format("{:<6} {:<10} {:<19} {:>13} {:>13} {:>10}  {}\n", "result", "label", "status",
                                   "measured", "bound", "ratio", "what");
    for (const Verdict& v : verdicts) {
        text += fmt::format("{:<6} {:<10} {:<19} {:>13.6g} {:>13.6g} {:>10.3g}  {}\n", v.result,
                            provenance_name(v.provenance), verdict_status_name(v.status), v.measured, v.bound, v.ratio,
                            v.title);
        for (const HypothesisCheck& h : v.hypotheses)
            if (h.outcome != Comparison::holds)
                text += fmt::format("       hypothesis {} ({}): {} {} {} [{}]\n", h.name, h.statement, h.measured,
                                    h.relation, h.threshold, comparison_name(h.outcome));
        for (const ProofStepCheck& s : v.steps)
            if (s.outcome != Comparison::holds)
                text += fmt::format("       step {}: {} = {:.6g} {} {} = {:.6g} [{}]\n", s.id, s.lhs_name, s.lhs,
                                    s.relation, s.rhs_name, s.rhs, comparison_name(s.outcome));
        for (const std::string& note : v.notes) text += fmt::format("       note: {}\n", note);
        if (v.certificate) text += certificate_line(*v.certificate);
    }
    return text;
}

std::string verdict_details(const Verdict& v) {
    std::string text = fmt::format("{} [{}]: {}\nproof: {}\nstatus: {}   {} = {:.10g}  {} = {:.10g}  ratio {:.4g}  slack {:.4g}\n"
                                   "precision {}, tolerance {:.3g}\nhypotheses:\n",
                                   v.result, provenance_name(v.provenance), v.title, v.proof_note,
                                   verdict_status_name(v.status), v.measured_name, v.measured, v.bound_name, v.bound,
                                   v.ratio, v.slack, v.precision, v.tolerance);
    for (const HypothesisCheck& h : v.hypotheses)
        text += fmt::format("  {:<28} {:<34} {:>14.8g} {:<2} {:<14.8g} {}\n", h.name, h.statement, h.measured,
                            h.relation, h.threshold, comparison_name(h.outcome));
    text += "steps:\n";
    for (const ProofStepCheck& s : v.steps)
        text += fmt::format("  {:<6} {:<30} {:>14.8g} {:<2} {:>14.8g} {:<34} {}\n", s.id, s.lhs_name, s.lhs, s.relation,
                            s.rhs, s.rhs_name, comparison_name(s.outcome));
    for (const std::string& note : v.notes) text += fmt::format("note: {}\n", note);
    if (v.certificate) text += certificate_line(*v.certificate);
    return text;
}

}  // namespace ncverify
