#pragma once
// `ncv check RUN_OR_CHECKPOINT`: runs the state checkers on a trained network. The
// checkpoint's metadata holds the run's configuration, from which the data are reloaded;
// a run directory means its checkpoints/final.json. Prints the verdict table and writes
// the verdicts as JSON (default: <run directory>/checks.json). Exit status 0 when no
// verdict is `violated` (or, with --certified, `refuted`), 1 otherwise.
//
// --certified adds to every verdict its Certificate (checkers/certification.hpp): the
// hypotheses and the conclusion enclosed from the exact stored weights and the reloaded
// data, escalating along --precision-ladder until a precision decides.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <vector>

#include "ncverify/checkers/certification.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify::app {

/// The state checkers' verdicts on a checkpoint (or a run directory's final checkpoint).
/// With `certification`, each verdict also carries its Certificate.
std::vector<Verdict> check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                      const std::vector<std::string>& selected,
                                      const std::optional<CertificationOptions>& certification = std::nullopt);

/// Writes {"verdicts": [...]} atomically.
void write_verdicts(const std::filesystem::path& path, const std::vector<Verdict>& verdicts);

void add_check_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
