#include "ncverify/scalar/scalar_traits.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "ncverify/errors.hpp"

namespace ncverify {

std::string ScalarTraits<double>::to_exact_string(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%a", x);
    return buffer;
}

double ScalarTraits<double>::from_exact_string(std::string_view text) {
    const std::string copy(text);
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(copy.c_str(), &end);
    if (copy.empty() || end != copy.c_str() + copy.size() || errno == ERANGE)
        throw InputError("\"" + copy + "\" is not a valid double");
    return value;
}

std::string ScalarTraits<Mpfr>::to_exact_string(const Mpfr& x) {
    char* raw = nullptr;
    if (mpfr_asprintf(&raw, "%Ra", x.backend().data()) < 0) throw Error("mpfr_asprintf failed");
    std::string result(raw);
    mpfr_free_str(raw);
    return result;
}

Mpfr ScalarTraits<Mpfr>::from_exact_string(std::string_view text) {
    const std::string copy(text);
    Mpfr value;
    char* end = nullptr;
    mpfr_strtofr(value.backend().data(), copy.c_str(), &end, 0, MPFR_RNDN);
    if (copy.empty() || end != copy.c_str() + copy.size())
        throw InputError("\"" + copy + "\" is not a valid MPFR number");
    return value;
}

}  // namespace ncverify
