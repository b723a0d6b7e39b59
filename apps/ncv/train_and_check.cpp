#include "train_and_check.hpp"

#include <fmt/core.h>
#include <omp.h>

#include <chrono>

#include "check_command.hpp"
#include "checks_file.hpp"
#include "ncverify/checkers/balancedness_identity.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"

namespace ncverify::app {

void set_thread_count(int threads) {
    if (threads <= 0) return;
    omp_set_num_threads(threads);
}

TrainAndCheckResult train_and_check(RunConfig config, const TrainAndCheckOptions& options) {
    TrainingRunOptions run;
    run.out = options.out;
    run.overwrite = options.overwrite;
    run.resume = options.resume;
    ProgressReporter progress(static_cast<long>(config.plan().total_steps()), options.quiet, options.progress_label);
    run.on_progress = [&](Index step, Index, double loss, double data_loss, const std::string& phase) {
        progress.update(static_cast<long>(step), loss, data_loss, phase);
    };
    install_stop_signal_handlers();
    run.should_stop = stop_requested;
    // L1 along the trajectory (needs two linear layers; a resumed run is checked from its
    // checkpoint on).
    std::optional<BalancednessIdentityMonitor<double>> monitor_double;
    std::optional<BalancednessIdentityMonitor<Mpfr>> monitor_mpfr;
    const bool monitor = options.checks && config.network.linear_layers >= 2;
    if (monitor && config.precision.is_double()) {
        monitor_double.emplace(config.network, config.precision);
        run.observe_double = [&](const StepView<double>& view) { monitor_double->observe(view); };
    } else if (monitor) {
        monitor_mpfr.emplace(config.network, config.precision);
        run.observe_mpfr = [&](const StepView<Mpfr>& view) {
            MpfrPrecisionScope scope(config.precision);
            monitor_mpfr->observe(view);
        };
    }
    const Precision precision = config.precision;

    TrainAndCheckResult result{run_training(std::move(config), run), {}};
    progress.finish();
    // A new run starts without verdicts (those in a reused directory are of an earlier
    // network); a resumed one keeps them until its own replace them.
    const std::filesystem::path checks_file = result.run.directory / "checks.json";
    std::error_code ignored;
    if (!options.resume) std::filesystem::remove(checks_file, ignored);
    if (options.checks && result.run.outcome.status != TrainingStatus::diverged) {
        // Everything is saved but the verdicts: a stop signal now skips the checks.
        const std::string run_directory = result.run.directory.string();
        begin_skippable_work(fmt::format(
            "{}ncv: interrupted: the final checkers are skipped; {} keeps the final checkpoint (ncv check {} runs "
            "them)",
            options.progress_label, run_directory, run_directory));
        const auto started = std::chrono::steady_clock::now();
        const CheckerProgress checker_progress = [&](const std::string& id, std::size_t index, std::size_t count) {
            if (options.quiet) return;
            fmt::print(stderr, "{}checking the final state: {} ({}/{}, {:.1f} s so far; Ctrl-C skips the checks)\n",
                       options.progress_label, id, index + 1, count,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        };
        CheckpointChecks checks = check_checkpoint(result.run.final_checkpoint, {}, {}, std::nullopt, checker_progress);
        result.verdicts = std::move(checks.verdicts);
        if (monitor_double) result.verdicts.push_back(monitor_double->verdict());
        if (monitor_mpfr) {
            MpfrPrecisionScope scope(precision);
            result.verdicts.push_back(monitor_mpfr->verdict());
        }
        end_skippable_work();
        merge_verdicts(checks_file, result.verdicts,
                       {"ncv train", checks.checkpoint, checks.options, checks.network_options, std::nullopt});
    }
    return result;
}

}  // namespace ncverify::app
