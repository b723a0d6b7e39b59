#pragma once
// `ncv check RUN_OR_CHECKPOINT`: runs the state checkers on a trained network. The
// checkpoint's metadata holds the run's configuration, from which the data are reloaded;
// a run directory means its checkpoints/final.json. Prints the verdict table and writes
// the verdicts as JSON (default: <run directory>/checks.json). Exit status 0 when no
// verdict is `violated`, 1 otherwise.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <vector>

#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify::app {

/// The state checkers' verdicts on a checkpoint (or a run directory's final checkpoint).
std::vector<Verdict> check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                      const std::vector<std::string>& selected);

/// Writes {"verdicts": [...]} atomically.
void write_verdicts(const std::filesystem::path& path, const std::vector<Verdict>& verdicts);

void add_check_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
