#pragma once
// One training run with its checks, as `ncv train` does it and as the reproduction
// experiments repeat it: trains (training/training_run.hpp), checks L1 along the
// trajectory (BalancednessIdentityMonitor, when L2 >= 2), runs the state checkers on the
// final checkpoint, and merges the verdicts into the run directory's checks.json
// (checks_file.hpp; a new run starts it afresh, a resumed one keeps the verdicts its own
// do not replace). Progress goes to
// standard error (progress.hpp) with an optional label. A diverged run is not checked.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ncverify/checkers/verdict.hpp"
#include "ncverify/io/run_config.hpp"
#include "ncverify/training/training_run.hpp"

namespace ncverify::app {

struct TrainAndCheckOptions {
    std::filesystem::path out;
    bool overwrite = false;
    std::optional<std::filesystem::path> resume;
    bool checks = true;
    bool quiet = false;
    std::string progress_label;  // printed before each progress line, e.g. "[head-depth L2=3 seed 2/5] "
};

struct TrainAndCheckResult {
    TrainingRunResult run;
    std::vector<Verdict> verdicts;  // empty when checks are off or the run diverged
};

/// Throws as run_training. Ctrl-C / SIGTERM stop the run cleanly (status interrupted);
/// during the final checkers (announced on standard error, one line per checker unless
/// quiet) they skip the checks and exit the process with 130, saying so: the final
/// checkpoint, trajectory and manifest are written before.
TrainAndCheckResult train_and_check(RunConfig config, const TrainAndCheckOptions& options);

/// Sets the OpenMP threads of the double path (products, per-layer reports); 0 leaves
/// the default (all cores). Results do not depend on it (linalg/product.hpp).
void set_thread_count(int threads);

}  // namespace ncverify::app
