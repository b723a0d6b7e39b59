#pragma once
// Gaussian initialization of the weights: W_l = scale_l * sqrt(v_l) * G_l, G_l standard
// normal, with the variance v_l of the scheme:
//   lecun:  v_l = 1 / n_{l-1}
//   he:     v_l = 2 / n_{l-1}
//   xavier: v_l = 2 / (n_{l-1} + n_l)
// scale_l is a per-layer multiplier (default 1): the paper's initialization condition is
// met by a small second layer and larger other layers (THEORY.md §1).
//
// Reproducibility: the draws come from RandomSource(seed), layer 1 first, each matrix
// column by column, always in double; the result is a Network<double> whose exact
// conversion (network_from_double) gives the same weights in every precision.

#include <cstdint>
#include <string_view>
#include <vector>

#include "ncverify/network/network.hpp"

namespace ncverify {

enum class InitScheme { lecun, he, xavier };

/// "lecun", "he" or "xavier"; throws InvalidArgument listing them.
InitScheme init_scheme_from_name(std::string_view name);
std::string_view init_scheme_name(InitScheme scheme);

struct InitOptions {
    InitScheme scheme = InitScheme::lecun;
    std::vector<double> layer_scales;  // empty, or one positive multiplier per layer
    std::uint64_t seed = 0;
};

/// Validates the spec's shapes (not its number of classes) and the options, then draws.
Network<double> initialize_network(const NetworkSpec& spec, const InitOptions& options);

}  // namespace ncverify
