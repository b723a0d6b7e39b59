// multiply(): the Arb-backed MPFR product against Eigen's generic product (an
// independent route at the same precision), and the double product against the
// 256-bit one.
#include <gtest/gtest.h>
#include <omp.h>

#include <array>

#include "ncverify/linalg/product.hpp"
#include "ncverify/random/random_source.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using ncverify::testing::relative_matrix_error;

// Both routes round each of the k products and sums at the working precision, so
// entrywise they differ by at most ~2k eps times sum |a||b|. With Gaussian entries and
// k = 37 that is far below 1e3 eps relative to the norm of the product.
TEST(Product, MpfrProductMatchesEigenGenericProduct) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    RandomSource random(11);
    const Matrix<Mpfr> a = from_double<Mpfr>(random.gaussian_matrix(23, 37));
    const Matrix<Mpfr> b = from_double<Mpfr>(random.gaussian_matrix(37, 19));
    const Matrix<Mpfr> fast = multiply(a, b);
    const Matrix<Mpfr> reference = a * b;  // Eigen's generic product on Boost numbers
    EXPECT_LT(relative_matrix_error(fast, reference), 1e3 * ScalarTraits<Mpfr>::to_double(ScalarTraits<Mpfr>::epsilon()));
    EXPECT_EQ(precision_bits_of(fast(3, 4)), working_precision_bits());
}

TEST(Product, TransposedOperandsAndExpressions) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(128));
    RandomSource random(12);
    const Matrix<Mpfr> a = from_double<Mpfr>(random.gaussian_matrix(9, 6));
    const Matrix<Mpfr> gram = multiply(a.transpose(), a);
    ASSERT_EQ(gram.rows(), 6);
    EXPECT_LT(relative_matrix_error(gram, Matrix<Mpfr>(a.transpose() * a)), 1e-35);
    EXPECT_EQ(relative_matrix_error(gram, Matrix<Mpfr>(gram.transpose())), 0.0);  // exactly symmetric
}

// Double inputs are exact in MPFR; the 256-bit product is then exact to ~1e-77 and
// serves as the reference for the double product, whose error is ~k * 2^-53.
TEST(Product, DoubleProductAgreesWithHighPrecisionReference) {
    RandomSource random(13);
    const Matrix<double> a = random.gaussian_matrix(40, 50);
    const Matrix<double> b = random.gaussian_matrix(50, 30);
    const Matrix<double> fast = multiply(a, b);
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const Matrix<Mpfr> reference = multiply(from_double<Mpfr>(a), from_double<Mpfr>(b));
    EXPECT_LT(relative_matrix_error(from_double<Mpfr>(fast), reference), 50 * 0x1p-52);
}

TEST(Product, ShapeMismatchNamesBothShapes) {
    const Matrix<double> a(3, 4), b(5, 2);
    try {
        multiply(a, b);
        FAIL();
    } catch (const ShapeMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("3x4"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("5x2"), std::string::npos);
    }
}

// The double product is computed on column panels whose layout depends only on the
// shapes, each by one single-threaded OpenBLAS dgemm (linalg/blas_product.hpp), so 1 and
// 2 OpenMP threads give the same bits. The shapes straddle the panel width (64) and the
// 1 Mflop threshold below which no thread is used, and include a depth of 1000 (the
// gradient products' N, where a split of the depth would change the rounding); the
// transposed operands are back-propagation's W^T delta and the gradient's delta H^T,
// passed to BLAS with its transpose flags.
TEST(Product, DoubleProductIsBitIdenticalForOneAndTwoThreads) {
    RandomSource random(13);
    const int threads_before = omp_get_max_threads();
    for (const auto& [m, k, n] : {std::array<Index, 3>{300, 200, 129}, {17, 900, 1000}, {512, 64, 64}, {5, 7, 3}, {130, 1000, 300}}) {
        const Matrix<double> a = random.gaussian_matrix(m, k), b = random.gaussian_matrix(k, n);
        const Matrix<double> at = a.transpose(), bt = b.transpose();
        omp_set_num_threads(1);
        const Matrix<double> one = multiply(a, b), one_tn = multiply(at.transpose(), b), one_nt = multiply(a, bt.transpose());
        omp_set_num_threads(2);
        const Matrix<double> two = multiply(a, b), two_tn = multiply(at.transpose(), b), two_nt = multiply(a, bt.transpose());
        EXPECT_TRUE((one.array() == two.array()).all()) << m << "x" << k << "x" << n;
        EXPECT_TRUE((one_tn.array() == two_tn.array()).all()) << m << "x" << k << "x" << n << " (A^T B)";
        EXPECT_TRUE((one_nt.array() == two_nt.array()).all()) << m << "x" << k << "x" << n << " (A B^T)";
        // and the panels are a faithful product (the 2k eps bound, against long double)
        const Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic> exact =
            a.cast<long double>() * b.cast<long double>();
        const double scale = (a.cwiseAbs() * b.cwiseAbs()).maxCoeff();
        EXPECT_LE((one.cast<long double>() - exact).cwiseAbs().maxCoeff(), 2.0L * k * 0x1p-53L * scale);
    }
    omp_set_num_threads(threads_before);
}

