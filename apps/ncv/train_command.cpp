#include "train_command.hpp"

#include <fmt/core.h>

#include <memory>

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
    if (!options.resume.empty()) run.resume = options.resume;
    run.checks = !options.no_checks;
    run.quiet = options.quiet || options.json;
    const TrainAndCheckResult trained = train_and_check(std::move(config), run);
    const TrainingRunResult& result = trained.run;
    if (!trained.verdicts.empty() && !options.quiet && !options.json) fmt::print("{}", verdict_table(trained.verdicts));
    const std::string status = training_status_name(result.outcome.status);
    if (options.json) {
        fmt::print("{{\"status\": \"{}\", \"run_directory\": \"{}\", \"final_step\": {}, \"seconds_per_step\": {:.6g}}}\n",
                   status, result.directory.string(), result.outcome.final_step, result.seconds_per_step);
    } else if (!options.quiet) {
        fmt::print("{}: {}\n", status, result.outcome.message);
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
    train->add_flag("--json", options->json, "print a one-line JSON summary instead of text");
    train->add_flag("--no-checks", options->no_checks, "skip the checkers (L1 along the run, the others at the end)");
    train->callback([options, &exit_code] { exit_code = run_train(*options); });
}

}  // namespace ncverify::app
