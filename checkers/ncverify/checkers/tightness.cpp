#include "ncverify/checkers/tightness.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify {
namespace {

bool hypotheses_met(const Verdict& v) {
    return v.status == VerdictStatus::holds || v.status == VerdictStatus::inconclusive ||
           v.status == VerdictStatus::violated || v.status == VerdictStatus::proof_step_failed;
}

/// A violated conclusion, a failing proof step, or a ratio beyond rounding: each is a bug
/// to report (verdict.hpp).
bool is_violation(const Verdict& v) {
    return v.status == VerdictStatus::violated || v.status == VerdictStatus::proof_step_failed ||
           (hypotheses_met(v) && v.status != VerdictStatus::inconclusive && v.ratio > 1.0 + v.tolerance);
}

/// A Markdown table cell: "|" escaped (bound names such as ||D||_op contain it).
std::string markdown_cell(const std::string& text) {
    std::string cell;
    for (const char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
    return cell;
}

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(q * double(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

/// One local move of the adversarial search.
HeadParameters perturb(HeadParameters p, RandomSource& random) {
    const auto clamp = [](double x, double lo, double hi) { return std::min(std::max(x, lo), hi); };
    switch (random.uniform_integer(0, 7)) {
        case 0: p.log10_kappa = clamp(p.log10_kappa + 0.2 * random.gaussian(), 0.0, 3.0); break;
        case 1: p.scale = clamp(p.scale * std::exp(0.2 * random.gaussian()), 0.05, 20.0); break;
        case 2: p.log10_perturbation = clamp(p.log10_perturbation + 0.5 * random.gaussian(), -12.0, 0.5); break;
        case 3: p.log10_fit = clamp(p.log10_fit + 0.5 * random.gaussian(), -10.0, -0.05); break;
        case 4: p.null_noise = clamp(p.null_noise + 0.2 * random.gaussian(), 0.0, 3.0); break;
        case 5: p.per_class = std::max<Index>(2, std::min<Index>(12, p.per_class + (random.uniform() < 0.5 ? -1 : 1))); break;
        case 6: {
            const auto j = static_cast<std::size_t>(random.uniform_integer(0, p.linear_layers - 1));
            p.widths[j] = std::max(p.num_classes, p.widths[j] + (random.uniform() < 0.5 ? -1 : 1));
            break;
        }
        default: p.seed = static_cast<std::uint64_t>(random.uniform_integer(0, INT64_MAX)); break;
    }
    return p;
}

/// The verdict of `entry` on the instance, through the registry (as `ncv check` runs it).
template <class S>
Verdict evaluate(const CheckerEntry& entry, const HeadParameters& parameters, const Precision& precision) {
    const CheckState<S> state = convert_check_state<S>(make_head_instance(parameters), precision);
    return std::move(run_checkers(state, {}, {entry.id}).front());
}

template <class S>
TightnessRow study_one(const CheckerEntry& entry, const TightnessOptions& options, std::vector<TightnessViolation>& violations) {
    TightnessRow row;
    row.result = entry.id;
    row.provenance = entry.provenance;
    RandomSource random(options.seed);
    std::vector<double> ratios;
    std::vector<std::pair<double, HeadParameters>> ranked;
    for (Index c = 0; c < options.cases; ++c) {
        const HeadParameters parameters = sample_head_parameters(random);
        const Verdict verdict = evaluate<S>(entry, parameters, options.precision);
        ++row.cases;
        row.bound_name = verdict.bound_name.empty() ? row.bound_name : verdict.bound_name;
        if (is_violation(verdict)) violations.push_back({entry.id, parameters, verdict});
        if (!hypotheses_met(verdict)) continue;
        ++row.hypotheses_met;
        row.holds += verdict.status == VerdictStatus::holds;
        row.inconclusive += verdict.status == VerdictStatus::inconclusive;
        row.inconclusive_conclusion +=
            verdict.status == VerdictStatus::inconclusive && verdict.conclusion == Comparison::undecided;
        row.violated += verdict.status == VerdictStatus::violated;
        row.step_failed += verdict.status == VerdictStatus::proof_step_failed;
        row.tight_steps += !verdict.tight_steps().empty();
        ratios.push_back(verdict.ratio);
        ranked.emplace_back(verdict.ratio, parameters);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (!ranked.empty()) {
        row.max_ratio = ranked.front().first;
        row.worst_random = ranked.front().second;
        row.searched_max_ratio = row.max_ratio;
        row.worst_searched = row.worst_random;
    }
    row.median_ratio = quantile(ratios, 0.5);
    row.q90_ratio = quantile(ratios, 0.9);
    row.q99_ratio = quantile(ratios, 0.99);
    RandomSource search_random(options.seed ^ 0x9e3779b97f4a7c15ULL);
    for (std::size_t start = 0; start < ranked.size() && start < static_cast<std::size_t>(options.search_starts); ++start) {
        auto [best_ratio, best] = ranked[start];
        for (Index round = 0; round < options.search_rounds; ++round) {
            const HeadParameters candidate = perturb(best, search_random);
            Verdict verdict;
            try {
                verdict = evaluate<S>(entry, candidate, options.precision);
            } catch (const Error&) {
                continue;  // e.g. a width below K after a move: not an instance
            }
            if (is_violation(verdict)) violations.push_back({entry.id, candidate, verdict});
            if (hypotheses_met(verdict) && verdict.ratio > best_ratio) {
                best_ratio = verdict.ratio;
                best = candidate;
            }
        }
        if (best_ratio > row.searched_max_ratio) {
            row.searched_max_ratio = best_ratio;
            row.worst_searched = best;
        }
    }
    return row;
}

}  // namespace

TightnessReport run_tightness_study(const TightnessOptions& options, const std::function<void(const std::string&)>& progress) {
    TightnessReport report;
    report.options = options;
    const auto start = std::chrono::steady_clock::now();
    for (const CheckerEntry& entry : checker_registry()) {
        if (entry.kind != CheckerKind::state) continue;
        if (!options.checkers.empty() &&
            std::find(options.checkers.begin(), options.checkers.end(), entry.id) == options.checkers.end())
            continue;
        if (progress) progress(fmt::format("{}: {} random instances, then {} x {} search rounds", entry.id, options.cases,
                                           options.search_starts, options.search_rounds));
        report.rows.push_back(with_scalar(options.precision, [&]<class S>() {
            return study_one<S>(entry, options, report.violations);
        }));
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

std::string tightness_markdown(const TightnessReport& report, const std::string& command) {
    std::string text = fmt::format(
        "Produced by `{}` ({} random instances per checker, seed {}, adversarial search {} starts x {} rounds, "
        "precision {}, {:.1f} s).\n\n",
        command, report.options.cases, report.options.seed, report.options.search_starts, report.options.search_rounds,
        report.options.precision.to_string(), report.seconds);
    text += "| result | label | bound | instances | hypotheses met | holds | inconclusive (conclusion within rounding) | "
            "violated | step failed | with tight steps | median ratio | q90 | q99 | max (random) | max (after search) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const TightnessRow& row : report.rows)
        text += fmt::format(
            "| {} | {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {:.3g} | {:.3g} | {:.3g} | {:.6g} | {:.6g} |\n",
            row.result, provenance_name(row.provenance), markdown_cell(row.bound_name), row.cases, row.hypotheses_met,
            row.holds, row.inconclusive, row.inconclusive_conclusion, row.violated, row.step_failed, row.tight_steps, row.median_ratio,
            row.q90_ratio, row.q99_ratio, row.max_ratio, row.searched_max_ratio);
    text += "\nWorst instances after the search:\n\n";
    for (const TightnessRow& row : report.rows) {
        std::ostringstream parameters;
        print_head_parameters(row.worst_searched, parameters);
        text += fmt::format("- {} (ratio {:.6g}): `{}`\n", row.result, row.searched_max_ratio, parameters.str());
    }
    text += fmt::format("\nViolations (violated, a failing proof step, or a decided ratio > 1): {}\n",
                        report.violations.size());
    return text;
}

nlohmann::json tightness_json(const TightnessReport& report) {
    nlohmann::json rows = nlohmann::json::array();
    for (const TightnessRow& row : report.rows)
        rows.push_back({{"result", row.result}, {"provenance", provenance_name(row.provenance)}, {"bound", row.bound_name},
                        {"cases", row.cases}, {"hypotheses_met", row.hypotheses_met}, {"holds", row.holds},
                        {"inconclusive", row.inconclusive}, {"inconclusive_conclusion", row.inconclusive_conclusion},
                        {"violated", row.violated},
                        {"step_failed", row.step_failed}, {"tight_steps", row.tight_steps},
                        {"median_ratio", row.median_ratio},
                        {"q90_ratio", row.q90_ratio}, {"q99_ratio", row.q99_ratio}, {"max_ratio", row.max_ratio},
                        {"worst_random", head_parameters_to_json(row.worst_random)},
                        {"searched_max_ratio", row.searched_max_ratio},
                        {"worst_searched", head_parameters_to_json(row.worst_searched)}});
    nlohmann::json violations = nlohmann::json::array();
    for (const TightnessViolation& v : report.violations)
        violations.push_back({{"result", v.result}, {"parameters", head_parameters_to_json(v.parameters)},
                              {"verdict", v.verdict.to_json()}});
    return {{"cases", report.options.cases}, {"seed", report.options.seed}, {"search_starts", report.options.search_starts},
            {"search_rounds", report.options.search_rounds}, {"precision", report.options.precision.to_string()},
            {"seconds", report.seconds}, {"rows", rows}, {"violations", violations}};
}

}  // namespace ncverify
