#include "ncverify/scalar/precision.hpp"

#include <boost/multiprecision/detail/digits.hpp>
#include <charconv>

namespace ncverify {

unsigned boost_bits_for_digits10(unsigned digits10) {
    return static_cast<unsigned>(boost::multiprecision::detail::digits10_2_2(digits10));
}

unsigned boost_digits10_for_bits(unsigned bits) {
    unsigned digits10 = 1;
    while (boost_bits_for_digits10(digits10) < bits) ++digits10;
    return digits10;
}

Precision Precision::mpfr_bits(unsigned requested_bits) {
    if (requested_bits < min_mpfr_bits || requested_bits > max_mpfr_bits)
        throw InvalidArgument("precision: " + std::to_string(requested_bits) +
                              " bits is out of range; use \"double\" or a number of bits in [" +
                              std::to_string(min_mpfr_bits) + ", " + std::to_string(max_mpfr_bits) + "]");
    return Precision(requested_bits);
}

Precision Precision::parse(std::string_view text) {
    if (text == "double") return ieee_double();
    unsigned bits = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bits);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        throw InvalidArgument("precision: \"" + std::string(text) +
                              "\" is not \"double\" or a number of bits in [" + std::to_string(min_mpfr_bits) +
                              ", " + std::to_string(max_mpfr_bits) + "]");
    return mpfr_bits(bits);
}

unsigned Precision::boost_digits10() const {
    return is_double() ? 0 : boost_digits10_for_bits(requested_bits_);
}

unsigned Precision::effective_bits() const {
    return is_double() ? 53 : boost_bits_for_digits10(boost_digits10());
}

std::string Precision::to_string() const {
    return is_double() ? "double" : std::to_string(requested_bits_);
}

std::string Precision::describe() const {
    if (is_double()) return "double (IEEE binary64, 53 bits)";
    return "mpfr " + std::to_string(requested_bits_) + " bits (" + std::to_string(effective_bits()) + " used)";
}

unsigned working_precision_bits() { return boost_bits_for_digits10(Mpfr::default_precision()); }

MpfrPrecisionScope::MpfrPrecisionScope(const Precision& precision)
    : saved_digits10_(Mpfr::default_precision()) {
    if (!precision.is_double()) Mpfr::default_precision(precision.boost_digits10());
}

MpfrPrecisionScope::~MpfrPrecisionScope() { Mpfr::default_precision(saved_digits10_); }

}  // namespace ncverify
