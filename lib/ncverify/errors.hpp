#pragma once
// The exception hierarchy of ncverify. Every message names the offending input (file,
// key, shape or value) and says what would have been valid.

#include <stdexcept>
#include <string>

namespace ncverify {

/// Base of every error ncverify raises on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A user-supplied option or configuration value is outside its valid range.
class InvalidArgument : public Error {
public:
    using Error::Error;
};

/// Operands whose shapes do not fit the operation.
class ShapeMismatch : public Error {
public:
    using Error::Error;
};

/// A multiprecision number whose precision is not the working precision reached a
/// computation (see scalar/precision.hpp): mixing precisions is refused, not rounded.
class PrecisionMismatch : public Error {
public:
    using Error::Error;
};

/// A NaN or an infinity where a finite number is required.
class NonFiniteValue : public Error {
public:
    using Error::Error;
};

/// A file could not be read, or its content is malformed.
class InputError : public Error {
public:
    using Error::Error;
};

}  // namespace ncverify
