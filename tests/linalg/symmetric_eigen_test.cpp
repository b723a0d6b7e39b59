// Symmetric eigendecomposition against constructed spectra Q diag(lambda) Q^T.
#include <gtest/gtest.h>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using namespace ncverify::testing;

template <class S>
class SymmetricEigenTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(SymmetricEigenTest, BothScalars, ScalarName);

// Eigenvalues of mixed sign spanning 6 decades; backward stability gives absolute error
// ~ n eps ||B||, i.e. relative error <= 1e6 * 1e2 eps on the smallest in magnitude.
TYPED_TEST(SymmetricEigenTest, RecoversConstructedSpectrum) {
    using S = TypeParam;
    RandomSource random(31);
    const Index n = 14;
    Vector<S> lambda(n);
    for (Index i = 0; i < n; ++i) lambda(i) = S(i % 2 == 0 ? -1 : 1) * pow(S(10), S(i) * S(6) / S(n - 1) - S(3));
    const Matrix<S> q = random_orthonormal_columns<S>(n, n, random);
    const Matrix<S> b = multiply(q * lambda.asDiagonal(), q.transpose());
    const SymmetricEigen<S> eig = symmetric_eigen(b);
    Vector<S> sorted = lambda;
    std::sort(sorted.data(), sorted.data() + n);
    const double eps = ScalarTraits<S>::to_double(ScalarTraits<S>::epsilon());
    EXPECT_LT(max_relative_error<S>(eig.eigenvalues, sorted), 1e8 * eps);
    // B Q = Q Lambda for the computed pair.
    EXPECT_LT(relative_matrix_error(multiply(b, eig.eigenvectors), Matrix<S>(eig.eigenvectors * eig.eigenvalues.asDiagonal())),
              1e3 * eps);
    EXPECT_LT(max_relative_error<S>(symmetric_eigenvalues(b), sorted), 1e8 * eps);
}

TYPED_TEST(SymmetricEigenTest, RejectsNonSquare) {
    using S = TypeParam;
    EXPECT_THROW(symmetric_eigen(Matrix<S>(Matrix<S>::Zero(3, 4))), ShapeMismatch);
}
