// Singular-value and eigenvalue enclosures (enclosure/singular_value_enclosure.hpp):
// containment of the values computed independently (JacobiSVD / the symmetric
// eigensolver at 4x the precision), convergence as the precision grows, certified rank
// and condition number, and the double-precision artefact a certificate must expose.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/enclosure/ball_matrix.hpp"
#include "ncverify/enclosure/singular_value_enclosure.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

/// Singular values of an exact double matrix at `bits` (MPFR JacobiSVD), the reference.
Vector<Mpfr> reference_singular_values(const Matrix<double>& a, unsigned bits) {
    const MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
    return singular_values(from_double<Mpfr>(a));
}

/// A Gaussian double matrix (shape and seed drawn by rapidcheck, so failures shrink).
Matrix<double> random_matrix(Index rows, Index cols, std::uint64_t seed) {
    return RandomSource(seed).gaussian_matrix(rows, cols);
}

}  // namespace

// Containment: for random shapes (wide, square, tall, and tall enough for the Gram
// route), ranks (a zero column block makes rank-deficient matrices) and precisions,
// every enclosure contains the singular value computed by JacobiSVD at 4x the bits.
RC_GTEST_PROP(SingularValueEnclosure, ContainsTheValuesAtFourTimesThePrecision, ()) {
    const Index rows = *rc::gen::inRange(1, 14), cols = *rc::gen::inRange(1, 14);
    const bool tall_for_gram = *rc::gen::arbitrary<bool>();
    const Index m = tall_for_gram ? 4 * cols + rows : rows;
    Matrix<double> a = random_matrix(m, cols, *rc::gen::arbitrary<std::uint64_t>());
    const Index zero_columns = *rc::gen::inRange<Index>(0, cols);
    a.rightCols(zero_columns).setZero();
    const unsigned bits = *rc::gen::element(53u, 64u, 128u);
    const BallPrecisionScope scope(bits);
    const SingularValueEnclosure enclosure = enclose_singular_values(ArbMatrix::exact(a), bits);
    const Vector<Mpfr> reference = reference_singular_values(a, 4 * bits);
    RC_ASSERT(static_cast<Index>(enclosure.values.size()) == std::min(m, cols));
    RC_ASSERT(enclosure.gram_route == (std::max(m, cols) >= 4 * std::min(m, cols)));
    for (Index i = 0; i < reference.size(); ++i) {
        RC_ASSERT(enclosure.values[std::size_t(i)].contains(reference(i)));
        // The lower end is clamped at 0 up to the radius rounding of a ball (30 bits).
        RC_ASSERT(enclosure.values[std::size_t(i)].lower() >= -1e-8 * enclosure.values[std::size_t(i)].radius());
    }
    // The zero block makes exactly `zero_columns` singular values zero: none of them may
    // be certified nonzero, and the others are (these matrices are far from singular).
    RC_ASSERT(enclosure.certainly_nonzero() <= std::min(m, cols - zero_columns));
}

TEST(SingularValueEnclosure, WidthsShrinkAsThePrecisionGrows) {
    RandomSource random(7);
    Vector<double> s(6);
    s << 4, 2, 1, 0.5, 1e-3, 1e-6;
    const Matrix<double> a = matrix_with_singular_values<double>(9, 6, s, random);
    double previous_width = INFINITY;
    for (const unsigned bits : {53u, 128u, 256u, 512u}) {
        const BallPrecisionScope scope(bits);
        const SingularValueEnclosure enclosure = enclose_singular_values(ArbMatrix::exact(a), bits);
        double width = 0;  // the largest radius (endpoints as doubles cannot resolve it)
        for (const Ball& value : enclosure.values) width = std::max(width, value.radius());
        // The width is set by the unit roundoff of the approximation times s_1 = 4 and a
        // modest multiple of the dimension (the header's contract), so each step up the
        // ladder must shrink it by many orders of magnitude.
        EXPECT_LT(width, 64 * 9 * 4 * std::ldexp(1.0, -static_cast<int>(bits))) << bits << " bits";
        EXPECT_LT(width, previous_width * 1e-10) << bits << " bits";
        previous_width = std::max(width, 1e-300);
    }
}

