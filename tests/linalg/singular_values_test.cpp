// Singular values of constructed matrices U diag(s) V^T with known spectra, and the
// demonstration that higher precision changes the answer where double cannot resolve it.
#include <gtest/gtest.h>

#include <cmath>

#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "support/bdcsvd_regression_case.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using ncverify::testing::max_relative_error;
using ncverify::testing::relative_error;

namespace {

/// k values logarithmically spaced from 1 down to 1/kappa.
template <class S>
Vector<S> log_spaced(Index k, const S& kappa) {
    Vector<S> s(k);
    for (Index i = 0; i < k; ++i) s(i) = pow(kappa, -S(i) / S(k - 1));
    return s;
}

}  // namespace

// Double: backward-stable SVD recovers s_i to an absolute error of about max(m,n) eps s_1,
// so the relative error of s_i is <= c eps kappa_i. With kappa = 1e8 and 40x25 we allow
// 1e-6 (c = 10^2 margin over 40 * 2.2e-16 * 1e8 ~ 1e-6 would be too tight; measured ~1e-9).
TEST(SingularValues, KnownSpectrumInDouble) {
    RandomSource random(21);
    const Vector<double> s = log_spaced<double>(25, 1e8);
    const Matrix<double> a = matrix_with_singular_values<double>(40, 25, s, random);
    const Vector<double> computed = singular_values(a);
    EXPECT_LT(relative_error(computed(0), s(0)), 1e-14);
    EXPECT_LT(max_relative_error(computed, s), 1e-6);
}

// 256 bits (257 used, eps ~ 1.7e-77): kappa = 1e30, the smallest singular value is
// recovered to <= 1e-40 relative error (the foundation issue's acceptance figure); the
// expected error is ~ 1e2 * eps * kappa ~ 1e-45.
TEST(SingularValues, KnownSpectrumAt256BitsWithKappa1e30) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    RandomSource random(22);
    const Vector<Mpfr> s = log_spaced<Mpfr>(20, Mpfr(1e30));
    const Matrix<Mpfr> a = matrix_with_singular_values<Mpfr>(30, 20, s, random);
    const Vector<Mpfr> computed = singular_values(a);
    EXPECT_LT(relative_error(computed(19), s(19)), 1e-40);
    EXPECT_LT(max_relative_error(computed, s), 1e-40);
    EXPECT_LT(relative_error(condition_number(a), Mpfr(1e30)), 1e-40);
}

// Tolerance scales with precision: the same kappa = 1e12 spectrum is recovered to
// ~eps * kappa at each precision; the bound below is 1e3 * eps * kappa.
TEST(SingularValues, AccuracyScalesWithPrecision) {
    for (unsigned bits : {64u, 128u, 256u, 512u}) {
        MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
        RandomSource random(23);
        const Vector<Mpfr> s = log_spaced<Mpfr>(12, Mpfr(1e12));
        const Matrix<Mpfr> a = matrix_with_singular_values<Mpfr>(16, 12, s, random);
        const double eps = ScalarTraits<Mpfr>::to_double(ScalarTraits<Mpfr>::epsilon());
        EXPECT_LT(max_relative_error<Mpfr>(singular_values(a), s), 1e3 * eps * 1e12) << bits << " bits";
    }
}

// A matrix with kappa = 1e20 (built and kept at 256 bits): double sees it only after
// rounding each entry (a perturbation of ~1e-16 relative), which already destroys the
// smallest singular values, so double's kappa is wrong by orders of magnitude. 256 bits
// gets it right and 512 bits on the same stored entries agrees.
TEST(SingularValues, HigherPrecisionResolvesWhatDoubleCannot) {
    Matrix<double> rounded;
    Mpfr kappa_256;
    {
        MpfrPrecisionScope scope(Precision::mpfr_bits(256));
        RandomSource random(24);
        const Vector<Mpfr> s = log_spaced<Mpfr>(10, Mpfr(1e20));
        const Matrix<Mpfr> a = matrix_with_singular_values<Mpfr>(12, 10, s, random);
        kappa_256 = condition_number(a);
        EXPECT_LT(relative_error(kappa_256, Mpfr(1e20)), 1e-50);
        rounded = to_double(a);
        // Expected error of the 256-bit kappa: ~ c * eps_256 * kappa ~ c * 1e-57.
        MpfrPrecisionScope finer(Precision::mpfr_bits(512));
        const Mpfr kappa_512 = condition_number(convert_precision(a));
        EXPECT_LT(relative_error(kappa_256, kappa_512), 1e-50);
    }
    const double kappa_double = condition_number(rounded, RankRule::relative_threshold(0.0));
    EXPECT_LT(kappa_double, 1e18) << "double unexpectedly resolved kappa = 1e20";
    // The default rule in double calls the matrix rank-deficient (rank < 10); 256 bits
    // decides full rank.
    EXPECT_LT(numerical_rank(rounded), 10);
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    RandomSource random(24);
    const Matrix<Mpfr> again = matrix_with_singular_values<Mpfr>(12, 10, log_spaced<Mpfr>(10, Mpfr(1e20)), random);
    EXPECT_EQ(numerical_rank(again), 10);
}

TEST(SingularValues, NonFiniteInputIsRefused) {
    Matrix<double> a = Matrix<double>::Identity(3, 3);
    a(1, 2) = std::nan("");
    EXPECT_THROW(singular_values(a), NonFiniteValue);
    a(1, 2) = INFINITY;
    EXPECT_THROW(thin_svd(a), NonFiniteValue);
}

TEST(RankRule, FixedAndRelativeRules) {
    Vector<double> s(4);
    s << 1.0, 1e-3, 1e-9, 0.0;
    EXPECT_EQ(RankRule::fixed(2).rank(s, 4, 4), 2);
    EXPECT_THROW(RankRule::fixed(5).rank(s, 4, 4), InvalidArgument);
    EXPECT_EQ(RankRule::relative_threshold(1e-6).rank(s, 4, 4), 2);
    EXPECT_EQ(RankRule::relative_threshold(0.0).rank(s, 4, 4), 3);
    EXPECT_EQ(RankRule::working_precision().rank(s, 4, 4), 3);
    EXPECT_THROW(RankRule::relative_threshold(1.5), InvalidArgument);
    EXPECT_THROW(RankRule::fixed(-1), InvalidArgument);
}

// Regression (found by LinalgProperties.MoorePenroseDouble): a 21 x 20 matrix of rank 11
// with singular values 10^(-5.77 i / 10). Eigen 3.4's BDCSVD returned s_10 = 2.03e-6 for
// 1.69e-6; a backward-stable SVD is within ~ 1e2 * eps * s_1 of the construction.
TEST(SingularValues, RankDeficientRegressionCase) {
    const ncverify::testing::BdcsvdRegressionCase regression = ncverify::testing::bdcsvd_regression_case();
    const Vector<double>& s = regression.singular_values;
    const Index rank = s.size();
    const Vector<double> computed = singular_values(regression.matrix);
    for (Index i = 0; i < rank; ++i) EXPECT_NEAR(computed(i), s(i), 1e2 * 0x1p-52) << "s_" << i;
    for (Index i = rank; i < computed.size(); ++i) EXPECT_LT(computed(i), 1e2 * 0x1p-52) << "s_" << i;
}
