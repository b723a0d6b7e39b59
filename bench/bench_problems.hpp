#pragma once
// The problems every benchmark program of bench/ (and the PyTorch comparison in
// bench/peer/) trains on, defined once so that "reference" means the same numbers
// everywhere.
//
// All are Fashion-MNIST training images (balanced selection with seed 0, pixels scaled
// to [0, 1], centred), the smooth leaky ReLU of configs/reference.toml (slope 0.1,
// beta 4), no biases, LeCun initialization with seed 1, and the step setting of
// configs/reference.toml (learning rate 3e-4, weight decay 1e-3):
//
//   name       N      d    widths                   L1  L2  parameters
//   reference  1000   784  1024-512-256-128-10      3   2   1,492,224 (configs/reference.toml)
//   large      2000   784  1024-512-256-128-10      3   2   same network, twice the data
//   medium     200    196  256-128-64-10 (pool 2)   2   2   91,776
//   small      100    49   128-64-32-10 (pool 4)    2   2   16,832
//
// scaled_problem() builds the scaling series: the small problem's shape with N samples
// and every hidden width multiplied by a factor.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ncverify/data/fashion_mnist.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/training/training_plan.hpp"

namespace ncverify::bench {

struct BenchProblem {
    std::string name;
    Dataset data;
    NetworkSpec spec;
    std::uint64_t init_seed = 1;

    /// The initial weights (double; network_from_double converts them exactly).
    Network<double> initial_network() const { return initialize_network(spec, {InitScheme::lecun, {}, init_seed}); }
};

/// The step setting of configs/reference.toml.
inline constexpr double reference_learning_rate = 3e-4;
inline constexpr double reference_weight_decay = 1e-3;
inline StepSetting reference_step_setting() { return StepSetting{0, reference_learning_rate, reference_weight_decay}; }

inline Activation reference_activation() { return Activation::smooth_leaky_relu(0.1, 4.0); }

/// Fashion-MNIST with n images per class, pooling factor `pool`, the given widths.
inline BenchProblem fashion_mnist_problem(std::string name, Index samples_per_class, Index pool,
                                          std::vector<Index> widths, Index nonlinear_layers) {
    FashionMnistOptions options;
    options.samples_per_class = samples_per_class;
    options.pool = pool;
    options.center = true;
    BenchProblem p{std::move(name), load_fashion_mnist(options), {}, 1};
    p.spec.input_dim = p.data.input_dim();
    p.spec.widths = std::move(widths);
    p.spec.nonlinear_layers = nonlinear_layers;
    p.spec.linear_layers = static_cast<Index>(p.spec.widths.size()) - nonlinear_layers;
    p.spec.activation = reference_activation();
    p.spec.validate(p.data.num_classes);
    return p;
}

inline BenchProblem reference_problem() {
    return fashion_mnist_problem("reference", 100, 1, {1024, 512, 256, 128, 10}, 3);
}
inline BenchProblem large_problem() { return fashion_mnist_problem("large", 200, 1, {1024, 512, 256, 128, 10}, 3); }
inline BenchProblem medium_problem() { return fashion_mnist_problem("medium", 20, 2, {256, 128, 64, 10}, 2); }
inline BenchProblem small_problem() { return fashion_mnist_problem("small", 10, 4, {128, 64, 32, 10}, 2); }

/// Floating-point operations of the products of one step: forward W_l H_{l-1}
/// (2 n_l n_{l-1} N each), gradients delta_l H_{l-1}^T (the same) and deltas
/// W_l^T delta_l for l >= 2 (the same).
inline double step_flops(const NetworkSpec& spec, Index samples) {
    double flops = 0;
    for (Index l = 1; l <= spec.num_layers(); ++l) {
        const double product = 2.0 * static_cast<double>(spec.width(l) * spec.width(l - 1) * samples);
        flops += (l == 1 ? 2 : 3) * product;
    }
    return flops;
}

/// "reference", "large", "medium" or "small"; throws InvalidArgument otherwise.
inline BenchProblem problem_by_name(std::string_view name) {
    if (name == "reference") return reference_problem();
    if (name == "large") return large_problem();
    if (name == "medium") return medium_problem();
    if (name == "small") return small_problem();
    throw InvalidArgument(fmt::format("unknown benchmark problem '{}': expected reference, large, medium or small", name));
}

/// The scaling series: d = 49 (pool 4), N = 10 n samples, hidden widths
/// (128, 64, 32) * width_factor, K = 10, L1 = 2, L2 = 2 (width_factor = 1, n = 10 is
/// the small problem).
inline BenchProblem scaled_problem(Index samples_per_class, double width_factor) {
    const auto scaled = [&](Index w) { return static_cast<Index>(static_cast<double>(w) * width_factor + 0.5); };
    return fashion_mnist_problem(fmt::format("scaled[n={}/class, width x{}]", samples_per_class, width_factor),
                                 samples_per_class, 4, {scaled(128), scaled(64), scaled(32), 10}, 2);
}

/// The double scaling series: the reference problem's shape (d = 784, L1 = 3, L2 = 2)
/// with N = 10 n and hidden widths (1024, 512, 256, 128) * width_factor.
inline BenchProblem scaled_reference_problem(Index samples_per_class, double width_factor) {
    const auto scaled = [&](Index w) { return static_cast<Index>(static_cast<double>(w) * width_factor + 0.5); };
    return fashion_mnist_problem(fmt::format("scaled-reference[n={}/class, width x{}]", samples_per_class, width_factor),
                                 samples_per_class, 1, {scaled(1024), scaled(512), scaled(256), scaled(128), 10}, 3);
}

}  // namespace ncverify::bench
