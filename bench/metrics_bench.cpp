// The per-layer measurement report against a gradient-descent step on the reference
// problem of the metrics issue: 1,000 Fashion-MNIST images (100/class, centred),
// d = 784, widths 1024-512-256-128-10 (L1 = 3, L2 = 2), double. Budget: one report
// must cost at most 5 gradient steps (loss_and_gradient + update).
//
// Each report benchmark times a gradient step (best of 3) in its set-up and reports its
// own cost in gradient steps as the counter `gd_steps` (wall time per report / wall time
// per step, same process, same threads).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "ncverify/data/fashion_mnist.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/layer_report.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;

namespace {

struct Reference {
    Dataset data;
    Matrix<double> targets;
    Network<double> network;
};

const Reference& reference() {
    static const Reference problem = [] {
        FashionMnistOptions options;
        options.samples_per_class = 100;
        options.center = true;
        Reference p{load_fashion_mnist(options), {}, {}};
        p.targets = p.data.one_hot();
        NetworkSpec spec;
        spec.input_dim = 784;
        spec.widths = {1024, 512, 256, 128, 10};
        spec.nonlinear_layers = 3;
        spec.linear_layers = 2;
        p.network = initialize_network(spec, {InitScheme::lecun, {}, 1});
        return p;
    }();
    return problem;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// One gradient step on a copy of the reference network: loss_and_gradient + update.
double gradient_step_seconds() {
    const Reference& p = reference();
    Network<double> network = p.network;
    const StepSetting setting{0, 1e-4, 1e-3};
    double best = 1e300;
    for (int repeat = 0; repeat < 3; ++repeat) {
        const auto start = std::chrono::steady_clock::now();
        const LossAndGradient<double> evaluation = loss_and_gradient(network, p.data.inputs, p.targets, setting.weight_decay);
        network.weights = gradient_step(network, evaluation, setting);
        best = std::min(best, seconds_since(start));
    }
    return best;
}

void gradient_step_reference(benchmark::State& state) {
    const Reference& p = reference();
    Network<double> network = p.network;
    const StepSetting setting{0, 1e-4, 1e-3};
    for (auto _ : state) {
        const LossAndGradient<double> evaluation = loss_and_gradient(network, p.data.inputs, p.targets, setting.weight_decay);
        network.weights = gradient_step(network, evaluation, setting);
    }
}

/// The report, from a given forward pass (`from_inputs` = false, the situation of a
/// training observer, which already has the pass) or from the inputs.
void report_reference(benchmark::State& state, bool from_inputs, MeasurementOptions options) {
    const Reference& p = reference();
    const ForwardPass<double> pass = forward(p.network, p.data.inputs);
    const double step = gradient_step_seconds();
    double total = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        if (from_inputs)
            benchmark::DoNotOptimize(measure_network(p.network, p.data.inputs, p.data.labels, options));
        else
            benchmark::DoNotOptimize(measure_network(p.network, pass, p.data.labels, options));
        total += seconds_since(start);
    }
    state.counters["gd_steps"] = total / static_cast<double>(state.iterations()) / step;
    state.counters["gd_step_ms"] = step * 1e3;
}

void report_from_pass(benchmark::State& state) { report_reference(state, false, {}); }
void report_from_inputs(benchmark::State& state) { report_reference(state, true, {}); }
void report_without_pre_activations(benchmark::State& state) {
    MeasurementOptions options;
    options.measure_pre_activations = false;
    report_reference(state, false, options);
}

/// Components on the widest layer (n_1 = 1024): the feature measurements of H_1 and the
/// balancedness gap of the pair (W_1, W_2).
void features_of_first_layer(benchmark::State& state) {
    const Reference& p = reference();
    const ForwardPass<double> pass = forward(p.network, p.data.inputs);
    const std::vector<Index> predictions = network_predictions(pass.output());
    for (auto _ : state) benchmark::DoNotOptimize(measure_features(pass.H(1), p.data.labels, 10, predictions));
}

void balancedness_of_first_pair(benchmark::State& state) {
    const Reference& p = reference();
    for (auto _ : state) benchmark::DoNotOptimize(relative_balancedness_gap(p.network.weight(1), p.network.weight(2)));
}

}  // namespace

BENCHMARK(gradient_step_reference)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(report_from_pass)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(report_from_inputs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(report_without_pre_activations)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(features_of_first_layer)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(balancedness_of_first_pair)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
