// The LAPACK route of the double SVD (linalg/lapack_svd.hpp), taken by thin_svd and
// singular_values when min(m, n) > jacobi_svd_dimension_limit: against constructed
// spectra (the exact values are known), against Jacobi at 128 bits on the same stored
// entries (an independent algorithm at higher precision), and on the case where Eigen's
// BDCSVD, also divide and conquer, failed.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/lapack_svd.hpp"
#include "ncverify/linalg/rank_rule.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "support/bdcsvd_regression_case.hpp"

using namespace ncverify;

namespace {

constexpr double u = 0x1p-53;

/// k values logarithmically spaced from 1 down to 10^-decades.
Vector<double> log_spaced(Index k, double decades) {
    Vector<double> s(k);
    for (Index i = 0; i < k; ++i) s(i) = std::pow(10.0, -decades * double(i) / double(std::max<Index>(k - 1, 1)));
    return s;
}

/// max_ij |a_ij| of U^T U - I, the loss of orthonormality of the columns of U.
double orthonormality_defect(const Matrix<double>& q) {
    return (q.transpose() * q - Matrix<double>::Identity(q.cols(), q.cols())).cwiseAbs().maxCoeff();
}

}  // namespace

// Backward stability, the contract of singular_value_decomposition.hpp: |s_i - exact| <=
// c max(m, n) u s_1. c = 10 is generous for dgesdd (measured errors are ~ 1e-15 s_1 at
// these sizes) and below what a wrong route would give (errors O(s_1)).
RC_GTEST_PROP(LapackSvd, ConstructedSpectraOfLargeMatricesAreRecovered, ()) {
    const Index rows = *rc::gen::inRange<Index>(jacobi_svd_dimension_limit + 1, 130);
    const Index cols = *rc::gen::inRange<Index>(jacobi_svd_dimension_limit + 1, 130);
    const Index rank = *rc::gen::inRange<Index>(1, std::min(rows, cols) + 1);
    const double decades = *rc::gen::inRange(0, 9);
    RandomSource random(*rc::gen::arbitrary<std::uint64_t>());
    const Vector<double> s = log_spaced(rank, decades);
    const Matrix<double> a = matrix_with_singular_values<double>(rows, cols, s, random);
    const double tolerance = 10.0 * double(std::max(rows, cols)) * u;
    const SingularValueDecomposition<double> svd = thin_svd(a);
    const Vector<double> values = singular_values(a);
    RC_ASSERT(svd.singular_values.size() == std::min(rows, cols));
    for (Index i = 0; i < svd.singular_values.size(); ++i) {
        const double exact = i < rank ? s(i) : 0.0;
        RC_ASSERT(std::abs(svd.singular_values(i) - exact) <= tolerance);
        RC_ASSERT(std::abs(values(i) - exact) <= tolerance);
        if (i > 0) RC_ASSERT(svd.singular_values(i) <= svd.singular_values(i - 1));
    }
    RC_ASSERT(orthonormality_defect(svd.U) <= tolerance);
    RC_ASSERT(orthonormality_defect(svd.V) <= tolerance);
    const Matrix<double> reconstructed = svd.U * svd.singular_values.asDiagonal() * svd.V.transpose();
    RC_ASSERT((reconstructed - a).norm() <= tolerance * a.norm() * std::sqrt(double(rank)));
    // The working-precision rank rule sees the constructed rank (gaps of >= 1e-9 between
    // s_r and the threshold max(m, n) eps s_1 ~ 1e-13).
    RC_ASSERT(RankRule::working_precision().rank(svd.singular_values, rows, cols) == rank);
}

// A wide feature-like matrix (80 x 400: the shape of H_{L1}, p x N) against Jacobi at 128
// bits on the same entries, which is exact to ~1e-36 relative: the double values agree to
// c max(m, n) u s_1 (c = 10, as above).
TEST(LapackSvd, AgreesWithJacobiAt128BitsOnAWideMatrix) {
    RandomSource random(20261207);
    const Matrix<double> a = random.gaussian_matrix(80, 400);
    const Vector<double> values = singular_values(a);
    Vector<double> reference;
    {
        MpfrPrecisionScope scope(Precision::mpfr_bits(128));
        reference = to_double(singular_values(from_double<Mpfr>(a)));
    }
    ASSERT_EQ(values.size(), reference.size());
    const double tolerance = 10.0 * 400 * u * reference(0);
    for (Index i = 0; i < values.size(); ++i) EXPECT_NEAR(values(i), reference(i), tolerance) << "s_" << i;
}

// The case that Eigen 3.4's BDCSVD got wrong (tests/linalg/singular_values_test.cpp:
// RankDeficientRegressionCase, s_10 = 2.03e-6 for 1.69e-6), given to dgesdd directly
// (at 21 x 20 thin_svd itself stays on Jacobi).
TEST(LapackSvd, RankDeficientCaseThatBdcsvdFailed) {
    const ncverify::testing::BdcsvdRegressionCase regression = ncverify::testing::bdcsvd_regression_case();
    const Vector<double>& s = regression.singular_values;
    const Index rank = s.size();
    const auto svd = detail::lapack_thin_svd(regression.matrix, true);
    ASSERT_TRUE(svd.has_value());
    for (Index i = 0; i < rank; ++i) EXPECT_NEAR(svd->singular_values(i), s(i), 1e2 * 0x1p-52) << "s_" << i;
    for (Index i = rank; i < svd->singular_values.size(); ++i) EXPECT_LT(svd->singular_values(i), 1e2 * 0x1p-52);
    EXPECT_LE((svd->U * svd->singular_values.asDiagonal() * svd->V.transpose() - regression.matrix).norm(), 1e2 * 0x1p-52);
}
