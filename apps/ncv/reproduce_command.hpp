#pragma once
// `ncv reproduce NAME|all [--quick] [--seeds N] [--out DIR] [--threads N] [--quiet]`: runs
// reproduction experiments (experiment.hpp, docs/reproduce.md) and writes, per experiment,
// DIR/<name>/{results.json, summary.md, report.html, plots, run directories}, and with
// `all` an index DIR/index.html. Prints each claim's outcome and the report paths.
// Exit status 0 when every claim is reproduced, 1 when one is not, 2 on bad input,
// 3 when a run diverges.
//
// `ncv list`: the experiments, checkers, activations and data sets.

#include <CLI/CLI.hpp>

namespace ncverify::app {

void add_reproduce_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app);

}  // namespace ncverify::app
