#pragma once
// `ncv train CONFIG`: trains the configured network and writes a run directory
// (training/training_run.hpp). Exit status: 0 when the plan completed or the target
// loss was reached, 3 when training diverged (the final checkpoint then holds the last
// good state), 130 when stopped by Ctrl-C / SIGTERM (with a valid final checkpoint).

#include <CLI/CLI.hpp>

namespace ncverify::app {

void add_train_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
