#pragma once
// ArbMatrix: the ball (midpoint-radius) matrix representation of ncverify, an owning
// wrapper of FLINT/Arb's arb_mat_t.
//
// Why balls and not MPFI intervals (measured, shared/notes/MULTIPRECISION.md): Arb's
// ball products are 15-40x faster than mpfi_float products through Eigen, and Eigen's
// decompositions on mpfi_float abort the process. Certified mode computes enclosures
// on ArbMatrix; the approximate MPFR path borrows Arb's product (approx_multiply).
//
// Conversions from double and Mpfr are exact (midpoint = the number, radius 0).

#include <arb_mat.h>

#include <utility>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

class ArbMatrix {
public:
    ArbMatrix(Index rows, Index cols) { arb_mat_init(m_, rows, cols); }
    ~ArbMatrix() { arb_mat_clear(m_); }
    ArbMatrix(const ArbMatrix&) = delete;
    ArbMatrix& operator=(const ArbMatrix&) = delete;
    ArbMatrix(ArbMatrix&& other) noexcept {
        *m_ = *other.m_;
        arb_mat_init(other.m_, 0, 0);
    }
    ArbMatrix& operator=(ArbMatrix&& other) noexcept {
        std::swap(*m_, *other.m_);
        return *this;
    }

    /// The exact ball matrix of a double or Mpfr matrix (radii zero).
    template <class Derived>
    static ArbMatrix exact(const Eigen::MatrixBase<Derived>& m) {
        using S = typename Derived::Scalar;
        ArbMatrix result(m.rows(), m.cols());
        for (Index i = 0; i < m.rows(); ++i)
            for (Index j = 0; j < m.cols(); ++j) {
                arb_ptr entry = result.entry(i, j);
                if constexpr (std::is_same_v<S, double>)
                    arb_set_d(entry, m.derived().coeff(i, j));
                else
                    arf_set_mpfr(arb_midref(entry), m.derived().coeff(i, j).backend().data());
            }
        return result;
    }

    Index rows() const { return arb_mat_nrows(m_); }
    Index cols() const { return arb_mat_ncols(m_); }
    arb_mat_struct* get() { return m_; }
    const arb_mat_struct* get() const { return m_; }
    arb_ptr entry(Index i, Index j) { return arb_mat_entry(m_, i, j); }
    arb_srcptr entry(Index i, Index j) const { return arb_mat_entry(m_, i, j); }

    /// Midpoints rounded to nearest, at the working precision (S = Mpfr) or to double.
    template <class S>
    Matrix<S> midpoints() const {
        Matrix<S> result(rows(), cols());
        for (Index i = 0; i < rows(); ++i)
            for (Index j = 0; j < cols(); ++j) {
                if constexpr (std::is_same_v<S, double>)
                    result(i, j) = arf_get_d(arb_midref(entry(i, j)), ARF_RND_NEAR);
                else
                    arf_get_mpfr(result(i, j).backend().data(), arb_midref(entry(i, j)), MPFR_RNDN);
            }
        return result;
    }

private:
    arb_mat_t m_;
};

/// C ≈ A·B at `bits` of working precision, midpoints only (arb_mat_approx_mul): no error
/// bound, accuracy comparable to a floating-point product at `bits` bits.
ArbMatrix approx_multiply(const ArbMatrix& a, const ArbMatrix& b, unsigned bits);

/// C ∋ A·B rigorously: every entry of the result is a ball containing the exact
/// entry of the product of any matrices inside the operand balls (arb_mat_mul).
ArbMatrix certified_multiply(const ArbMatrix& a, const ArbMatrix& b, unsigned bits);

}  // namespace ncverify
