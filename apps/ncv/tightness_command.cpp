#include "tightness_command.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "ncverify/checkers/tightness.hpp"
#include "ncverify/io/atomic_file.hpp"

namespace ncverify::app {
namespace {

struct TightnessCommandOptions {
    TightnessOptions study;
    std::string precision = "double";
    std::string out, json, save_violations;
    bool quiet = false;
};

int run_tightness(TightnessCommandOptions options, const std::string& command_line) {
    options.study.precision = Precision::parse(options.precision);
    const TightnessReport report = run_tightness_study(options.study, [&](const std::string& line) {
        if (!options.quiet) fmt::print(stderr, "{}\n", line);
    });
    const std::string markdown = tightness_markdown(report, command_line);
    fmt::print("{}", markdown);
    if (!options.out.empty()) write_file_atomically(options.out, markdown);
    if (!options.json.empty()) write_file_atomically(options.json, tightness_json(report).dump(2));
    if (!options.save_violations.empty() && !report.violations.empty()) {
        std::filesystem::create_directories(options.save_violations);
        for (std::size_t i = 0; i < report.violations.size(); ++i) {
            const TightnessViolation& v = report.violations[i];
            const nlohmann::json json{{"result", v.result}, {"parameters", head_parameters_to_json(v.parameters)},
                                      {"verdict", v.verdict.to_json()}};
            write_file_atomically(std::filesystem::path(options.save_violations) / fmt::format("{}-{}.json", v.result, i),
                                  json.dump(2));
        }
    }
    return report.violations.empty() ? 0 : 1;
}

}  // namespace

void add_tightness_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<TightnessCommandOptions>();
    CLI::App* command = app.add_subcommand("tightness", "Distribution of measured/bound per checker, with an adversarial search");
    command->add_option("--cases", options->study.cases, "random instances per checker")->capture_default_str()->check(CLI::PositiveNumber);
    command->add_option("--search-starts", options->study.search_starts, "worst instances refined by the search")->capture_default_str();
    command->add_option("--search-rounds", options->study.search_rounds, "local refinement rounds per start")->capture_default_str();
    command->add_option("--seed", options->study.seed, "seed of the instances")->capture_default_str();
    command->add_option("--checker", options->study.checkers, "only these checkers (repeatable)");
    command->add_option("--precision", options->precision, "double or bits (53..4096)")->capture_default_str();
    command->add_option("--out", options->out, "also write the Markdown table to this file");
    command->add_option("--json", options->json, "write the full report as JSON to this file");
    command->add_option("--save-violations", options->save_violations, "directory for instances that violate a bound");
    command->add_flag("--quiet", options->quiet, "no progress lines");
    command->callback([options, command, &exit_code] {
        const std::string line = fmt::format("ncv tightness --cases {} --search-starts {} --search-rounds {} --seed {} --precision {}",
                           options->study.cases, options->study.search_starts, options->study.search_rounds,
                           options->study.seed, options->precision);
        exit_code = run_tightness(*options, line);
    });
}

}  // namespace ncverify::app
