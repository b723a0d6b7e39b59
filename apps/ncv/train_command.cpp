#include "train_command.hpp"

#include <fmt/core.h>

#include <memory>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "run_directory.hpp"
#include "train_and_check.hpp"

namespace ncverify::app {
namespace {

struct TrainOptions {
    std::string config;
    std::string precision;
    std::optional<std::uint64_t> seed;
    std::string out;
    std::string resume;
    int threads = 0;
    bool force = false;
    bool quiet = false;
    bool json = false;
    bool no_checks = false;
};

/// The one-line summary of --json: {"status", "message", "run_directory", "final_step",
/// "seconds_per_step", "verdicts": [{"result", "status"}], "nc": {"layer", "nc1_trace_ratio",
/// "nc2_simplex_etf_error", "nc3_centred_self_duality"}}; "nc" is of the features H_{L-1}
/// that the classifier W_L reads (measurements.json; null where not computed).
nlohmann::json json_summary(const TrainAndCheckResult& trained) {
    const TrainingRunResult& result = trained.run;
    nlohmann::json verdicts = nlohmann::json::array();
    for (const Verdict& v : trained.verdicts)
        verdicts.push_back({{"result", v.result}, {"status", verdict_status_name(v.status)}});
    const nlohmann::json measurements = nlohmann::json::parse(read_file(result.directory / "measurements.json"));
    const nlohmann::json& layers = measurements.at("layers");
    nlohmann::json nc;
    if (layers.size() >= 2) {
        const nlohmann::json& features = layers[layers.size() - 2];
        // the value object at `key` of `object`, or null
        const auto at = [](const nlohmann::json& object, const char* key) {
            return object.is_object() ? object.value(key, nlohmann::json()) : nlohmann::json();
        };
        nc = {{"layer", features.at("layer")},
              {"nc1_trace_ratio", measured_value(at(at(features, "features"), "nc1_trace_ratio"))},
              {"nc2_simplex_etf_error", measured_value(at(at(features, "features"), "nc2_simplex_etf_error"))},
              {"nc3_centred_self_duality", measured_value(at(at(features, "nc3"), "centred_self_duality"))}};
    }
    return {{"status", training_status_name(result.outcome.status)},
            {"message", result.outcome.message},
            {"run_directory", result.directory.string()},
            {"final_step", result.outcome.final_step},
            {"seconds_per_step", result.seconds_per_step},
            {"verdicts", verdicts},
            {"nc", nc}};
}

int run_train(const TrainOptions& options) {
    RunConfig config = load_run_config(options.config);
    if (!options.precision.empty()) config.precision = Precision::parse(options.precision);
    if (options.seed) {
        config.seed = *options.seed;
        config.init.seed = *options.seed;
        config.data.fashion_mnist.seed = config.data.gaussian_mixture.seed = config.data.sklearn.seed = *options.seed;
    }
    set_thread_count(options.threads);
    TrainAndCheckOptions run;
    run.out = options.out.empty() ? std::filesystem::path("runs") / config.name : std::filesystem::path(options.out);
    run.overwrite = options.force;
    if (!options.force && std::filesystem::exists(run.out / "manifest.json"))
        throw InvalidArgument(fmt::format(
            "{} already holds a run (manifest.json); {}", run.out.string(),
            options.resume.empty()
                ? "choose another --out, or add --force to train over it"
                : "add --force to resume into it (its trajectory and reports are continued from the checkpoint's "
                  "step), or choose another --out"));
    if (!options.resume.empty()) run.resume = options.resume;
    run.checks = !options.no_checks;
    run.quiet = options.quiet || options.json;
    const TrainAndCheckResult trained = train_and_check(std::move(config), run);
    const TrainingRunResult& result = trained.run;
    if (!trained.verdicts.empty() && !options.quiet && !options.json) fmt::print("{}", verdict_table(trained.verdicts));
    if (options.json) {
        fmt::print("{}\n", json_summary(trained).dump());
    } else if (!options.quiet) {
        fmt::print("{}\n", result.outcome.message);  // "completed 5000 steps", "interrupted at step 812", ...
        fmt::print("data: {}\n", result.dataset_name);
        fmt::print("{} steps in {:.3f} s ({:.4g} s per step)\n", result.steps_run, result.seconds, result.seconds_per_step);
        fmt::print("run directory: {} (final checkpoint: {})\n", result.directory.string(),
                   result.final_checkpoint.string());
    }
    switch (result.outcome.status) {
        case TrainingStatus::completed:
        case TrainingStatus::reached_target_loss: return 0;
        case TrainingStatus::diverged:
            fmt::print(stderr, "ncv: error: training diverged: {}\n", result.outcome.message);
            return 3;
        case TrainingStatus::interrupted: return 130;
    }
    return 1;
}

}  // namespace

void add_train_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<TrainOptions>();
    CLI::App* train = app.add_subcommand("train", "Train a network from a TOML configuration and write a run directory");
    train->add_option("config", options->config, "configuration file (docs/configuration.md)")->required()->check(CLI::ExistingFile);
    train->add_option("--precision", options->precision, "override run.precision: double or bits (53..4096)");
    train->add_option("--seed", options->seed, "override every seed of the configuration (run, data, init)");
    train->add_option("--out", options->out, "run directory (default: runs/<run.name>)");
    train->add_option("--resume", options->resume, "continue from this checkpoint (same configuration)")->check(CLI::ExistingFile);
    train->add_option("--threads", options->threads, "threads for the double path (default: all cores)");
    train->add_flag("--force", options->force, "reuse an output directory that already holds a run");
    train->add_flag("--quiet", options->quiet, "no progress or summary output");
    train->add_flag("--json", options->json,
                    "print a one-line JSON summary instead of text (status, verdicts, NC of the last features)");
    train->add_flag("--no-checks", options->no_checks, "skip the checkers (L1 along the run, the others at the end)");
    train->callback([options, &exit_code] { exit_code = run_train(*options); });
}

}  // namespace ncverify::app
