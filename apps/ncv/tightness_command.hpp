#pragma once
// `ncv tightness`: the tightness study and adversarial search of every state checker
// (checkers/tightness.hpp). Prints a Markdown table; `--out FILE` also writes it, and
// `--json FILE` the full report. Exit status 1 when a violation (ratio > 1 or a failing
// proof step) was found; `--save-violations DIR` writes each such instance as JSON for a
// regression test.

#include <CLI/CLI.hpp>

namespace ncverify::app {

void add_tightness_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
