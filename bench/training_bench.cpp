// One full-batch gradient-descent step (loss, backprop, update) on the training
// issue's reference problems:
//   - reference: 1,000 Fashion-MNIST images (100/class), d = 784, widths
//     1024-512-256-128-10 (L1 = 3, L2 = 2), double;
//   - small: N = 100 (10/class), d = 49 (7x7 pooling), widths 128-64-32-10, at 128 and
//     256 bits (and double for the ratio).
#include <benchmark/benchmark.h>

#include "ncverify/data/fashion_mnist.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/scalar/dispatch.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;

namespace {

struct Problem {
    Dataset data;
    NetworkSpec spec;
};

Problem reference_problem() {
    FashionMnistOptions options;
    options.samples_per_class = 100;
    options.center = true;
    Problem p{load_fashion_mnist(options), {}};
    p.spec.input_dim = 784;
    p.spec.widths = {1024, 512, 256, 128, 10};
    p.spec.nonlinear_layers = 3;
    p.spec.linear_layers = 2;
    return p;
}

Problem small_problem() {
    FashionMnistOptions options;
    options.samples_per_class = 10;
    options.pool = 4;
    options.center = true;
    Problem p{load_fashion_mnist(options), {}};
    p.spec.input_dim = 49;
    p.spec.widths = {128, 64, 32, 10};
    p.spec.nonlinear_layers = 2;
    p.spec.linear_layers = 2;
    return p;
}

template <class S>
void gradient_descent_step(benchmark::State& state, const Problem& problem) {
    const Matrix<S> x = from_double<S>(problem.data.inputs), y = from_double<S>(problem.data.one_hot());
    Network<S> network = network_from_double<S>(initialize_network(problem.spec, {InitScheme::lecun, {}, 1}));
    const StepSetting setting{0, 1e-4, 1e-3};
    for (auto _ : state) {
        const LossAndGradient<S> evaluation = loss_and_gradient(network, x, y, S(setting.weight_decay));
        network.weights = gradient_step(network, evaluation, setting);
    }
    state.counters["params"] = static_cast<double>(problem.spec.parameter_count());
}

void reference_double(benchmark::State& state) {
    static const Problem problem = reference_problem();
    gradient_descent_step<double>(state, problem);
}

void small_at(benchmark::State& state) {
    static const Problem problem = small_problem();
    const unsigned bits = static_cast<unsigned>(state.range(0));
    if (bits == 53) return gradient_descent_step<double>(state, problem);
    MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
    gradient_descent_step<Mpfr>(state, problem);
}

}  // namespace

BENCHMARK(reference_double)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(small_at)->Arg(53)->Arg(128)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
