#pragma once
// Run-time choice of the scalar type: one generic code path, instantiated for double
// and for Mpfr, selected by the `precision` option.

#include <utility>

#include "ncverify/scalar/mpfr.hpp"
#include "ncverify/scalar/precision.hpp"

namespace ncverify {

/// Calls `body.template operator()<S>()` with S = double or S = Mpfr according to
/// `precision`; for Mpfr the working precision is set for the duration of the call.
/// Returns what the body returns (the same type for both instantiations).
template <class Body>
decltype(auto) with_scalar(const Precision& precision, Body&& body) {
    if (precision.is_double()) return std::forward<Body>(body).template operator()<double>();
    MpfrPrecisionScope scope(precision);
    return std::forward<Body>(body).template operator()<Mpfr>();
}

}  // namespace ncverify
