// One full-batch gradient-descent step (loss_and_gradient + gradient_step) on the
// problems of bench_problems.hpp, at every precision:
//   gd_step_<problem>/bits:B   B = 0 is IEEE double; B >= 53 is MPFR at B bits
//                              (the product goes to Arb's arb_mat_approx_mul).
// Problems: reference (N = 1000, d = 784, 1024-512-256-128-10, configs/reference.toml),
// medium (N = 200, d = 196, 256-128-64-10) and small (N = 100, d = 49, 128-64-32-10).
//
// The reference problem is registered at double, 113, 256 and 1024 bits; one MPFR step
// there costs 20 s (113 bits) to a few minutes (1024 bits) of CPU time, so Google
// Benchmark runs each once. The full precision series (53 ... 1024 bits) is measured on
// medium and small.
//
// Counters: params (number of weights), GFLOP/s (2 mnk per product: the forward pass,
// the weight gradients and the back-propagated deltas).
#include <benchmark/benchmark.h>

#include "bench_problems.hpp"
#include "ncverify/scalar/dispatch.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;
using namespace ncverify::bench;

namespace {

template <class S>
void gradient_descent_steps(benchmark::State& state, const BenchProblem& problem) {
    const Matrix<S> x = from_double<S>(problem.data.inputs), y = from_double<S>(problem.data.one_hot());
    Network<S> network = network_from_double<S>(problem.initial_network());
    const StepSetting setting = reference_step_setting();
    for (auto _ : state) {
        const LossAndGradient<S> evaluation = loss_and_gradient(network, x, y, S(setting.weight_decay));
        network.weights = gradient_step(network, evaluation, setting);
        benchmark::DoNotOptimize(network.weights);
    }
    state.counters["params"] = static_cast<double>(problem.spec.parameter_count());
    state.counters["GFLOP/s"] = benchmark::Counter(step_flops(problem.spec, problem.data.num_samples()) * 1e-9,
                                                   benchmark::Counter::kIsIterationInvariantRate);
}

/// bits = 0: double; otherwise MPFR at `bits`.
void gradient_descent_at(benchmark::State& state, const BenchProblem& problem) {
    const unsigned bits = static_cast<unsigned>(state.range(0));
    if (bits == 0) return gradient_descent_steps<double>(state, problem);
    const MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
    gradient_descent_steps<Mpfr>(state, problem);
}

void gd_step_reference(benchmark::State& state) {
    static const BenchProblem problem = reference_problem();
    gradient_descent_at(state, problem);
}
void gd_step_medium(benchmark::State& state) {
    static const BenchProblem problem = medium_problem();
    gradient_descent_at(state, problem);
}
void gd_step_small(benchmark::State& state) {
    static const BenchProblem problem = small_problem();
    gradient_descent_at(state, problem);
}

}  // namespace

BENCHMARK(gd_step_reference)
    ->ArgName("bits")
    ->Arg(0)
    ->Arg(113)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(gd_step_medium)
    ->ArgName("bits")
    ->Arg(0)
    ->Arg(53)
    ->Arg(113)
    ->Arg(256)
    ->Arg(512)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(gd_step_small)
    ->ArgName("bits")
    ->Arg(0)
    ->Arg(53)
    ->Arg(113)
    ->Arg(256)
    ->Arg(512)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_MAIN();
