#pragma once
// `ncv demo`: the foundation's end-to-end demonstration. It builds a matrix with a
// prescribed condition number at high precision and computes its singular values in
// double and at the requested MPFR precision, showing where double stops resolving
// them. (The command-line issue replaces the main job with training and checking.)

#include <CLI/CLI.hpp>

namespace ncverify::app {

void add_demo_command(CLI::App& app);

}  // namespace ncverify::app
