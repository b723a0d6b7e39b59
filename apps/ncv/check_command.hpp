#pragma once
// `ncv check RUN_OR_CHECKPOINT`: runs the state checkers on a trained network. The
// checkpoint's metadata holds the run's configuration, from which the data are reloaded;
// a run directory means its checkpoints/final.json. Prints the verdict table and writes
// the verdicts into a checks file (checks_file.hpp; default: <run directory>/checks.json),
// keeping the verdicts of the checkers not run this time. Exit status 0 when no
// verdict is `violated` (or, with --certified, `refuted`) or `proof_step_failed`; 1 for
// violated / refuted, 4 for proof_step_failed (docs/robustness.md).
//
// `ncv check --import MODEL`: the same checkers on a network trained elsewhere, read from
// NumPy files (import_model.hpp; docs/data.md, "NumPy import"): MODEL is a manifest
// (model.json), or an .npz archive / a directory of .npy files with the layout given by
// --layout, --nonlinear-layers, --activation, --slope, --beta, --classes and
// --samples-as-rows. The verdicts are written to --out only (no default file).
//
// --certified adds to every verdict its Certificate (checkers/certification.hpp): the
// hypotheses and the conclusion enclosed from the exact stored weights and the reloaded
// data, escalating along --precision-ladder until a precision decides.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "import_manifest.hpp"
#include "ncverify/checkers/certification.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/network_check_state.hpp"
#include "ncverify/checkers/verdict.hpp"
#include "ncverify/data/dataset.hpp"
#include "ncverify/io/run_config.hpp"

namespace ncverify::app {

/// The checkpoint of `path`: a run directory's checkpoints/final.json, or `path` itself.
/// Throws InputError for a directory without it.
std::filesystem::path resolve_checkpoint(const std::filesystem::path& path);

/// `options` with lambda and eta (sum scale: `config` bound to its data), where not given,
/// of the step that produced the state at
/// `step` (step - 1: the checkpoint of step 1000 after a phase of 1000 steps without
/// weight decay has lambda = 0, one after a step drop the dropped eta), or of step 0 for
/// the initial state: the lambda of the C_lambda whose stationary points GD approaches and
/// the eta of T6's stability hypothesis.
CheckerOptions with_trained_lambda_eta(const RunConfig& config, Index step, const CheckerOptions& options);

/// The run configuration recorded in a checkpoint's `metadata`, bound to the data it was
/// trained on (so in the sum scale of the loss), and those data reloaded; `checkpoint`
/// names the file in error messages.
struct CheckpointRun {
    RunConfig config;
    Dataset dataset;
};
CheckpointRun reload_checkpoint_run(const nlohmann::json& metadata, const std::filesystem::path& checkpoint);

/// Called before each checker runs with its id, its index and the number of checkers.
using CheckerProgress = std::function<void(const std::string& id, std::size_t index, std::size_t count)>;

/// The verdicts on one checkpoint, with the options each kind of checker received.
struct CheckpointChecks {
    std::filesystem::path checkpoint;  // the file checked
    std::vector<Verdict> verdicts;
    CheckerOptions options;            // of the state checkers: the caller's
    CheckerOptions network_options;    // of the network checkers (T6): lambda and eta resolved
};

/// The state and network checkers' verdicts on a checkpoint (or a run directory's final
/// checkpoint). With `certification`, each verdict also carries its Certificate.
CheckpointChecks check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                  const std::vector<std::string>& selected,
                                  const std::optional<CertificationOptions>& certification = std::nullopt,
                                  const CheckerProgress& progress = {});

/// The state checkers on `state` and the network checkers (T6) on `network` (with
/// `network_options`: lambda and eta), or those named in `selected`, in registry order
/// (or the order of `selected`).
template <class S>
std::vector<Verdict> run_state_and_network_checkers(const CheckState<S>& state, const NetworkCheckState<S>& network,
                                                    const CheckerOptions& options, const CheckerOptions& network_options,
                                                    const std::vector<std::string>& selected,
                                                    const CheckerProgress& progress = {});

/// The --import option of `ncv check` and `ncv measure` with its flags (docs/data.md).
struct ImportOptions {
    std::string path;
    ImportFlags flags;
    bool allow_unused_arrays = false;
    /// The import described by the options (resolve_import); throws InputError.
    ImportSpec spec() const;
};

/// Adds --import, the layout flags and --allow-unused-arrays to `command`; returns the
/// --import option (for excludes / needs).
CLI::Option* add_import_options(CLI::App& command, ImportOptions& options);

/// 1 when some verdict is violated or some certificate refuted, 4 when some verdict is
/// proof_step_failed (docs/robustness.md), 0 otherwise.
int verdicts_exit_status(const std::vector<Verdict>& verdicts);

void add_check_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