namespace {

/// Entrywise dot-product error bound gamma_k (|A| |B|)_ij, gamma_k = k u / (1 - k u),
/// u = 2^-53: the bound of any summation order (Higham, Accuracy and Stability, 3.5).
Matrix<double> dot_product_bound(const Matrix<double>& a, const Matrix<double>& b) {
    const double k = static_cast<double>(a.cols()), u = 0x1p-53;
    return (k * u / (1 - k * u)) * (a.cwiseAbs() * b.cwiseAbs());
}

}  // namespace

// The OpenBLAS product against the previous double product, Eigen's own GEMM (a
// different summation order): both lie within gamma_k (|A||B|)_ij of the exact product,
// so they differ by at most twice that, entry by entry; bit equality is not expected.
// Every operand form the training step uses, and the ones that need a copy (an
// expression, a row with non-unit inner stride), give that same product.
TEST(Product, DoubleProductAgreesWithEigenGemmWithinTheDotProductBound) {
    RandomSource random(17);
    for (const auto& [m, k, n] : {std::array<Index, 3>{300, 200, 129}, {64, 1000, 200}, {10, 128, 1000}, {3, 1, 2}}) {
        const Matrix<double> a = random.gaussian_matrix(m, k), b = random.gaussian_matrix(k, n);
        const Matrix<double> eigen_gemm = a.lazyProduct(b).eval();
        const Matrix<double> bound = 2 * dot_product_bound(a, b);
        const auto within = [&](const Matrix<double>& c, const char* form) {
            ASSERT_EQ(c.rows(), m);
            ASSERT_EQ(c.cols(), n);
            EXPECT_TRUE(((c - eigen_gemm).cwiseAbs().array() <= bound.array()).all()) << m << "x" << k << "x" << n << " " << form;
        };
        const Matrix<double> at = a.transpose(), bt = b.transpose();
        const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> a_row_major = a;
        within(multiply(a, b), "A B");
        within(multiply(at.transpose(), b), "A^T B");
        within(multiply(a, bt.transpose()), "A B^T");
        within(multiply(a_row_major, b), "row-major A");
        within(multiply((2 * a) / 2, b), "expression A");
    }
    // Blocks with an outer stride larger than their rows, and a row (inner stride m).
    const Matrix<double> big = random.gaussian_matrix(50, 40), b = random.gaussian_matrix(30, 7);
    const Matrix<double> block = big.block(3, 5, 20, 30);
    EXPECT_TRUE(((multiply(big.block(3, 5, 20, 30), b) - block.lazyProduct(b).eval()).cwiseAbs().array() <=
                 (2 * dot_product_bound(block, b)).array())
                    .all());
    const Matrix<double> row = big.row(4).head(30);
    EXPECT_TRUE(((multiply(big.row(4).head(30), b) - row.lazyProduct(b).eval()).cwiseAbs().array() <=
                 (2 * dot_product_bound(row, b)).array())
                    .all());
    // Depth 0: the empty sum.
    EXPECT_TRUE((multiply(Matrix<double>(4, 0), Matrix<double>(0, 3)).array() == 0.0).all());
}

// multiply_into reuses the result's storage when the shape is unchanged (the training
// loop's no-allocation contract) and resizes it otherwise.
TEST(Product, MultiplyIntoReusesStorage) {
    RandomSource random(19);
    const Matrix<double> a = random.gaussian_matrix(70, 30), b = random.gaussian_matrix(30, 90);
    Matrix<double> c;
    multiply_into(a, b, c);
    const double* storage = c.data();
    multiply_into(a, b, c);
    EXPECT_EQ(c.data(), storage);
    EXPECT_TRUE((c.array() == multiply(a, b).array()).all());
    multiply_into(a, b.leftCols(10), c);
    EXPECT_EQ(c.cols(), 10);
}

// The manifest's description names the library and the selected core.
TEST(Product, BlasKernelDescriptionNamesLibraryAndCore) {
    const std::string description = blas_kernel_description();
    EXPECT_NE(description.find("OpenBLAS"), std::string::npos) << description;
    EXPECT_NE(description.find("core "), std::string::npos) << description;
    EXPECT_NE(description.find("panels of 64 columns"), std::string::npos) << description;
}
