// Matrix products and SVDs on each scalar path. The MPFR product is compared, in the
// same run, with Eigen's generic product on Boost numbers (the path it replaces) and
// with Arb's approx and rigorous products at the same precision (the practical limit).
#include <benchmark/benchmark.h>

#include "ncverify/linalg/product.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

constexpr unsigned bench_bits = 256;

void product_double(benchmark::State& state) {
    const Index n = state.range(0);
    RandomSource random(1);
    const Matrix<double> a = random.gaussian_matrix(n, n), b = random.gaussian_matrix(n, n);
    for (auto _ : state) benchmark::DoNotOptimize(multiply(a, b));
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate,
                                                   benchmark::Counter::kIs1000);
}

void product_mpfr(benchmark::State& state) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(bench_bits));
    const Index n = state.range(0);
    RandomSource random(1);
    const Matrix<Mpfr> a = from_double<Mpfr>(random.gaussian_matrix(n, n));
    const Matrix<Mpfr> b = from_double<Mpfr>(random.gaussian_matrix(n, n));
    for (auto _ : state) benchmark::DoNotOptimize(multiply(a, b));
}

void product_mpfr_eigen_generic(benchmark::State& state) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(bench_bits));
    const Index n = state.range(0);
    RandomSource random(1);
    const Matrix<Mpfr> a = from_double<Mpfr>(random.gaussian_matrix(n, n));
    const Matrix<Mpfr> b = from_double<Mpfr>(random.gaussian_matrix(n, n));
    for (auto _ : state) {
        Matrix<Mpfr> c = a * b;
        benchmark::DoNotOptimize(c);
    }
}

template <bool rigorous>
void product_arb(benchmark::State& state) {
    const Index n = state.range(0);
    RandomSource random(1);
    const ArbMatrix a = ArbMatrix::exact(random.gaussian_matrix(n, n));
    const ArbMatrix b = ArbMatrix::exact(random.gaussian_matrix(n, n));
    for (auto _ : state) {
        ArbMatrix c = rigorous ? certified_multiply(a, b, bench_bits) : approx_multiply(a, b, bench_bits);
        benchmark::DoNotOptimize(c);
    }
}

void svd_double(benchmark::State& state) {
    const Index n = state.range(0);
    const Matrix<double> a = RandomSource(2).gaussian_matrix(n, n);
    for (auto _ : state) benchmark::DoNotOptimize(thin_svd(a));
}

void svd_mpfr(benchmark::State& state) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(bench_bits));
    const Index n = state.range(0);
    const Matrix<Mpfr> a = from_double<Mpfr>(RandomSource(2).gaussian_matrix(n, n));
    for (auto _ : state) benchmark::DoNotOptimize(thin_svd(a));
}

}  // namespace

BENCHMARK(product_double)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(product_mpfr)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(product_mpfr_eigen_generic)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);
BENCHMARK(product_arb<false>)->Name("product_arb_approx_mul")->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(product_arb<true>)->Name("product_arb_mul")->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(svd_double)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(svd_mpfr)->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
