#include "train_and_check.hpp"

#include <omp.h>

#include "check_command.hpp"
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
    if (options.checks && result.run.outcome.status != TrainingStatus::diverged) {
        result.verdicts = check_checkpoint(result.run.final_checkpoint, {}, {});
        if (monitor_double) result.verdicts.push_back(monitor_double->verdict());
        if (monitor_mpfr) {
            MpfrPrecisionScope scope(precision);
            result.verdicts.push_back(monitor_mpfr->verdict());
        }
        write_verdicts(result.run.directory / "checks.json", result.verdicts);
    }
    return result;
}

}  // namespace ncverify::app
