// Cost of one gradient-descent step as a function of the number of samples N and of the
// width, in double and at 256 bits (bench/run_all.sh fits the exponents by least
// squares on log-log and writes them to bench/README.md).
//
//   scaling_double_samples/n:n/w:100   reference shape (d = 784, 1024-512-256-128-10), N = 10 n
//   scaling_double_width/n:100/w:p     reference shape, N = 1000, hidden widths x p/100
//   scaling_mpfr256_samples/n:n/w:100  small shape (d = 49, 128-64-32-10), N = 10 n, 256 bits
//   scaling_mpfr256_width/n:10/w:p     small shape, N = 100, hidden widths x p/100, 256 bits
//
// The product cost model (bench_problems.hpp, step_flops) is linear in N and, for a
// fixed input dimension, between linear (first layer, d n_1 N) and quadratic (hidden
// layers, n_l n_{l-1} N) in the width factor; the elementwise activations are linear
// in both. Counters: N, n1 (first hidden width), params, GFLOP/s.
#include <benchmark/benchmark.h>

#include <map>
#include <tuple>
#include <utility>

#include "bench_problems.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;
using namespace ncverify::bench;

namespace {

/// Problems are loaded once per (shape, n, width) and kept: Google Benchmark calls a
/// benchmark function several times while it sizes the iteration count.
const BenchProblem& cached(bool reference_shape, Index samples_per_class, Index width_percent) {
    static std::map<std::tuple<bool, Index, Index>, BenchProblem> problems;
    const auto key = std::make_tuple(reference_shape, samples_per_class, width_percent);
    auto found = problems.find(key);
    if (found == problems.end()) {
        const double factor = static_cast<double>(width_percent) / 100.0;
        found = problems
                    .emplace(key, reference_shape ? scaled_reference_problem(samples_per_class, factor)
                                                  : scaled_problem(samples_per_class, factor))
                    .first;
    }
    return found->second;
}

template <class S>
void steps(benchmark::State& state, bool reference_shape) {
    const BenchProblem& problem = cached(reference_shape, state.range(0), state.range(1));
    const Matrix<S> x = from_double<S>(problem.data.inputs), y = from_double<S>(problem.data.one_hot());
    Network<S> network = network_from_double<S>(problem.initial_network());
    const StepSetting setting = reference_step_setting();
    for (auto _ : state) {
        const LossAndGradient<S> evaluation = loss_and_gradient(network, x, y, S(setting.weight_decay));
        network.weights = gradient_step(network, evaluation, setting);
        benchmark::DoNotOptimize(network.weights);
    }
    state.counters["N"] = static_cast<double>(problem.data.num_samples());
    state.counters["n1"] = static_cast<double>(problem.spec.width(1));
    state.counters["params"] = static_cast<double>(problem.spec.parameter_count());
    state.counters["GFLOP/s"] = benchmark::Counter(step_flops(problem.spec, problem.data.num_samples()) * 1e-9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

void scaling_double_samples(benchmark::State& state) { steps<double>(state, true); }
void scaling_double_width(benchmark::State& state) { steps<double>(state, true); }

void scaling_mpfr256(benchmark::State& state) {
    const MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    steps<Mpfr>(state, false);
}
void scaling_mpfr256_samples(benchmark::State& state) { scaling_mpfr256(state); }
void scaling_mpfr256_width(benchmark::State& state) { scaling_mpfr256(state); }

}  // namespace

BENCHMARK(scaling_double_samples)
    ->ArgNames({"n", "w"})
    ->Args({25, 100})
    ->Args({50, 100})
    ->Args({100, 100})
    ->Args({200, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(scaling_double_width)
    ->ArgNames({"n", "w"})
    ->Args({100, 25})
    ->Args({100, 50})
    ->Args({100, 100})
    ->Args({100, 200})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(scaling_mpfr256_samples)
    ->ArgNames({"n", "w"})
    ->Args({5, 100})
    ->Args({10, 100})
    ->Args({20, 100})
    ->Args({40, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(scaling_mpfr256_width)
    ->ArgNames({"n", "w"})
    ->Args({10, 50})
    ->Args({10, 100})
    ->Args({10, 200})
    ->Args({10, 400})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_MAIN();
