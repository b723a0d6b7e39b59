#pragma once
// NetworkSpec: the architecture of the paper's networks (THEORY.md §1).
//
// Layers 1..L, L = nonlinear_layers + linear_layers; W_l is widths[l-1] x n_{l-1} with
// n_0 = input_dim; no biases. Layers 1..L1 apply the activation, layers L1+1..L are
// linear; widths.back() = n_L = K, the number of classes. The theorems need L2 >= 2;
// L2 = 1 is allowed for comparison experiments.

#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"
#include "ncverify/network/activation.hpp"

namespace ncverify {

/// Largest number of weights a network may have: 2^31 (16 GiB in double, more at higher
/// precision). A configuration, checkpoint or import beyond it is refused with a clear
/// error instead of an allocation failure.
inline constexpr Index max_network_parameters = Index{1} << 31;

struct NetworkSpec {
    Index input_dim = 0;              // d = n_0
    std::vector<Index> widths;        // n_1 ... n_L
    Index nonlinear_layers = 1;       // L1 >= 1
    Index linear_layers = 2;          // L2 >= 1
    Activation activation = Activation::smooth_leaky_relu(0.1);

    Index num_layers() const { return static_cast<Index>(widths.size()); }
    /// n_l for l in [0, L] (n_0 = input_dim).
    Index width(Index layer) const { return layer == 0 ? input_dim : widths.at(static_cast<std::size_t>(layer - 1)); }
    /// True iff layer l (1-based) applies the activation.
    bool is_nonlinear(Index layer) const { return layer <= nonlinear_layers; }
    /// Total number of weights (meaningful once validate() has bounded it).
    Index parameter_count() const;

    /// Throws InvalidArgument naming the field: input_dim or a width <= 0,
    /// nonlinear_layers < min_nonlinear_layers, linear_layers < 1, nonlinear_layers +
    /// linear_layers != the number of widths, n_L != num_classes, more than
    /// max_network_parameters weights (checked before anything is allocated, without
    /// overflow for any widths). The paper's networks need L1 >= 1; a linear network
    /// (min_nonlinear_layers = 0) is the linear head of an imported network on its
    /// supplied features, which can be measured (metrics/layer_report.hpp) but not trained.
    void validate(Index num_classes, Index min_nonlinear_layers = 1) const;
    /// One line, e.g. "784-1024-512-256-128-10 (L1=3 smooth_leaky_relu, L2=2 linear)".
    std::string describe() const;
};

}  // namespace ncverify
