#include "ncverify/enclosure/ball_matrix.hpp"

#include <fmt/core.h>

#include <cmath>

namespace ncverify {
namespace {

slong precision() { return static_cast<slong>(ball_precision_bits()); }

void require_same_shape(const ArbMatrix& a, const ArbMatrix& b, const char* operation) {
    if (a.rows() != b.rows() || a.cols() != b.cols())
        throw ShapeMismatch(fmt::format("{}: operands are {}x{} and {}x{}; they must have the same shape", operation,
                                        a.rows(), a.cols(), b.rows(), b.cols()));
}

}  // namespace

ArbMatrix copy_of(const ArbMatrix& a) {
    ArbMatrix result(a.rows(), a.cols());
    arb_mat_set(result.get(), a.get());
    return result;
}

ArbMatrix identity_ball_matrix(Index n) {
    ArbMatrix result(n, n);
    arb_mat_one(result.get());
    return result;
}

ArbMatrix transpose(const ArbMatrix& a) {
    ArbMatrix result(a.cols(), a.rows());
    arb_mat_transpose(result.get(), a.get());
    return result;
}

ArbMatrix certified_product(const ArbMatrix& a, const ArbMatrix& b) { return certified_multiply(a, b, ball_precision_bits()); }

ArbMatrix certified_sum(const ArbMatrix& a, const ArbMatrix& b) {
    require_same_shape(a, b, "certified_sum");
    ArbMatrix result(a.rows(), a.cols());
    arb_mat_add(result.get(), a.get(), b.get(), precision());
    return result;
}

ArbMatrix certified_difference(const ArbMatrix& a, const ArbMatrix& b) {
    require_same_shape(a, b, "certified_difference");
    ArbMatrix result(a.rows(), a.cols());
    arb_mat_sub(result.get(), a.get(), b.get(), precision());
    return result;
}

ArbMatrix certified_scaled(const ArbMatrix& a, const Ball& factor) {
    ArbMatrix result(a.rows(), a.cols());
    arb_mat_scalar_mul_arb(result.get(), a.get(), factor.get(), precision());
    return result;
}

ArbMatrix column_block(const ArbMatrix& a, Index first, Index count) {
    if (first < 0 || count < 0 || first + count > a.cols())
        throw ShapeMismatch(fmt::format("column_block: columns [{}, {}) of a {}x{} matrix", first, first + count,
                                        a.rows(), a.cols()));
    ArbMatrix result(a.rows(), count);
    for (Index i = 0; i < a.rows(); ++i)
        for (Index j = 0; j < count; ++j) arb_set(result.entry(i, j), a.entry(i, first + j));
    return result;
}

Ball entry_ball(const ArbMatrix& a, Index i, Index j) { return Ball::from_arb(a.entry(i, j)); }

Ball certified_trace(const ArbMatrix& a) {
    if (a.rows() != a.cols()) throw ShapeMismatch(fmt::format("certified_trace: a {}x{} matrix is not square", a.rows(), a.cols()));
    Ball result;
    arb_mat_trace(result.get(), a.get(), precision());
    return result;
}

Ball certified_squared_frobenius_norm(const ArbMatrix& a) {
    Ball sum;
    for (Index i = 0; i < a.rows(); ++i)
        for (Index j = 0; j < a.cols(); ++j) arb_addmul(sum.get(), a.entry(i, j), a.entry(i, j), precision());
    return sum;
}

Ball certified_frobenius_norm(const ArbMatrix& a) {
    Ball result;
    arb_mat_frobenius_norm(result.get(), a.get(), precision());
    return result;
}

double frobenius_norm_upper_bound(const ArbMatrix& a) {
    mag_t bound;
    mag_init(bound);
    arb_mat_bound_frobenius_norm(bound, a.get());
    const double result = mag_is_inf(bound) ? INFINITY : mag_get_d(bound);
    mag_clear(bound);
    return result;
}

Ball certified_column_dot(const ArbMatrix& a, Index i, const ArbMatrix& b, Index j) {
    if (a.rows() != b.rows())
        throw ShapeMismatch(fmt::format("certified_column_dot: columns of length {} and {}", a.rows(), b.rows()));
    Ball sum;
    for (Index r = 0; r < a.rows(); ++r) arb_addmul(sum.get(), a.entry(r, i), b.entry(r, j), precision());
    return sum;
}

}  // namespace ncverify
