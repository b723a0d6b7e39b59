// The precision option, Boost's bits <-> digits mapping, the scope, and detection of
// mixed precisions.
#include <gtest/gtest.h>

#include "ncverify/linalg/product.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/random/random_source.hpp"
#include "ncverify/scalar/precision.hpp"

using namespace ncverify;

TEST(Precision, ParsesDoubleAndBits) {
    EXPECT_TRUE(Precision::parse("double").is_double());
    EXPECT_EQ(Precision::parse("double").effective_bits(), 53u);
    const Precision p = Precision::parse("256");
    EXPECT_FALSE(p.is_double());
    EXPECT_EQ(p.requested_bits(), 256u);
    EXPECT_EQ(p.to_string(), "256");
}

TEST(Precision, RejectsOutOfRangeAndMalformed) {
    for (const char* text : {"52", "4097", "0", "-256", "256x", "", "Double", "1e3"})
        EXPECT_THROW(Precision::parse(text), InvalidArgument) << text;
    try {
        Precision::parse("4097");
        FAIL();
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("[53, 4096]"), std::string::npos) << e.what();
    }
}

// Boost 1.74 takes decimal digits: 77 digits give 257 bits (MULTIPRECISION.md), so a
// 256-bit request is served with 257 bits. The mapping chosen is the smallest digit
// count that reaches the request: check both directions for every allowed request.
TEST(Precision, BitsMapToTheSmallestSufficientDigitCount) {
    EXPECT_EQ(Precision::mpfr_bits(256).boost_digits10(), 77u);
    EXPECT_EQ(Precision::mpfr_bits(256).effective_bits(), 257u);
    for (unsigned bits = min_mpfr_bits; bits <= max_mpfr_bits; ++bits) {
        const Precision p = Precision::mpfr_bits(bits);
        ASSERT_GE(p.effective_bits(), bits);
        ASSERT_LT(boost_bits_for_digits10(p.boost_digits10() - 1), bits);
    }
}

// The precision in effect is the one requested: results, not only inputs, carry it.
TEST(Precision, ResultsCarryTheEffectiveBits) {
    for (unsigned bits : {64u, 128u, 256u, 512u, 1024u}) {
        const Precision precision = Precision::mpfr_bits(bits);
        MpfrPrecisionScope scope(precision);
        const unsigned expected = precision.effective_bits();
        EXPECT_EQ(working_precision_bits(), expected);
        Matrix<Mpfr> a = from_double<Mpfr>(RandomSource(7).gaussian_matrix(6, 5));
        const Mpfr sum = a(0, 0) + a(1, 1);
        EXPECT_EQ(precision_bits_of(sum), expected);
        EXPECT_EQ(precision_bits_of(multiply(a, a.transpose())(2, 3)), expected);
        EXPECT_EQ(precision_bits_of(singular_values(a)(4)), expected);
        const Matrix<Mpfr> gram = multiply(a.transpose(), a);
        EXPECT_EQ(precision_bits_of(symmetric_eigenvalues(gram)(0)), expected);
        // The value itself has more than double's accuracy: 1/3 differs from its
        // nearest double by about 2^-55.
        const Mpfr third = Mpfr(1) / 3;
        EXPECT_NE(third, Mpfr(1.0 / 3.0));
    }
}

TEST(Precision, ScopesNestAndRestore) {
    MpfrPrecisionScope outer(Precision::mpfr_bits(128));
    const unsigned outer_bits = working_precision_bits();
    {
        MpfrPrecisionScope inner(Precision::mpfr_bits(512));
        EXPECT_EQ(working_precision_bits(), Precision::mpfr_bits(512).effective_bits());
        MpfrPrecisionScope untouched(Precision::ieee_double());
        EXPECT_EQ(working_precision_bits(), Precision::mpfr_bits(512).effective_bits());
    }
    EXPECT_EQ(working_precision_bits(), outer_bits);
}

TEST(Precision, MixingPrecisionsIsDetected) {
    Matrix<Mpfr> low;
    {
        MpfrPrecisionScope scope(Precision::mpfr_bits(128));
        low = from_double<Mpfr>(RandomSource(7).gaussian_matrix(4, 4));
    }
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const Matrix<Mpfr> high = from_double<Mpfr>(RandomSource(7).gaussian_matrix(4, 4));
    EXPECT_THROW(multiply(low, high), PrecisionMismatch);
    EXPECT_THROW(multiply(high, low), PrecisionMismatch);
    EXPECT_THROW(singular_values(low), PrecisionMismatch);
    const Matrix<Mpfr> converted = convert_precision(low);
    EXPECT_EQ(precision_bits_of(converted(0, 0)), working_precision_bits());
    EXPECT_NO_THROW(multiply(converted, high));
}
