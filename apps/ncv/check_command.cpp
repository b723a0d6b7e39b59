#include "check_command.hpp"

#include <fmt/core.h>

#include <memory>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/io/run_config.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify::app {
namespace {

std::filesystem::path resolve_checkpoint(const std::filesystem::path& path) {
    if (std::filesystem::is_directory(path)) {
        const auto final_checkpoint = path / "checkpoints" / "final.json";
        if (!std::filesystem::exists(final_checkpoint))
            throw InputError(path.string() + " is a directory without checkpoints/final.json (not a run directory)");
        return final_checkpoint;
    }
    return path;
}

struct CheckCommandOptions {
    std::string target;
    std::vector<std::string> checkers;
    std::optional<double> epsilon1, epsilon2, radius;
    std::string out;
    bool json = false;
    bool certified = false;
    std::string precision_ladder = "53,128,256,512,1024";
};

}  // namespace

std::vector<Verdict> check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                      const std::vector<std::string>& selected,
                                      const std::optional<CertificationOptions>& certification) {
    const std::filesystem::path path = resolve_checkpoint(run_or_checkpoint);
    const Precision precision = checkpoint_precision(path);
    return with_scalar(precision, [&]<class S>() {
        const Checkpoint<S> checkpoint = load_checkpoint<S>(path);
        if (!checkpoint.metadata.contains("config") || !checkpoint.metadata["config"].is_string())
            throw InputError(path.string() + ": the checkpoint records no run configuration, so its data cannot be reloaded");
        RunConfig config = parse_run_config(checkpoint.metadata["config"].template get<std::string>(), path.string() + " (config)");
        const Dataset dataset = load_dataset(config.data);
        bind_config_to_data(config, dataset);
        const CheckState<S> state = check_state_from_network(checkpoint.state.network, from_double<S>(dataset.inputs),
                                                             dataset.labels, dataset.num_classes, precision);
        std::vector<Verdict> verdicts = run_checkers(state, options, selected);
        if (certification)
            certify_verdicts(verdicts,
                             certified_source_from_network(checkpoint.state.network, from_double<S>(dataset.inputs),
                                                           dataset.labels, dataset.num_classes),
                             options, *certification);
        return verdicts;
    });
}

void write_verdicts(const std::filesystem::path& path, const std::vector<Verdict>& verdicts) {
    nlohmann::json list = nlohmann::json::array();
    for (const Verdict& v : verdicts) list.push_back(v.to_json());
    write_file_atomically(path, nlohmann::json{{"verdicts", list}}.dump(2));
}

void add_check_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CheckCommandOptions>();
    CLI::App* command = app.add_subcommand("check", "Run the checkers on a trained network (run directory or checkpoint)");
    command->add_option("target", options->target, "run directory or checkpoint file")->required()->check(CLI::ExistingPath);
    command->add_option("--checker", options->checkers, "only these checkers (repeatable; see the registry)");
    command->add_option("--eps1", options->epsilon1, "the theorem's eps1 (default: measured)");
    command->add_option("--eps2", options->epsilon2, "the theorem's eps2 (default: measured)");
    command->add_option("--radius", options->radius, "the theorem's r (default: measured)");
    command->add_option("--out", options->out, "JSON output file (default: <run directory>/checks.json)");
    command->add_flag("--json", options->json, "print the JSON instead of the table");
    command->add_flag("--certified", options->certified,
                      "also prove or refute each verdict with rigorous enclosures (proved / refuted / inconclusive)");
    command->add_option("--precision-ladder", options->precision_ladder,
                        "certified mode: increasing precisions in bits to try until one decides (53 = double "
                        "approximations)")
        ->capture_default_str();
    command->callback([options, &exit_code] {
        CheckerOptions checker_options;
        checker_options.epsilon1 = options->epsilon1;
        checker_options.epsilon2 = options->epsilon2;
        checker_options.radius = options->radius;
        std::optional<CertificationOptions> certification;
        if (options->certified) certification = CertificationOptions{parse_precision_ladder(options->precision_ladder)};
        const std::vector<Verdict> verdicts =
            check_checkpoint(options->target, checker_options, options->checkers, certification);
        std::filesystem::path out = options->out;
        if (out.empty() && std::filesystem::is_directory(options->target)) out = std::filesystem::path(options->target) / "checks.json";
        if (!out.empty()) write_verdicts(out, verdicts);
        if (options->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const Verdict& v : verdicts) list.push_back(v.to_json());
            fmt::print("{}\n", list.dump(2));
        } else {
            fmt::print("{}", verdict_table(verdicts));
            if (!out.empty()) fmt::print("verdicts written to {}\n", out.string());
        }
        exit_code = std::any_of(verdicts.begin(), verdicts.end(),
                                [](const Verdict& v) {
                                    return v.status == VerdictStatus::violated ||
                                           (v.certificate && v.certificate->status == CertifiedStatus::refuted);
                                })
                        ? 1
                        : 0;
    });
}

}  // namespace ncverify::app
