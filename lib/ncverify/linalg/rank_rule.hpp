#pragma once
// RankRule: how many singular values count as nonzero. Every rank-dependent quantity
// (condition number, pseudo-inverse, numerical rank) takes one explicitly.
//
// - relative_threshold(tau): sigma_i counts iff sigma_i > tau * sigma_1.
// - working_precision() (the default): tau = max(m, n) * epsilon of the scalar, the
//   rule of NumPy's matrix_rank and MATLAB's rank, tied to the working precision, so
//   256-bit runs resolve far smaller singular values than double.
// - fixed(r): the r largest singular values count (e.g. r = K - 1 for centred class
//   means); r larger than min(m, n) throws InvalidArgument when applied.

#include <algorithm>
#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

class RankRule {
public:
    static RankRule working_precision() { return RankRule(Kind::working_precision, 0.0, 0); }
    static RankRule relative_threshold(double tau) {
        if (!(tau >= 0.0 && tau < 1.0))
            throw InvalidArgument("rank rule: relative threshold " + std::to_string(tau) + " must lie in [0, 1)");
        return RankRule(Kind::relative_threshold, tau, 0);
    }
    static RankRule fixed(Index rank) {
        if (rank < 0) throw InvalidArgument("rank rule: fixed rank must be >= 0, got " + std::to_string(rank));
        return RankRule(Kind::fixed, 0.0, rank);
    }

    /// Number of the descending `singular_values` (of an m x n matrix) that count as nonzero.
    template <class S>
    Index rank(const Vector<S>& singular_values, Index rows, Index cols) const {
        const Index available = singular_values.size();
        if (kind_ == Kind::fixed) {
            if (fixed_rank_ > available)
                throw InvalidArgument("rank rule: fixed rank " + std::to_string(fixed_rank_) +
                                      " exceeds the number of singular values " + std::to_string(available));
            return fixed_rank_;
        }
        if (available == 0 || singular_values(0) == 0) return 0;
        const S tau = kind_ == Kind::relative_threshold ? S(tau_)
                                                        : S(std::max(rows, cols)) * ScalarTraits<S>::epsilon();
        const S cutoff = tau * singular_values(0);
        Index r = 0;
        while (r < available && singular_values(r) > cutoff) ++r;
        return r;
    }

    std::string describe() const {
        switch (kind_) {
            case Kind::working_precision: return "sigma_i > max(m,n)*eps*sigma_1";
            case Kind::relative_threshold: return "sigma_i > " + std::to_string(tau_) + "*sigma_1";
            case Kind::fixed: return "fixed rank " + std::to_string(fixed_rank_);
        }
        return {};
    }

private:
    enum class Kind { working_precision, relative_threshold, fixed };
    RankRule(Kind kind, double tau, Index rank) : kind_(kind), tau_(tau), fixed_rank_(rank) {}
    Kind kind_;
    double tau_;
    Index fixed_rank_;
};

}  // namespace ncverify
