#pragma once
// The MPFR scalar of ncverify: Boost.Multiprecision's variable-precision mpfr_float,
// without expression templates, plus the Eigen::NumTraits that Boost 1.74 gets wrong.
//
// Why this wrapper: Boost's mpfr_float is under the Boost licence (mpreal is GPL-3+)
// and works with Eigen's decompositions once NumTraits is complete. Expression
// templates are off: Eigen already builds its own expression trees, and et_off keeps
// every intermediate a plain number at the working precision.
//
// Boost 1.74's generic NumTraits (boost/multiprecision/eigen.hpp, deliberately not
// included anywhere in ncverify) lacks infinity(), quiet_NaN() and digits(), returns
// the smallest positive value from lowest(), and prices additions and multiplications
// like machine arithmetic. The full specialisation below replaces it for Mpfr.

#include <boost/multiprecision/mpfr.hpp>
#include <Eigen/Core>

namespace ncverify {

using Mpfr = boost::multiprecision::number<boost::multiprecision::mpfr_float_backend<0>,
                                           boost::multiprecision::et_off>;

/// Number of bits of the significand of `x` (MPFR's own precision field).
inline unsigned precision_bits_of(const Mpfr& x) {
    return static_cast<unsigned>(mpfr_get_prec(x.backend().data()));
}

}  // namespace ncverify

namespace Eigen {

template <>
struct NumTraits<ncverify::Mpfr> : GenericNumTraits<ncverify::Mpfr> {
    using Real = ncverify::Mpfr;
    using NonInteger = ncverify::Mpfr;
    using Literal = ncverify::Mpfr;
    using Nested = ncverify::Mpfr;
    enum {
        IsComplex = 0,
        IsInteger = 0,
        IsSigned = 1,
        RequireInitialization = 1,
        ReadCost = 1,
        // Measured order of magnitude at 256 bits: an MPFR add or multiply costs
        // ~50-100 double flops; Eigen uses these costs to decide on vectorisation and
        // unrolling, which must never happen for MPFR.
        AddCost = 60,
        MulCost = 100
    };

    /// Distance from 1 to the next number at the current working precision: 2^(1-bits).
    static Real epsilon() {
        Real one(1);
        return boost::multiprecision::ldexp(one, 1 - static_cast<int>(ncverify::precision_bits_of(one)));
    }
    static Real dummy_precision() { return 1000 * epsilon(); }
    static int digits() { return static_cast<int>(ncverify::precision_bits_of(Real(1))); }
    static int digits10() { return static_cast<int>(Real::default_precision()); }
    static int min_exponent() { return static_cast<int>(mpfr_get_emin()); }
    static int max_exponent() { return static_cast<int>(mpfr_get_emax()); }
    static Real highest() {
        Real x;
        mpfr_set_inf(x.backend().data(), 1);
        mpfr_nextbelow(x.backend().data());
        return x;
    }
    static Real lowest() { return -highest(); }
    static Real infinity() {
        Real x;
        mpfr_set_inf(x.backend().data(), 1);
        return x;
    }
    static Real quiet_NaN() {
        Real x;
        mpfr_set_nan(x.backend().data());
        return x;
    }
};

}  // namespace Eigen
