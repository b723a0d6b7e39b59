#pragma once
// The working precision of a run: the user-facing `precision` option, and the one
// place where the precision of newly created MPFR numbers is set.
//
// Contract.
// - `Precision::parse` accepts "double" (IEEE binary64) or a number of bits in
//   [53, 4096] (MPFR).
// - Boost 1.74 sets MPFR precision in decimal digits, and a number created at d digits
//   carries digits10_2_2(d) = floor(1000 d / 301) + (1000 d mod 301 ? 2 : 1) bits. A
//   request for b bits therefore uses the smallest d whose bit count is >= b, and the
//   numbers carry `effective_bits()` >= b bits: 53 -> 55, 113 -> 114, 128 -> 128,
//   256 -> 257, 512 -> 513, 1024 -> 1025. `effective_bits()` is what every result has.
// - The precision is set once per run by a `MpfrPrecisionScope`, before any matrix
//   exists. The setting is process-global (Boost's default precision): MPFR code must
//   not run concurrently at different precisions.
// - Mixing is detected, not rounded away: the linear-algebra entry points call
//   `require_working_precision`, which throws PrecisionMismatch when an operand was
//   created at another precision. `convert_precision` (linalg/matrix.hpp) converts
//   explicitly.

#include <string>
#include <string_view>

#include "ncverify/errors.hpp"
#include "ncverify/scalar/mpfr.hpp"

namespace ncverify {

inline constexpr unsigned min_mpfr_bits = 53;
inline constexpr unsigned max_mpfr_bits = 4096;

/// Bits carried by a Boost mpfr_float created at `digits10` decimal digits.
unsigned boost_bits_for_digits10(unsigned digits10);
/// Smallest decimal-digit setting whose numbers carry at least `bits` bits.
unsigned boost_digits10_for_bits(unsigned bits);

/// The `precision` option: IEEE double, or MPFR at a number of bits.
class Precision {
public:
    /// IEEE binary64 through `double`.
    static Precision ieee_double() { return Precision(0); }
    /// MPFR with at least `requested_bits` bits; throws InvalidArgument outside [53, 4096].
    static Precision mpfr_bits(unsigned requested_bits);
    /// "double" or a decimal number of bits; throws InvalidArgument naming the text.
    static Precision parse(std::string_view text);

    bool is_double() const { return requested_bits_ == 0; }
    /// Bits the user asked for (53 for double).
    unsigned requested_bits() const { return is_double() ? 53 : requested_bits_; }
    /// Bits every number of the run actually carries (53 for double).
    unsigned effective_bits() const;
    /// Boost's decimal-digit setting (0 for double).
    unsigned boost_digits10() const;
    /// "double" or the requested bit count, as `parse` accepts it.
    std::string to_string() const;
    /// Human-readable, e.g. "mpfr 256 bits (257 used)".
    std::string describe() const;

    friend bool operator==(const Precision&, const Precision&) = default;

private:
    explicit Precision(unsigned requested_bits) : requested_bits_(requested_bits) {}
    unsigned requested_bits_;  // 0 means IEEE double
};

/// Bits a freshly created Mpfr carries now.
unsigned working_precision_bits();

/// Sets the precision of newly created Mpfr numbers for the lifetime of the scope and
/// restores the previous setting on exit. Scopes nest. A double `Precision` leaves the
/// MPFR setting untouched.
class MpfrPrecisionScope {
public:
    explicit MpfrPrecisionScope(const Precision& precision);
    ~MpfrPrecisionScope();
    MpfrPrecisionScope(const MpfrPrecisionScope&) = delete;
    MpfrPrecisionScope& operator=(const MpfrPrecisionScope&) = delete;

private:
    unsigned saved_digits10_;
};

/// Throws PrecisionMismatch (naming `what`, the offending precision and the working
/// one) unless every entry of `m` carries exactly the working precision. No-op for
/// double. Costs one pass over the entries: callers use it on O(n^3) operations.
template <class Derived>
void require_working_precision(const Eigen::DenseBase<Derived>& m, std::string_view what) {
    if constexpr (std::is_same_v<typename Derived::Scalar, Mpfr>) {
        const unsigned working = working_precision_bits();
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            for (Eigen::Index i = 0; i < m.rows(); ++i) {
                const unsigned bits = precision_bits_of(m.derived().coeff(i, j));
                if (bits != working)
                    throw PrecisionMismatch(std::string(what) + ": entry (" + std::to_string(i) + ", " +
                                            std::to_string(j) + ") carries " + std::to_string(bits) +
                                            " bits but the working precision is " +
                                            std::to_string(working) +
                                            " bits; convert it with convert_precision first");
            }
    }
}

}  // namespace ncverify
