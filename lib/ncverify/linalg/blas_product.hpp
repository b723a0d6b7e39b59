#pragma once
// The double GEMM of multiply (linalg/product.hpp): OpenBLAS's dgemm, called
// single-threaded on fixed column panels of the result that the OpenMP threads share.
//
// Bit-identity for every thread count. The result is cut into panels of
// product_panel_columns columns; the cut depends only on the shapes. Each panel is one
// cblas_dgemm call with OpenBLAS limited to one thread (openblas_set_num_threads(1), the
// library's documented setting for an already multi-threaded caller), so the depth k is
// never split and the summation order of every entry is that of the sequential kernel on
// that panel's shape, whichever thread computes it. OpenBLAS packs its operands into
// its own buffers, so the pointer alignment of a panel does not change the arithmetic.
// What can change the bits is the kernel OpenBLAS selected at load time (its core type):
// blas_kernel_description() names it, and a run should record it.
//
// Accuracy: as any floating-point dot product, |c_ij - (AB)_ij| <= k u sum_l |a_il||b_lj|
// (u = 2^-53), up to second order; the summation order differs from Eigen's GEMM.

#include <string>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// Width of the column panels of the double product: wide enough for the GEMM kernel to
/// reach its speed (the left operand is packed once per panel: a cost of 1/(2 x width)
/// of the flops in memory traffic), narrow enough to balance 2-16 threads on the
/// products of a training step (N and n_l in the hundreds to thousands).
inline constexpr Index product_panel_columns = 64;

/// A double matrix operand as BLAS sees it: column-major `data` with leading dimension
/// `leading_dimension`, used as is or transposed. A row-major or transposed Eigen
/// expression with unit inner stride maps to `transposed` without a copy.
struct BlasOperand {
    const double* data;
    Index leading_dimension;
    bool transposed;
};

/// OpenBLAS computes every call on the calling thread only (see above): set once, before
/// the first call, for the whole process. Every caller of OpenBLAS (the products here,
/// LAPACK in linalg/lapack_svd.cpp) calls it first.
void limit_openblas_to_one_thread();

/// C (rows x cols, column-major, leading dimension ldc) = op(A) op(B), where op(A) is
/// rows x depth and op(B) depth x cols; panels of product_panel_columns columns shared
/// among the OpenMP threads when the product exceeds ~1 Mflop (the panels and so the
/// bits are the same either way). Requires rows, cols >= 1 (depth may be 0: C = 0).
void blas_multiply_panels(Index rows, Index cols, Index depth, BlasOperand a, BlasOperand b, double* c, Index ldc);

/// The BLAS behind the double products, for run manifests: library and version, the
/// core type OpenBLAS selected and how (OPENBLAS_CORETYPE or CPU detection), the threads
/// per call and the panel width, e.g. "OpenBLAS 0.3.21 ... core Cooperlake (auto-detected,
/// OPENBLAS_CORETYPE unset); 1 thread per dgemm call, panels of 64 columns". Notes when
/// the core's kernels do not use AVX-512 on a CPU that has it (about half the speed).
std::string blas_kernel_description();

}  // namespace ncverify
