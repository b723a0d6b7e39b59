#pragma once
// Tightness study and adversarial search over random linear-head instances
// (head_instance.hpp), for every state checker of the registry.
//
// For each checker: `cases` instances from sample_head_parameters; over those whose
// hypotheses are met (status holds or inconclusive), the distribution of the ratio
// measured/bound (max, median, 90% and 99% quantiles) and the worst instance. Then an
// adversarial search: from the `search_starts` worst instances, `search_rounds` rounds of
// local refinement (perturb one parameter; keep the change when the ratio grows and the
// hypotheses stay met). A ratio above 1 + tau (the verdict's rounding tolerance), or a
// failing proof step, is a violation: a bug
// in a proof or in the code; the instance is returned for a regression test.

#include <functional>
#include <string>
#include <vector>

#include "ncverify/checkers/head_instance.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

struct TightnessOptions {
    Index cases = 1000;
    Index search_starts = 5;
    Index search_rounds = 200;
    std::uint64_t seed = 1;
    std::vector<std::string> checkers;  // empty = every state checker
    Precision precision = Precision::ieee_double();
};

struct TightnessViolation {
    std::string result;
    HeadParameters parameters;
    Verdict verdict;
};

struct TightnessRow {
    std::string result;
    Provenance provenance = Provenance::explicit_constants;
    std::string bound_name;
    Index cases = 0, hypotheses_met = 0, holds = 0, inconclusive = 0, violated = 0;
    Index inconclusive_conclusion = 0;  // inconclusive verdicts whose conclusion is within rounding
    Index step_failed = 0;              // proof_step_failed verdicts (verdict.hpp)
    Index tight_steps = 0;              // verdicts with at least one tight proof step (diagnostics)
    double max_ratio = 0, median_ratio = 0, q90_ratio = 0, q99_ratio = 0;
    HeadParameters worst_random;
    double searched_max_ratio = 0;
    HeadParameters worst_searched;
};

struct TightnessReport {
    TightnessOptions options;
    std::vector<TightnessRow> rows;
    std::vector<TightnessViolation> violations;
    double seconds = 0;
};

/// Runs the study; `progress` (may be empty) receives one line per phase.
TightnessReport run_tightness_study(const TightnessOptions& options,
                                    const std::function<void(const std::string&)>& progress = {});

/// Markdown table (one row per checker) with the command line and options that made it.
std::string tightness_markdown(const TightnessReport& report, const std::string& command);
nlohmann::json tightness_json(const TightnessReport& report);

}  // namespace ncverify
