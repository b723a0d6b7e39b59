#include "ncverify/checkers/verdict.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ncverify {
namespace {

/// A reported value: a JSON number, or "inf" / "-inf" / "nan" (never null) for a value
/// that left double's range.
nlohmann::json json_number(double x) {
    if (std::isfinite(x)) return x;
    return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
}

/// "yes" / "no" / "-" (no bound computed).
std::string informative_name(const std::optional<bool>& informative) {
    return informative ? (*informative ? "yes" : "no") : "-";
}

/// The certified column of the table: "proved at 53 bits", "inconclusive", or "-".
std::string certified_column(const Verdict& v) {
    if (!v.certificate) return "-";
    std::string text = certified_status_name(v.certificate->status);
    if (v.certificate->deciding_bits > 0) text += fmt::format(" at {} bits", v.certificate->deciding_bits);
    return text;
}

/// "certified: proved at 53 bits; NC1 in [a, b] <= B_meas in [c, d], slack in [e, f] [53 bits: proved (0.01 s)]".
std::string certificate_line(const Certificate& c) {
    std::string text = fmt::format("       certified: {}", certified_status_name(c.status));
    if (c.deciding_bits > 0) text += fmt::format(" at {} bits", c.deciding_bits);
    if (!c.measured_name.empty())
        text += fmt::format("; {} in [{:.10g}, {:.10g}] {} {} in [{:.10g}, {:.10g}], slack in [{:.4g}, {:.4g}]",
                            c.measured_name, c.measured.lower, c.measured.upper, c.relation, c.bound_name,
                            c.bound.lower, c.bound.upper, c.slack.lower, c.slack.upper);
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
        case VerdictStatus::proof_step_failed: return "proof_step_failed";
    }
    return {};
}

std::string comparison_name(Comparison comparison) {
    switch (comparison) {
        case Comparison::holds: return "holds";
        case Comparison::fails: return "fails";
        case Comparison::undecided: return "undecided";
        case Comparison::tight: return "tight";
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

std::vector<std::string> Verdict::tight_steps() const {
    std::vector<std::string> ids;
    for (const ProofStepCheck& step : steps)
        if (step.outcome == Comparison::tight && std::find(ids.begin(), ids.end(), step.id) == ids.end())
            ids.push_back(step.id);
    return ids;
}

nlohmann::json Verdict::to_json() const {
    nlohmann::json hypotheses_json = nlohmann::json::array();
    for (const HypothesisCheck& h : hypotheses)
        hypotheses_json.push_back({{"name", h.name},
                                   {"statement", h.statement},
                                   {"measured", json_number(h.measured)},
                                   {"relation", h.relation},
                                   {"threshold", json_number(h.threshold)},
                                   {"outcome", comparison_name(h.outcome)}});
    nlohmann::json steps_json = nlohmann::json::array();
    for (const ProofStepCheck& s : steps)
        steps_json.push_back({{"id", s.id},
                              {"lhs_name", s.lhs_name},
                              {"relation", s.relation},
                              {"rhs_name", s.rhs_name},
                              {"lhs", json_number(s.lhs)},
                              {"rhs", json_number(s.rhs)},
                              {"outcome", comparison_name(s.outcome)}});
    nlohmann::json json{{"result", result},
                        {"title", title},
                        {"provenance", provenance_name(provenance)},
                        {"proof_note", proof_note},
                        {"status", verdict_status_name(status)},
                        {"reason", reason},
                        {"measured_name", measured_name},
                        {"measured", json_number(measured)},
                        {"relation", relation},
                        {"bound_name", bound_name},
                        {"bound", json_number(bound)},
                        {"ratio", json_number(ratio)},
                        {"slack", json_number(slack)},
                        {"conclusion", comparison_name(conclusion)},
                        {"informative", informative ? nlohmann::json(*informative) : nlohmann::json()},
                        {"informative_rule", informative_rule},
                        {"tight_steps", tight_steps()},
                        {"precision", precision},
                        {"tolerance", tolerance},
                        {"hypotheses", hypotheses_json},
                        {"steps", steps_json},
                        {"notes", notes}};
    if (const ProofStepCheck* failed = first_failed_step()) json["failed_step"] = failed->id;
    if (!range_exceeded_at.empty()) json["range_exceeded_at"] = range_exceeded_at;
    if (certificate) json["certificate"] = certificate->to_json();
    return json;
}

std::string verdict_table(const std::vector<Verdict>& verdicts) {
    std::string text = fmt::format("{:<6} {:<10} {:<18} {:<20} {:>12}    {:<12} {:>9}  {:<11}  {}\n", "result", "label",
                                   "status", "certified", "measured", "bound", "ratio", "informative",
                                   "claim (measured <= or >= bound)");
    for (const Verdict& v : verdicts) {
        text += fmt::format("{:<6} {:<10} {:<18} {:<20} {:>12.6g} {:<2} {:<12.6g} {:>9.3g}  {:<11}  {} {} {}\n", v.result,
                            provenance_name(v.provenance), verdict_status_name(v.status), certified_column(v),
                            v.measured, v.relation, v.bound, v.ratio, informative_name(v.informative),
                            v.measured_name.empty() ? "-" : v.measured_name, v.measured_name.empty() ? "" : v.relation,
                            v.bound_name);
        if (v.status != VerdictStatus::holds) text += fmt::format("       why: {}\n", v.reason);
        if (v.certificate && v.status == VerdictStatus::inconclusive &&
            (v.certificate->status == CertifiedStatus::proved || v.certificate->status == CertifiedStatus::refuted))
            text += "       the certificate decides what the working precision could not: its status is the rigorous "
                    "one\n";
        if (v.informative && !*v.informative)
            text += fmt::format("       vacuous: the bound says nothing on this network ({})\n", v.informative_rule);
        for (const HypothesisCheck& h : v.hypotheses)
            if (h.outcome != Comparison::holds)
                text += fmt::format("       hypothesis {} ({}): {:.6g} {} {:.6g} [{}]\n", h.name, h.statement, h.measured,
                                    h.relation, h.threshold, comparison_name(h.outcome));
        for (const ProofStepCheck& s : v.steps)
            if (s.outcome == Comparison::fails)
                text += fmt::format("       FAILED proof step {} (please report): {} = {:.6g} {} {} = {:.6g}\n", s.id,
                                    s.lhs_name, s.lhs, s.relation, s.rhs_name, s.rhs);
        if (const std::vector<std::string> tight = v.tight_steps(); !tight.empty())
            text += fmt::format("       tight proof steps (equal within rounding; diagnostics, not the verdict): {}\n",
                                fmt::join(tight, ", "));
        for (const std::string& note : v.notes) text += fmt::format("       note: {}\n", note);
        if (v.certificate) text += certificate_line(*v.certificate);
    }
    return text;
}

std::string verdict_details(const Verdict& v) {
    std::string text = fmt::format("{} [{}]: {}\nproof: {}\nstatus: {} ({})\nconclusion: {} = {:.10g} {} {} = {:.10g}  "
                                   "ratio {:.4g}  slack {:.4g}  informative {}{}\nprecision {}, tolerance {:.3g}\n"
                                   "hypotheses:\n",
                                   v.result, provenance_name(v.provenance), v.title, v.proof_note,
                                   verdict_status_name(v.status), v.reason, v.measured_name, v.measured, v.relation,
                                   v.bound_name, v.bound, v.ratio, v.slack, informative_name(v.informative),
                                   v.informative_rule.empty() ? "" : " (" + v.informative_rule + ")", v.precision,
                                   v.tolerance);
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
