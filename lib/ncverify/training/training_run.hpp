#pragma once
// A complete training run from a RunConfig, written to a run directory:
//
//   <out>/config.toml              the configuration text as given
//   <out>/manifest.json            version, configuration summary, seed, precision, data,
//                                  status, timings (rewritten atomically at start and end)
//   <out>/trajectory.csv, .json    one record every `record_every` steps (training/trajectory.hpp)
//   <out>/checkpoints/step-<t>.json  every `checkpoint_every` steps (if > 0)
//   <out>/checkpoints/final.json   the state where the run stopped (also on divergence,
//                                  where it is the last good state, and on a stop request)
//   <out>/measurements.json        the per-layer report of the final state
//                                  (metrics/layer_report.hpp, docs/metrics.md)
//   <out>/reports.json             with report_every > 0: the per-layer report every
//                                  report_every steps and at the last step,
//                                  {"format": "ncverify.report_trajectory/1",
//                                   "reports": [{"step": t, "report": {...}}, ...]}
//
// Every file is written atomically; the trajectory and reports.json also before every
// periodic checkpoint. A resumed run (`resume` = a checkpoint) continues from the
// checkpoint's step t with the same configuration and reproduces the uninterrupted run
// bit for bit, its files included: when the checkpoint lies in <run>/checkpoints/, the
// records and reports of <run> before step t are kept (the manifest's
// resumed_from.history names <run>; null when there is none and the history starts at t).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "ncverify/io/run_config.hpp"

namespace ncverify {

struct TrainingRunOptions {
    std::filesystem::path out;                         // run directory (created)
    bool overwrite = false;                            // allow an existing run directory
    std::optional<std::filesystem::path> resume;       // checkpoint to continue from
    /// Called after every step with (step, total, C_lambda, C_0, phase name).
    std::function<void(Index, Index, double, double, const std::string&)> on_progress;
    /// Polled between steps; true stops the run cleanly (status interrupted).
    std::function<bool()> should_stop;
    /// Sees every step (state before the update, loss, gradient), e.g. to attach a
    /// trajectory checker; the one for the run's scalar is called.
    std::function<void(const StepView<double>&)> observe_double;
    std::function<void(const StepView<Mpfr>&)> observe_mpfr;
};

struct TrainingRunResult {
    TrainingOutcome outcome;
    std::filesystem::path directory;
    std::filesystem::path final_checkpoint;
    Index steps_run = 0;            // steps applied in this invocation
    double seconds = 0;             // wall time of the training loop
    double seconds_per_step = 0;    // seconds / max(steps_run, 1)
    std::string dataset_name;
};

/// Loads the data, initialises (or resumes) and trains; throws InputError /
/// InvalidArgument on bad configuration, data or output directory (naming it).
TrainingRunResult run_training(RunConfig config, const TrainingRunOptions& options);

}  // namespace ncverify
