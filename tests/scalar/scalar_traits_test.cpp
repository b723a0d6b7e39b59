// ScalarTraits: epsilon at the working precision and exact text round trips.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>

#include "ncverify/scalar/scalar_traits.hpp"

using namespace ncverify;

TEST(ScalarTraits, EpsilonIsTheGapAfterOne) {
    EXPECT_EQ(ScalarTraits<double>::epsilon(), std::numeric_limits<double>::epsilon());
    for (unsigned bits : {53u, 113u, 256u, 1024u}) {
        MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
        const Mpfr eps = ScalarTraits<Mpfr>::epsilon();
        const Mpfr one(1);
        EXPECT_EQ(eps, boost::multiprecision::ldexp(one, 1 - int(working_precision_bits())));
        EXPECT_GT(one + eps, one);
        EXPECT_EQ(one + eps / 2, one);  // ties to even
    }
}

RC_GTEST_PROP(ScalarTraits, DoubleTextRoundTripsBitForBit, (double x)) {
    const std::string text = ScalarTraits<double>::to_exact_string(x);
    const double back = ScalarTraits<double>::from_exact_string(text);
    if (std::isnan(x))
        RC_ASSERT(std::isnan(back));
    else
        RC_ASSERT(std::memcmp(&x, &back, sizeof x) == 0);
}

RC_GTEST_PROP(ScalarTraits, MpfrTextRoundTripsBitForBit, (std::int64_t numerator, std::int32_t denominator)) {
    RC_PRE(denominator != 0);
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    // A number that uses every bit of the significand.
    const Mpfr x = boost::multiprecision::sqrt(Mpfr(numerator) * Mpfr(numerator) + 2) / Mpfr(denominator);
    const Mpfr back = ScalarTraits<Mpfr>::from_exact_string(ScalarTraits<Mpfr>::to_exact_string(x));
    RC_ASSERT(mpfr_equal_p(x.backend().data(), back.backend().data()) != 0);
    RC_ASSERT(precision_bits_of(back) == precision_bits_of(x));
}

TEST(ScalarTraits, MalformedTextIsRejected) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(128));
    for (const char* text : {"", "0x1.8p+0junk", "abc", "1..2"}) {
        EXPECT_THROW(ScalarTraits<double>::from_exact_string(text), InputError) << text;
        EXPECT_THROW(ScalarTraits<Mpfr>::from_exact_string(text), InputError) << text;
    }
}
