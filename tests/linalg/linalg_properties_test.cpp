// Randomised properties of the linear-algebra layer, in double and at 256 bits
// (rapidcheck: failures print the shrunk dimensions and seed, and replay with RC_PARAMS).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using ncverify::testing::eps;
using ncverify::testing::max_relative_error;
using ncverify::testing::relative_error;
using ncverify::testing::relative_matrix_error;
using ncverify::testing::test_precision;

namespace {

struct Shape {
    Index rows, cols, rank;
    std::uint64_t seed;
};

/// Random shape with rows, cols in [1, max_dim] and a rank in [1, min(rows, cols)].
Shape random_shape(int max_dim) {
    const Index rows = *rc::gen::inRange(1, max_dim + 1);
    const Index cols = *rc::gen::inRange(1, max_dim + 1);
    const Index rank = *rc::gen::inRange<Index>(1, std::min(rows, cols) + 1);
    return {rows, cols, rank, *rc::gen::arbitrary<std::uint64_t>()};
}

/// A matrix of the given shape and exact rank, singular values log-spaced over up to
/// 6 decades (kept moderate so that double resolves them: tolerances below are
/// c * eps * kappa with kappa <= 1e6).
template <class S>
Matrix<S> random_matrix(const Shape& shape) {
    RandomSource random(shape.seed);
    Vector<S> s(shape.rank);
    const double decades = 6.0 * random.uniform();
    for (Index i = 0; i < shape.rank; ++i)
        s(i) = pow(S(10), -S(decades) * S(i) / S(std::max<Index>(shape.rank - 1, 1)));
    return matrix_with_singular_values<S>(shape.rows, shape.cols, s, random);
}

// ||A||_op <= ||A||_F <= sqrt(rank) ||A||_op, up to rounding (relative slack 1e2 eps).
template <class S>
void check_norm_inequalities(const Shape& shape) {
    const Matrix<S> a = random_matrix<S>(shape);
    const S op = spectral_norm(a), fro = frobenius_norm(a);
    using std::sqrt;
    const S slack = S(1) + S(100) * ScalarTraits<S>::epsilon();
    RC_ASSERT(op <= fro * slack);
    RC_ASSERT(fro <= sqrt(S(shape.rank)) * op * slack);
}

// The four Penrose identities, with the exact rank known from the construction.
template <class S>
void check_moore_penrose(const Shape& shape) {
    const Matrix<S> a = random_matrix<S>(shape);
    const Matrix<S> p = pseudo_inverse(a, RankRule::fixed(shape.rank));
    const Matrix<S> ap = multiply(a, p), pa = multiply(p, a);
    // Residuals are ~ c eps kappa; kappa <= 1e6 by construction.
    const double tolerance = 1e3 * eps<S>() * 1e6;
    RC_ASSERT(relative_matrix_error(multiply(ap, a), a) < tolerance);
    RC_ASSERT(relative_matrix_error(multiply(pa, p), p) < tolerance);
    RC_ASSERT(relative_matrix_error(Matrix<S>(ap.transpose()), ap) < tolerance);
    RC_ASSERT(relative_matrix_error(Matrix<S>(pa.transpose()), pa) < tolerance);
}

// kappa(cA) = kappa(A) and sigma(A^T) = sigma(A).
template <class S>
void check_scaling_and_transpose(const Shape& shape) {
    const Matrix<S> a = random_matrix<S>(shape);
    const double c = *rc::gen::element(-1e5, -3.0, 1e-7, 0.5, 7.0, 1e12);
    const RankRule rule = RankRule::fixed(shape.rank);
    const double tolerance = 1e3 * eps<S>() * 1e6;
    RC_ASSERT(relative_error(condition_number(Matrix<S>(S(c) * a), rule), condition_number(a, rule)) < tolerance);
    const Vector<S> s = singular_values(a);
    const Vector<S> st = singular_values(Matrix<S>(a.transpose()));
    RC_ASSERT(max_relative_error<S>(st.head(shape.rank), s.head(shape.rank)) < tolerance);
}

template <class S, class Check>
void at_test_precision(int max_dim, Check check) {
    MpfrPrecisionScope scope(test_precision<S>());
    check(random_shape(max_dim));
}

}  // namespace

RC_GTEST_PROP(LinalgProperties, NormInequalitiesDouble, ()) { at_test_precision<double>(30, check_norm_inequalities<double>); }
RC_GTEST_PROP(LinalgProperties, NormInequalitiesMpfr256, ()) { at_test_precision<Mpfr>(8, check_norm_inequalities<Mpfr>); }
RC_GTEST_PROP(LinalgProperties, MoorePenroseDouble, ()) { at_test_precision<double>(30, check_moore_penrose<double>); }
RC_GTEST_PROP(LinalgProperties, MoorePenroseMpfr256, ()) { at_test_precision<Mpfr>(8, check_moore_penrose<Mpfr>); }
RC_GTEST_PROP(LinalgProperties, ScalingAndTransposeDouble, ()) { at_test_precision<double>(30, check_scaling_and_transpose<double>); }
RC_GTEST_PROP(LinalgProperties, ScalingAndTransposeMpfr256, ()) { at_test_precision<Mpfr>(8, check_scaling_and_transpose<Mpfr>); }
