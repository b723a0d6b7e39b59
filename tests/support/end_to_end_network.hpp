#pragma once
// The end-to-end network of the checkers' tests: a Gaussian mixture (K = 4, n = 6, d = 30),
// widths 64-32-16-8-4 (n_1 = 64 >= N = 24, pyramidal), L1 = 2 nonlinear and L2 = 3 linear
// layers, smooth leaky ReLU (gamma = 0.2), trained 3000 steps without weight decay (fit),
// then 2000 with weight decay 0.02 (the linear layers balance, L1). About 0.3 s.

#include "ncverify/data/synthetic.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify::testing {

struct TrainedNetwork {
    Dataset data;
    Network<double> network;
    TrainingOutcome outcome;
};

inline TrainedNetwork trained_end_to_end_network() {
    GaussianMixtureOptions data_options;
    data_options.input_dim = 30;
    data_options.num_classes = 4;
    data_options.samples_per_class = 6;
    data_options.mean_separation = 1.0;
    data_options.noise = 0.5;
    data_options.seed = 11;
    TrainedNetwork result{gaussian_mixture(data_options), {}, {}};
    NetworkSpec spec;
    spec.input_dim = 30;
    spec.widths = {64, 32, 16, 8, 4};
    spec.nonlinear_layers = 2;
    spec.linear_layers = 3;
    spec.activation = Activation::smooth_leaky_relu(0.2);
    TrainingState<double> state{initialize_network(spec, {InitScheme::lecun, {}, 5}), 0};
    const TrainingPlan plan = TrainingPlan::two_phase(3000, 0.02, 0.0, 2000, 0.02, 0.02);
    result.outcome = gradient_descent<double>(state, result.data.inputs, result.data.one_hot(), plan, {}, {});
    result.network = std::move(state.network);
    return result;
}

}  // namespace ncverify::testing
