#pragma once
// Ball: a real number known to lie in [m - r, m + r], with value semantics over
// FLINT/Arb's arb_t. The scalar of certified mode.
//
// Contract (Arb's, which every operation here inherits): the result of an arithmetic
// operation or function is a ball that contains the exact result for every choice of
// operands inside the operand balls. Results are rounded at the enclosure precision of
// the innermost BallPrecisionScope (default 128 bits), which affects only their width,
// never their validity. Conversions from double, Mpfr and integers are exact (radius 0).
//
// There are deliberately no operators <, <=, ==: two balls are compared by the
// predicates below, which are true only when the relation holds for every pair of
// values in the balls ("certainly"), and false when it fails or is undecided.
//
// sqrt(x) is the square root of the non-negative part of x (arb_sqrtpos): it encloses
// sqrt(v) for every v >= 0 in x, so it is valid for quantities that are non-negative in
// exact arithmetic (norms, sums of squares), which is its only use.

#include <arb.h>

#include <string>

#include "ncverify/scalar/mpfr.hpp"

namespace ncverify {

/// Bits of the enclosure precision new ball results are rounded at.
unsigned ball_precision_bits();

/// Sets the enclosure precision for the lifetime of the scope (per thread); scopes nest.
class BallPrecisionScope {
public:
    explicit BallPrecisionScope(unsigned bits);
    ~BallPrecisionScope();
    BallPrecisionScope(const BallPrecisionScope&) = delete;
    BallPrecisionScope& operator=(const BallPrecisionScope&) = delete;

private:
    unsigned saved_bits_;
};

class Ball {
public:
    Ball() { arb_init(value_); }
    /// The exact integer.
    explicit Ball(long integer) : Ball() { arb_set_si(value_, integer); }
    explicit Ball(int integer) : Ball(static_cast<long>(integer)) {}
    /// The exact value of a double / an Mpfr (throws NonFiniteValue on NaN or infinity).
    static Ball exact(double value);
    static Ball exact(const Mpfr& value);
    /// A copy of an Arb ball.
    static Ball from_arb(arb_srcptr value) {
        Ball result;
        arb_set(result.value_, value);
        return result;
    }

    ~Ball() { arb_clear(value_); }
    Ball(const Ball& other) : Ball() { arb_set(value_, other.value_); }
    Ball(Ball&& other) noexcept : Ball() { arb_swap(value_, other.value_); }
    Ball& operator=(const Ball& other) {
        arb_set(value_, other.value_);
        return *this;
    }
    Ball& operator=(Ball&& other) noexcept {
        arb_swap(value_, other.value_);
        return *this;
    }

    arb_ptr get() { return value_; }
    arb_srcptr get() const { return value_; }

    /// Outward-rounded endpoints as doubles: lower() <= every value in the ball <= upper()
    /// (-inf / +inf when the ball is unbounded or its endpoint overflows a double).
    double lower() const;
    double upper() const;
    /// The midpoint rounded to the nearest double.
    double midpoint() const;
    /// An upper bound on the radius, as a double.
    double radius() const;
    /// True when the ball has finite midpoint and radius.
    bool is_finite() const { return arb_is_finite(value_) != 0; }
    /// True when the value is certainly contained (the number is inside the ball).
    bool contains(const Mpfr& value) const { return arb_contains_mpfr(value_, value.backend().data()) != 0; }
    bool contains(double value) const;
    /// Decimal text with `digits` significant digits and the radius, e.g. "[1.2345 +/- 1.2e-20]".
    std::string to_string(long digits = 17) const;

    Ball operator-() const;
    Ball& operator+=(const Ball& other);
    Ball& operator-=(const Ball& other);
    Ball& operator*=(const Ball& other);
    Ball& operator/=(const Ball& other);
    friend Ball operator+(Ball a, const Ball& b) { return a += b; }
    friend Ball operator-(Ball a, const Ball& b) { return a -= b; }
    friend Ball operator*(Ball a, const Ball& b) { return a *= b; }
    friend Ball operator/(Ball a, const Ball& b) { return a /= b; }

private:
    arb_t value_;
};

Ball sqrt(const Ball& x);
Ball abs(const Ball& x);
/// An enclosure of max(x, y) over the balls.
Ball max(const Ball& x, const Ball& y);
Ball exp(const Ball& x);
Ball log1p(const Ball& x);
Ball tanh(const Ball& x);
/// The k-th root of the non-negative part of x (k >= 1), e.g. x^{2/L2} = root(x * x, L2).
Ball root(const Ball& x, unsigned k);
/// log 2, enclosed.
Ball log_two();

/// Predicates: true only when the relation certainly holds for all values in the balls.
inline bool certainly_less(const Ball& x, const Ball& y) { return arb_lt(x.get(), y.get()) != 0; }
inline bool certainly_less_equal(const Ball& x, const Ball& y) { return arb_le(x.get(), y.get()) != 0; }
inline bool certainly_positive(const Ball& x) { return arb_is_positive(x.get()) != 0; }

}  // namespace ncverify
