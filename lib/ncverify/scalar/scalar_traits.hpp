#pragma once
// ScalarTraits<S>: the numeric properties of each scalar kind ncverify computes in, in
// one place (the role Eigen::NumTraits plays for Eigen). Generic code asks these traits
// and never tests for a concrete type.
//
//   S       | name     | epsilon         | exact text form
//   double  | "double" | 2^-52           | C99 hex float ("%a"), parsed by strtod
//   Mpfr    | "mpfr"   | 2^(1 - bits)    | MPFR hex float ("%Ra"), parsed by mpfr_strtofr
//
// The exact text forms round-trip bit for bit (checkpoints rely on it). Data and
// initial weights are drawn in double and enter every precision through `from_double`,
// which is exact.

#include <cmath>
#include <string>
#include <string_view>

#include "ncverify/scalar/mpfr.hpp"
#include "ncverify/scalar/precision.hpp"

namespace ncverify {

template <class S>
struct ScalarTraits;

template <>
struct ScalarTraits<double> {
    static constexpr std::string_view name = "double";
    /// Unit roundoff times two: the gap between 1 and the next double.
    static double epsilon() { return 0x1p-52; }
    static unsigned bits_of(double) { return 53; }
    /// Exact conversion from double.
    static double from_double(double x) { return x; }
    /// Rounds to nearest double (exact here).
    static double to_double(double x) { return x; }
    static bool is_finite(double x) { return std::isfinite(x); }
    /// Exact hexadecimal form, e.g. "0x1.8p+0".
    static std::string to_exact_string(double x);
    /// Parses what to_exact_string wrote (and any decimal); throws InputError naming the text.
    static double from_exact_string(std::string_view text);
};

template <>
struct ScalarTraits<Mpfr> {
    static constexpr std::string_view name = "mpfr";
    /// 2^(1 - working bits).
    static Mpfr epsilon() { return Eigen::NumTraits<Mpfr>::epsilon(); }
    static unsigned bits_of(const Mpfr& x) { return precision_bits_of(x); }
    /// Exact conversion from double (the working precision is always >= 53 bits).
    static Mpfr from_double(double x) { return Mpfr(x); }
    /// Rounds to nearest double.
    static double to_double(const Mpfr& x) { return mpfr_get_d(x.backend().data(), MPFR_RNDN); }
    static bool is_finite(const Mpfr& x) { return mpfr_number_p(x.backend().data()) != 0; }
    /// Exact hexadecimal form with every bit of the significand.
    static std::string to_exact_string(const Mpfr& x);
    /// Parses at the working precision; exact for what to_exact_string wrote at that
    /// precision. Throws InputError naming the text.
    static Mpfr from_exact_string(std::string_view text);
};

}  // namespace ncverify
