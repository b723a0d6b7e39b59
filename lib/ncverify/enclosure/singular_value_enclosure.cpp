#include "ncverify/enclosure/singular_value_enclosure.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "ncverify/enclosure/ball_matrix.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/scalar/precision.hpp"

namespace ncverify {
namespace {

slong precision() { return static_cast<slong>(ball_precision_bits()); }

/// An exact ball whose value is a rigorous upper bound on ||M||_F over the ball matrix.
Ball frobenius_bound_ball(const ArbMatrix& m) {
    mag_t bound;
    mag_init(bound);
    arb_mat_bound_frobenius_norm(bound, m.get());
    Ball result;
    arf_set_mag(arb_midref(result.get()), bound);
    mag_clear(bound);
    return result;
}

/// [lower endpoint of `low`, upper endpoint of `high`], with the lower end clamped at 0.
Ball nonnegative_hull(const Ball& low, const Ball& high) {
    arf_t lower, upper;
    arf_init(lower);
    arf_init(upper);
    arb_get_lbound_arf(lower, low.get(), precision());
    arb_get_ubound_arf(upper, high.get(), precision());
    if (arf_sgn(lower) < 0) arf_zero(lower);
    Ball result;
    if (arf_cmp(lower, upper) > 0)
        arb_zero_pm_inf(result.get());  // cannot happen for valid bounds; refuse to certify
    else
        arb_set_interval_arf(result.get(), lower, upper, precision());
    arf_clear(lower);
    arf_clear(upper);
    return result;
}

Ball unbounded_nonnegative() {
    Ball result;
    arb_zero_pm_inf(result.get());
    return nonnegative_hull(result, result);
}

struct ApproximateSvd {
    ArbMatrix U, V;
    std::vector<Ball> values;
};

template <class S>
ApproximateSvd approximate_svd_in(const ArbMatrix& a) {
    const Matrix<S> mid = a.midpoints<S>();
    if (!all_finite(mid)) throw NonFiniteValue("enclose_singular_values: a midpoint is NaN or infinite");
    const SingularValueDecomposition<S> svd = thin_svd(mid);
    ApproximateSvd result{ArbMatrix::exact(svd.U), ArbMatrix::exact(svd.V), {}};
    for (Index i = 0; i < svd.singular_values.size(); ++i) result.values.push_back(Ball::exact(S(svd.singular_values(i))));
    return result;
}

ApproximateSvd approximate_svd(const ArbMatrix& a, unsigned approximation_bits) {
    if (approximation_bits <= 53) return approximate_svd_in<double>(a);
    const MpfrPrecisionScope scope(Precision::mpfr_bits(approximation_bits));
    return approximate_svd_in<Mpfr>(a);
}

/// Theorem C1 for a matrix with at least as many rows as columns.
SingularValueEnclosure enclose_tall(const ArbMatrix& a, unsigned approximation_bits) {
    const Index n = a.cols();
    ApproximateSvd svd = approximate_svd(a, approximation_bits);
    ArbMatrix U_scaled = copy_of(svd.U);
    for (Index j = 0; j < n; ++j)
        for (Index i = 0; i < a.rows(); ++i)
            arb_mul(U_scaled.entry(i, j), U_scaled.entry(i, j), svd.values[std::size_t(j)].get(), precision());
    const Ball r = frobenius_bound_ball(certified_difference(certified_product(a, svd.V), U_scaled));
    const Ball f = frobenius_bound_ball(certified_difference(certified_product(transpose(svd.U), svd.U), identity_ball_matrix(n)));
    const Ball g = frobenius_bound_ball(certified_difference(certified_product(transpose(svd.V), svd.V), identity_ball_matrix(n)));

    SingularValueEnclosure result;
    result.residual = r.upper();
    result.orthogonality_u = f.upper();
    result.orthogonality_v = g.upper();
    const Ball one(1);
    if (!certainly_less(f, one) || !certainly_less(g, one)) {
        result.values.assign(std::size_t(n), unbounded_nonnegative());
        return result;
    }
    std::vector<Ball> sorted = svd.values;  // JacobiSVD returns them sorted; Theorem C1 needs it
    std::sort(sorted.begin(), sorted.end(), [](const Ball& x, const Ball& y) { return certainly_less(y, x); });
    const Ball shrink = sqrt(one - f) / sqrt(one + g), grow = sqrt(one + f) / sqrt(one - g);
    const Ball r_low = r / sqrt(one + g), r_high = r / sqrt(one - g);
    for (const Ball& s : sorted) result.values.push_back(nonnegative_hull(shrink * s - r_low, grow * s + r_high));
    return result;
}

}  // namespace

Index SingularValueEnclosure::certainly_nonzero() const {
    return std::count_if(values.begin(), values.end(), [](const Ball& s) { return certainly_positive(s); });
}

Index SingularValueEnclosure::certainly_below(const Ball& threshold) const {
    return std::count_if(values.begin(), values.end(), [&](const Ball& s) { return certainly_less(s, threshold); });
}

Ball SingularValueEnclosure::condition_number(Index rank) const {
    if (rank < 1 || rank > static_cast<Index>(values.size()))
        throw InvalidArgument(fmt::format("condition_number: rank {} outside [1, {}]", rank, values.size()));
    const Ball& smallest = values[std::size_t(rank - 1)];
    if (!certainly_positive(smallest)) return unbounded_nonnegative();
    return values.front() / smallest;
}

SingularValueEnclosure enclose_singular_values(const ArbMatrix& a, unsigned approximation_bits) {
    if (a.rows() == 0 || a.cols() == 0)
        throw ShapeMismatch(fmt::format("enclose_singular_values: the matrix is {}x{}", a.rows(), a.cols()));
    if (a.rows() < a.cols()) return enclose_singular_values(transpose(a), approximation_bits);
    if (a.rows() < 4 * a.cols()) return enclose_tall(a, approximation_bits);
    SingularValueEnclosure gram = enclose_tall(certified_product(transpose(a), a), approximation_bits);
    for (Ball& value : gram.values) value = sqrt(value);
    gram.gram_route = true;
    return gram;
}

std::vector<Ball> enclose_symmetric_eigenvalues(const ArbMatrix& a, unsigned approximation_bits) {
    if (a.rows() != a.cols())
        throw ShapeMismatch(fmt::format("enclose_symmetric_eigenvalues: a {}x{} matrix is not square", a.rows(), a.cols()));
    const Index n = a.rows();
    // c: an exact number >= ||A||_op, so that A + c I is positive semidefinite.
    const Ball norm = enclose_singular_values(a, approximation_bits).spectral_norm();
    Ball shift;
    arb_get_ubound_arf(arb_midref(shift.get()), norm.get(), precision());
    if (!shift.is_finite()) return std::vector<Ball>(std::size_t(n), [] {
        Ball any;
        arb_zero_pm_inf(any.get());
        return any;
    }());
    ArbMatrix shifted = copy_of(a);
    for (Index i = 0; i < n; ++i) arb_add(shifted.entry(i, i), shifted.entry(i, i), shift.get(), precision());
    std::vector<Ball> eigenvalues;
    for (const Ball& s : enclose_singular_values(shifted, approximation_bits).values) eigenvalues.push_back(s - shift);
    return eigenvalues;
}

}  // namespace ncverify
