#include "ncverify/enclosure/ball.hpp"

#include <flint/flint.h>

#include <cmath>
#include <limits>

#include "ncverify/errors.hpp"

namespace ncverify {
namespace {

thread_local unsigned current_ball_bits = 128;

slong precision() { return static_cast<slong>(current_ball_bits); }

double arf_to_double(const arf_t x, arf_rnd_t rounding) {
    if (arf_is_pos_inf(x)) return std::numeric_limits<double>::infinity();
    if (arf_is_neg_inf(x)) return -std::numeric_limits<double>::infinity();
    if (arf_is_nan(x)) return std::numeric_limits<double>::quiet_NaN();
    return arf_get_d(x, rounding);  // directed rounding; saturates to +-inf on overflow
}

}  // namespace

unsigned ball_precision_bits() { return current_ball_bits; }

BallPrecisionScope::BallPrecisionScope(unsigned bits) : saved_bits_(current_ball_bits) {
    if (bits < 2) throw InvalidArgument("ball precision must be at least 2 bits");
    current_ball_bits = bits;
}
BallPrecisionScope::~BallPrecisionScope() { current_ball_bits = saved_bits_; }

Ball Ball::exact(double value) {
    if (!std::isfinite(value)) throw NonFiniteValue("Ball::exact: the value is NaN or infinite");
    Ball result;
    arb_set_d(result.value_, value);
    return result;
}

Ball Ball::exact(const Mpfr& value) {
    if (mpfr_number_p(value.backend().data()) == 0) throw NonFiniteValue("Ball::exact: the value is NaN or infinite");
    Ball result;
    arf_set_mpfr(arb_midref(result.value_), value.backend().data());
    mag_zero(arb_radref(result.value_));
    return result;
}

double Ball::lower() const {
    arf_t bound;
    arf_init(bound);
    arb_get_lbound_arf(bound, value_, precision());
    const double result = arf_to_double(bound, ARF_RND_FLOOR);
    arf_clear(bound);
    return result;
}

double Ball::upper() const {
    arf_t bound;
    arf_init(bound);
    arb_get_ubound_arf(bound, value_, precision());
    const double result = arf_to_double(bound, ARF_RND_CEIL);
    arf_clear(bound);
    return result;
}

double Ball::midpoint() const { return arf_to_double(arb_midref(value_), ARF_RND_NEAR); }

double Ball::radius() const {
    if (mag_is_inf(arb_radref(value_))) return std::numeric_limits<double>::infinity();
    return mag_get_d(arb_radref(value_));  // mag_get_d rounds up
}

bool Ball::contains(double value) const {
    arf_t x;
    arf_init(x);
    arf_set_d(x, value);
    const bool result = arb_contains_arf(value_, x) != 0;
    arf_clear(x);
    return result;
}

std::string Ball::to_string(long digits) const {
    char* text = arb_get_str(value_, digits, 0);
    std::string result(text);
    flint_free(text);
    return result;
}

Ball Ball::operator-() const {
    Ball result;
    arb_neg(result.value_, value_);
    return result;
}
Ball& Ball::operator+=(const Ball& other) {
    arb_add(value_, value_, other.value_, precision());
    return *this;
}
Ball& Ball::operator-=(const Ball& other) {
    arb_sub(value_, value_, other.value_, precision());
    return *this;
}
Ball& Ball::operator*=(const Ball& other) {
    arb_mul(value_, value_, other.value_, precision());
    return *this;
}
Ball& Ball::operator/=(const Ball& other) {
    arb_div(value_, value_, other.value_, precision());
    return *this;
}

Ball sqrt(const Ball& x) {
    Ball result;
    arb_sqrtpos(result.get(), x.get(), precision());
    return result;
}
Ball abs(const Ball& x) {
    Ball result;
    arb_abs(result.get(), x.get());
    return result;
}
Ball max(const Ball& x, const Ball& y) {
    Ball result;
    arb_max(result.get(), x.get(), y.get(), precision());
    return result;
}
Ball exp(const Ball& x) {
    Ball result;
    arb_exp(result.get(), x.get(), precision());
    return result;
}
Ball log1p(const Ball& x) {
    Ball result;
    arb_log1p(result.get(), x.get(), precision());
    return result;
}
Ball tanh(const Ball& x) {
    Ball result;
    arb_tanh(result.get(), x.get(), precision());
    return result;
}
Ball root(const Ball& x, unsigned k) {
    if (k == 0) throw InvalidArgument("root: the order k must be >= 1");
    Ball nonnegative;
    arb_nonnegative_part(nonnegative.get(), x.get());
    Ball result;
    arb_root_ui(result.get(), nonnegative.get(), k, precision());
    return result;
}
Ball log_two() {
    Ball result;
    arb_const_log2(result.get(), precision());
    return result;
}

}  // namespace ncverify
