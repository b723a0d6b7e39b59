#pragma once
// The reproduction experiments a - f (experiment.hpp, docs/reproduce.md), one file each.

#include "experiment.hpp"

namespace ncverify::app {

ExperimentResult run_balancedness_experiment(const ExperimentOptions& options);      // a
ExperimentResult run_head_depth_experiment(const ExperimentOptions& options);        // b
ExperimentResult run_per_layer_experiment(const ExperimentOptions& options);         // c
ExperimentResult run_nonlinear_depth_experiment(const ExperimentOptions& options);   // d
ExperimentResult run_final_checks_experiment(const ExperimentOptions& options);      // e
ExperimentResult run_step_size_experiment(const ExperimentOptions& options);        // f (issue 6, T6)

}  // namespace ncverify::app
