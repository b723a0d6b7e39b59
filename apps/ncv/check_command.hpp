#pragma once
// `ncv check RUN_OR_CHECKPOINT`: runs the state checkers on a trained network. The
// checkpoint's metadata holds the run's configuration, from which the data are reloaded;
// a run directory means its checkpoints/final.json. Prints the verdict table and writes
// the verdicts as JSON (default: <run directory>/checks.json). Exit status 0 when no
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

namespace ncverify::app {

/// The checkpoint of `path`: a run directory's checkpoints/final.json, or `path` itself.
/// Throws InputError for a directory without it.
std::filesystem::path resolve_checkpoint(const std::filesystem::path& path);

/// The data a checkpoint was trained on, reloaded from the run configuration recorded in
/// its `metadata`; `checkpoint` names the file in error messages.
Dataset reload_checkpoint_data(const nlohmann::json& metadata, const std::filesystem::path& checkpoint);

/// The state checkers' verdicts on a checkpoint (or a run directory's final checkpoint).
/// With `certification`, each verdict also carries its Certificate.
std::vector<Verdict> check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                      const std::vector<std::string>& selected,
                                      const std::optional<CertificationOptions>& certification = std::nullopt);

/// The state checkers on `state` and the network checkers (T6) on `network` (with
/// `network_options`: lambda and eta), or those named in `selected`, split by kind.
template <class S>
std::vector<Verdict> run_state_and_network_checkers(const CheckState<S>& state, const NetworkCheckState<S>& network,
                                                    const CheckerOptions& options, const CheckerOptions& network_options,
                                                    const std::vector<std::string>& selected);

/// Writes {"verdicts": [...]} atomically.
void write_verdicts(const std::filesystem::path& path, const std::vector<Verdict>& verdicts);

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
