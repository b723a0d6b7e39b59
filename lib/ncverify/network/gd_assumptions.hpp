#pragma once
// The architectural and activation assumptions of the paper's gradient-descent theorem
// (THEORY.md §1, after Nguyen & Mondelli 2020), checked for a specification and a
// number of training samples N. The initialization inequality is checked by the T4
// checker, which needs the weights and data.

#include <string>
#include <vector>

#include "ncverify/network/network_spec.hpp"

namespace ncverify {

struct GdAssumptions {
    bool wide_first_layer = false;   // n_1 >= N
    bool pyramidal = false;          // n_2 >= n_3 >= ... >= n_L
    bool smooth_activation_with_slope_bound = false;  // C^2, sigma' in [gamma, 1], gamma > 0
    double gamma = 0.0;              // inf sigma'
    bool enough_linear_layers = false;  // L2 >= 2 (needed by Theorem 3.1)
    std::vector<std::string> failures;  // one sentence per assumption that fails

    bool all_hold() const { return failures.empty(); }
};

GdAssumptions check_gd_assumptions(const NetworkSpec& spec, Index num_samples);

}  // namespace ncverify