TEST(SingularValueEnclosure, CertifiedRankAndConditionNumber) {
    // rank 3 of 5 exactly: the enclosures of the two zero singular values contain 0 and
    // lie below 1e-30 at 256 bits; the three others are certainly positive.
    Matrix<double> a(6, 5);
    a.setZero();
    a.topLeftCorner(3, 3) << 3, 1, 0, 1, 2, 0, 0, 0, 0.5;
    const BallPrecisionScope scope(256);
    const SingularValueEnclosure enclosure = enclose_singular_values(ArbMatrix::exact(a), 256);
    EXPECT_EQ(enclosure.certainly_nonzero(), 3);
    EXPECT_EQ(enclosure.certainly_below(Ball::exact(1e-30)), 2);
    const Ball kappa = enclosure.condition_number(3);
    const Vector<Mpfr> reference = reference_singular_values(a, 1024);
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(1024));
    EXPECT_TRUE(kappa.contains(Mpfr(reference(0) / reference(2))));
    EXPECT_FALSE(certainly_positive(enclosure.values[3]));
    EXPECT_FALSE(enclosure.condition_number(4).is_finite());
    EXPECT_THROW(enclosure.condition_number(6), InvalidArgument);
}

RC_GTEST_PROP(SymmetricEigenvalueEnclosure, ContainsTheEigenvaluesAtFourTimesThePrecision, ()) {
    const Index n = *rc::gen::inRange(1, 12);
    const Matrix<double> b = random_matrix(n, n, *rc::gen::arbitrary<std::uint64_t>());
    // W^T W - V V^T style: symmetric and indefinite, formed exactly in balls.
    const Matrix<double> c = random_matrix(n, n, *rc::gen::arbitrary<std::uint64_t>());
    const unsigned bits = *rc::gen::element(53u, 128u);
    const BallPrecisionScope scope(bits);
    const ArbMatrix B = ArbMatrix::exact(b), C = ArbMatrix::exact(c);
    const ArbMatrix D = certified_difference(certified_product(transpose(B), B), certified_product(C, transpose(C)));
    const std::vector<Ball> eigenvalues = enclose_symmetric_eigenvalues(D, bits);
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(4 * bits));
    const Matrix<Mpfr> b_ref = from_double<Mpfr>(b), c_ref = from_double<Mpfr>(c);
    const Matrix<Mpfr> d_ref = Matrix<Mpfr>(b_ref.transpose() * b_ref) - Matrix<Mpfr>(c_ref * c_ref.transpose());
    const Vector<Mpfr> reference = symmetric_eigenvalues(d_ref);  // ascending
    RC_ASSERT(static_cast<Index>(eigenvalues.size()) == n);
    for (Index i = 0; i < n; ++i) RC_ASSERT(eigenvalues[std::size_t(i)].contains(reference(n - 1 - i)));
}

// The float artefact: an exact double matrix with kappa ~ 2^82 (det = -1, entries
// ~2^40). Double JacobiSVD cannot resolve s_2 = 2^-41 below its error u s_1 ~ 2^-12,
// so its kappa is wrong by orders of magnitude; the certified enclosure (decided at 128
// bits) excludes the double value and contains the 512-bit one.
TEST(SingularValueEnclosure, ExposesTheDoubleConditionNumberArtefact) {
    const double big = std::ldexp(1.0, 40);
    Matrix<double> a(2, 2);
    a << big + 1, big, big, big - 1;
    const Vector<double> double_values = singular_values(a);
    const double double_kappa = double_values(0) / double_values(1);
    const Vector<Mpfr> reference = reference_singular_values(a, 512);
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(512));
    const Mpfr reference_kappa = reference(0) / reference(1);
    const double true_kappa = mpfr_get_d(reference_kappa.backend().data(), MPFR_RNDN);
    EXPECT_NEAR(std::log2(true_kappa), 82.0, 0.01);
    EXPECT_TRUE(!std::isfinite(double_kappa) || std::abs(std::log10(double_kappa / true_kappa)) > 2)
        << "double kappa " << double_kappa << " vs " << true_kappa;

    const BallPrecisionScope scope(128);
    const Ball kappa = enclose_singular_values(ArbMatrix::exact(a), 128).condition_number(2);
    EXPECT_TRUE(kappa.contains(reference_kappa)) << kappa.to_string();
    EXPECT_FALSE(kappa.contains(double_kappa)) << kappa.to_string();
    EXPECT_LT(kappa.upper() - kappa.lower(), 1e-6 * true_kappa);
    // At 53 bits the certificate refuses to claim what double cannot resolve.
    const BallPrecisionScope coarse(53);
    const Ball coarse_kappa = enclose_singular_values(ArbMatrix::exact(a), 53).condition_number(2);
    EXPECT_TRUE(!coarse_kappa.is_finite() || coarse_kappa.contains(reference_kappa));
}
