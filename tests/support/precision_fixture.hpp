#pragma once
// Typed-test support: each test runs once in double and once in MPFR at 256 bits.

#include <gtest/gtest.h>

#include "ncverify/scalar/precision.hpp"

namespace ncverify::testing {

/// The precision a typed test runs S at: IEEE double, or MPFR at 256 bits.
template <class S>
Precision test_precision() {
    if constexpr (std::is_same_v<S, double>)
        return Precision::ieee_double();
    else
        return Precision::mpfr_bits(256);
}

/// Fixture that holds the working precision of S for the duration of one test.
template <class S>
class PrecisionTest : public ::testing::Test {
protected:
    MpfrPrecisionScope scope_{test_precision<S>()};
};

using BothScalars = ::testing::Types<double, Mpfr>;

struct ScalarName {
    template <class S>
    static std::string GetName(int) {
        return std::is_same_v<S, double> ? "double" : "mpfr256";
    }
};

}  // namespace ncverify::testing
