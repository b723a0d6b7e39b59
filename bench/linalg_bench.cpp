// Matrix products and SVDs on each scalar path, sizes (and precisions) as benchmark
// arguments. The MPFR product (multiply on Mpfr: exact conversion to Arb, Arb's
// arb_mat_approx_mul, rounding back) is compared, in the same run, with Eigen's generic
// product on Boost numbers (the path it replaces) and with Arb's approx and rigorous
// products at the same precision and size (the practical limit).
//
//   product_double/n:n                     ncverify::multiply on double (OpenBLAS dgemm, 64-column panels)
//   product_double_eigen_gemm/n:n          Eigen's GEMM on the same panels (the double product before issue 18)
//   product_double_one_dgemm/n:n           one single-threaded dgemm call over all columns (no panels: what
//                                          the panels, and so bit identity for any thread count, cost)
//   product_mpfr/n:n/bits:b                ncverify::multiply on Mpfr at b bits
//   product_mpfr_eigen_generic/n:n/bits:b  Eigen's generic product on Boost mpfr_float
//   product_arb_approx_mul/n:n/bits:b      arb_mat_approx_mul on Arb operands (no conversion)
//   product_arb_mul/n:n/bits:b             arb_mat_mul (rigorous balls), exact operands
//
// Operands: n x n Gaussian matrices divided by 3 at the working precision, so that every
// entry carries a full b-bit mantissa, as weights do after one gradient step (Arb's
// products are faster on short mantissas, e.g. on numbers converted from double). The
// Arb benchmarks take the same numbers, converted once outside the timed loop.
#include <benchmark/benchmark.h>

#include <cblas.h>

#include <algorithm>
#include <utility>

#include "ncverify/linalg/blas_product.hpp"
#include "ncverify/linalg/product.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

constexpr unsigned svd_bits = 256;

double product_flops(Index n) { return 2.0 * static_cast<double>(n * n * n); }

void set_flop_rate(benchmark::State& state, Index n) {
    state.counters["GFLOP/s"] =
        benchmark::Counter(product_flops(n) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// A Gaussian n x n matrix (seed `seed`) divided by 3 at the working precision.
Matrix<Mpfr> full_mantissa_matrix(Index n, std::uint64_t seed) {
    const Matrix<Mpfr> g = from_double<Mpfr>(RandomSource(seed).gaussian_matrix(n, n));
    return g / Mpfr(3);
}

/// The operands of the double products: two Gaussian n x n matrices (seed 1).
std::pair<Matrix<double>, Matrix<double>> gaussian_operands(Index n) {
    RandomSource random(1);
    Matrix<double> a = random.gaussian_matrix(n, n);
    return {std::move(a), random.gaussian_matrix(n, n)};
}

void product_double(benchmark::State& state) {
    const Index n = state.range(0);
    const auto [a, b] = gaussian_operands(n);
    for (auto _ : state) benchmark::DoNotOptimize(multiply(a, b));
    set_flop_rate(state, n);
}

void product_double_eigen_gemm(benchmark::State& state) {
    const Index n = state.range(0);
    const auto [a, b] = gaussian_operands(n);
    Matrix<double> c(n, n);
    for (auto _ : state) {
        const Index panels = (n + product_panel_columns - 1) / product_panel_columns;
#pragma omp parallel for schedule(static) if (panels > 1 && n >= 100)
        for (Index panel = 0; panel < panels; ++panel) {
            const Index first = panel * product_panel_columns;
            const Index count = std::min(product_panel_columns, n - first);
            c.middleCols(first, count).noalias() = a * b.middleCols(first, count);
        }
        benchmark::DoNotOptimize(c.data());
        benchmark::ClobberMemory();
    }
    set_flop_rate(state, n);
}

void product_double_one_dgemm(benchmark::State& state) {
    const Index n = state.range(0);
    const auto [a, b] = gaussian_operands(n);
    Matrix<double> c(n, n);
    limit_openblas_to_one_thread();
    const auto size = static_cast<blasint>(n);
    for (auto _ : state) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, size, size, size, 1.0, a.data(), size, b.data(), size,
                    0.0, c.data(), size);
        benchmark::DoNotOptimize(c.data());
        benchmark::ClobberMemory();
    }
    set_flop_rate(state, n);
}

void product_mpfr(benchmark::State& state) {
    const Index n = state.range(0);
    const MpfrPrecisionScope scope(Precision::mpfr_bits(static_cast<unsigned>(state.range(1))));
    const Matrix<Mpfr> a = full_mantissa_matrix(n, 1), b = full_mantissa_matrix(n, 2);
    for (auto _ : state) benchmark::DoNotOptimize(multiply(a, b));
    set_flop_rate(state, n);
}

void product_mpfr_eigen_generic(benchmark::State& state) {
    const Index n = state.range(0);
    const MpfrPrecisionScope scope(Precision::mpfr_bits(static_cast<unsigned>(state.range(1))));
    const Matrix<Mpfr> a = full_mantissa_matrix(n, 1), b = full_mantissa_matrix(n, 2);
    for (auto _ : state) {
        Matrix<Mpfr> c = a * b;
        benchmark::DoNotOptimize(c);
    }
    set_flop_rate(state, n);
}

template <bool rigorous>
void product_arb(benchmark::State& state) {
    const Index n = state.range(0);
    const unsigned bits = static_cast<unsigned>(state.range(1));
    const MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
    const ArbMatrix a = ArbMatrix::exact(full_mantissa_matrix(n, 1));
    const ArbMatrix b = ArbMatrix::exact(full_mantissa_matrix(n, 2));
    for (auto _ : state) {
        ArbMatrix c = rigorous ? certified_multiply(a, b, bits) : approx_multiply(a, b, bits);
        benchmark::DoNotOptimize(c);
    }
    set_flop_rate(state, n);
}

void svd_double(benchmark::State& state) {
    const Index n = state.range(0);
    const Matrix<double> a = RandomSource(2).gaussian_matrix(n, n);
    for (auto _ : state) benchmark::DoNotOptimize(thin_svd(a));
}

void svd_mpfr(benchmark::State& state) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(svd_bits));
    const Index n = state.range(0);
    const Matrix<Mpfr> a = from_double<Mpfr>(RandomSource(2).gaussian_matrix(n, n));
    for (auto _ : state) benchmark::DoNotOptimize(thin_svd(a));
}

/// Sizes x precisions of the multiprecision products.
void mp_sizes(benchmark::internal::Benchmark* b) {
    b->ArgNames({"n", "bits"});
    for (const int n : {64, 128, 256})
        for (const int bits : {113, 256, 1024}) b->Args({n, bits});
}

}  // namespace

BENCHMARK(product_double)->ArgName("n")->Arg(64)->Arg(128)->Arg(256)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(product_double_one_dgemm)->ArgName("n")->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(product_double_eigen_gemm)->ArgName("n")->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK(product_mpfr)->Apply(mp_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(product_arb<false>)->Name("product_arb_approx_mul")->Apply(mp_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(product_arb<true>)->Name("product_arb_mul")->Apply(mp_sizes)->Unit(benchmark::kMillisecond);
BENCHMARK(product_mpfr_eigen_generic)
    ->ArgNames({"n", "bits"})
    ->Args({64, 256})
    ->Args({128, 256})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(svd_double)->ArgName("n")->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(svd_mpfr)->ArgName("n")->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
