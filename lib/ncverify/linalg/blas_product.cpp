#include "ncverify/linalg/blas_product.hpp"

#include <cblas.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <string_view>

namespace ncverify {

namespace {

CBLAS_TRANSPOSE flag(const BlasOperand& operand) { return operand.transposed ? CblasTrans : CblasNoTrans; }

/// Address of column `first` of op(B).
const double* column_of(const BlasOperand& b, Index first) {
    return b.transposed ? b.data + first : b.data + first * b.leading_dimension;
}

blasint blas_int(Index value) { return static_cast<blasint>(value); }

}  // namespace

void limit_openblas_to_one_thread() {
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
}

void blas_multiply_panels(Index rows, Index cols, Index depth, BlasOperand a, BlasOperand b, double* c, Index ldc) {
    limit_openblas_to_one_thread();
    const Index panels = (cols + product_panel_columns - 1) / product_panel_columns;
    // Threads only pay off above ~1 Mflop; the panels are the same either way.
    const bool parallel =
        panels > 1 && static_cast<double>(rows) * static_cast<double>(depth) * static_cast<double>(cols) > 1e6;
#pragma omp parallel for schedule(static) if (parallel)
    for (Index panel = 0; panel < panels; ++panel) {
        const Index first = panel * product_panel_columns;
        const Index count = std::min(product_panel_columns, cols - first);
        cblas_dgemm(CblasColMajor, flag(a), flag(b), blas_int(rows), blas_int(count), blas_int(depth), 1.0, a.data,
                    blas_int(std::max<Index>(a.leading_dimension, 1)), column_of(b, first),
                    blas_int(std::max<Index>(b.leading_dimension, 1)), 0.0, c + first * ldc, blas_int(ldc));
    }
}

std::string blas_kernel_description() {
    limit_openblas_to_one_thread();
    const std::string core = openblas_get_corename();
    const char* requested = std::getenv("OPENBLAS_CORETYPE");
    std::string text = std::string(openblas_get_config()) + "; core " + core +
                       (requested ? " (OPENBLAS_CORETYPE=" + std::string(requested) + ")"
                                  : std::string(" (auto-detected, OPENBLAS_CORETYPE unset)"));
    // Cores whose dgemm kernels use AVX-512 in OpenBLAS 0.3.21.
    constexpr std::string_view avx512_cores[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
    const bool avx512_core = std::find(std::begin(avx512_cores), std::end(avx512_cores), core) != std::end(avx512_cores);
    if (__builtin_cpu_supports("avx512f") && !avx512_core)
        text += " [the CPU has AVX-512 but this core's kernels do not use it: about half the double GEMM speed]";
    return text + "; 1 thread per dgemm call, panels of " + std::to_string(product_panel_columns) + " columns";
}

}  // namespace ncverify
