#pragma once
// Scalar helpers the checkers share (S = double or Mpfr): integer powers, k-th roots of
// non-negative numbers, and the 6-significant-digit text of a value for verdict notes.

#include <fmt/core.h>

#include <cmath>
#include <string>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// x^k for k >= 0 by repeated multiplication (exact for k <= 1).
template <class S>
S integer_power(const S& x, Index k) {
    S result(1);
    for (Index i = 0; i < k; ++i) result *= x;
    return result;
}

/// x^{1/k} for x >= 0, k >= 1.
template <class S>
S kth_root(const S& x, Index k) {
    using std::pow;
    return pow(x, S(1) / S(k));
}

/// "%.6g" of x rounded to double, for notes.
template <class S>
std::string number(const S& x) {
    return fmt::format("{:.6g}", ScalarTraits<S>::to_double(x));
}

}  // namespace ncverify
