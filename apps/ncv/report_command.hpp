#pragma once
// `ncv report RUN_DIR [--out DIR] [--quiet]`: a report of a run directory written by
// `ncv train` (docs/report.md). Reads manifest.json, the trajectory, measurements.json
// and checks.json (when present; run_directory.hpp) and writes to DIR (default
// RUN_DIR/report/):
//
//   <plot>.svg, <plot>.png   one pair per plot (gnuplot, plot.hpp): along the trajectory
//                            the loss, the gradient norm, the balancedness gap of every
//                            pair and the weight norms; at the final state, per layer,
//                            NC1, NC2, NC3, the balancedness gaps and the negativity;
//   report.html              one self-contained page (inline CSS, relative <img> links to
//                            the SVGs): the manifest summary, the checkers' verdicts with
//                            every failing or undecided hypothesis and step, the plots and
//                            the per-layer measurement tables.
//
// Every file is written atomically; report.html is removed first and written last, so a
// report.html on disk always belongs to a complete report. Bad input (a missing or
// malformed file of the run directory) is an InputError naming the file; gnuplot missing
// or failing is an Error saying so. Prints the path of report.html unless --quiet.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace ncverify::app {

/// The per-layer tables of a measurement report (the JSON of measurements.json,
/// docs/metrics.md: features, pre-activations, balancedness, linear part) as HTML.
std::string measurement_tables_html(const nlohmann::json& report);

/// Writes the report of `run_directory` to `out` (created if needed); returns the path of
/// report.html.
std::filesystem::path write_report(const std::filesystem::path& run_directory, const std::filesystem::path& out);

void add_report_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
