// Traces and Frobenius norms of products against the formed product.
#include <gtest/gtest.h>

#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/random/random_source.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using namespace ncverify::testing;

template <class S>
class TraceNormsTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(TraceNormsTest, BothScalars, ScalarName);

TYPED_TEST(TraceNormsTest, TraceOfProductEqualsTraceOfFormedProduct) {
    using S = TypeParam;
    RandomSource random(41);
    const Matrix<S> a = from_double<S>(random.gaussian_matrix(7, 11));
    const Matrix<S> b = from_double<S>(random.gaussian_matrix(11, 7));
    const S direct = trace_of_product(a, b);
    const S formed = multiply(a, b).trace();
    const double eps = ScalarTraits<S>::to_double(ScalarTraits<S>::epsilon());
    // Both sum the same 77 products in different orders: |difference| <= 2 * 77 eps sum|a_ij b_ji|.
    const S scale = a.cwiseAbs().cwiseProduct(b.transpose().cwiseAbs()).sum();
    EXPECT_LT(ScalarTraits<S>::to_double(abs(direct - formed) / scale), 200 * eps);
    EXPECT_THROW(trace_of_product(a, a), ShapeMismatch);
}

TYPED_TEST(TraceNormsTest, FrobeniusNormOfProduct) {
    using S = TypeParam;
    RandomSource random(42);
    const Matrix<S> a = from_double<S>(random.gaussian_matrix(5, 8));
    const Matrix<S> b = from_double<S>(random.gaussian_matrix(8, 6));
    const S expected = sqrt(trace_of_product(Matrix<S>(multiply(a, b).transpose()), multiply(a, b)));
    const double eps = ScalarTraits<S>::to_double(ScalarTraits<S>::epsilon());
    EXPECT_LT(relative_error(frobenius_norm_of_product(a, b), expected), 100 * eps);
    EXPECT_EQ(squared_frobenius_norm(Matrix<S>(Matrix<S>::Identity(4, 4))), S(4));
}
