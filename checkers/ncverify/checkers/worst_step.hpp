#pragma once
// WorstStep<S>: the per-step record of one inequality `small <= large` checked at every
// step of a trajectory (the trajectory checkers L1 and T4).

#include <fmt/core.h>

#include <algorithm>
#include <string>

#include "ncverify/checkers/verdict_builder.hpp"

namespace ncverify {

/// Each step is decided with the rule of verdict.hpp (tolerance tau, rounding measured
/// against max(|small|, |large|, scale)); kept are the decided step with the largest ratio
/// small/large, the undecided step (within rounding) with the largest ratio, and the
/// number of undecided and of checked steps. Since the rule depends on the two sides only
/// through their ratio (for a fixed scale), the step kept decides for all: if it holds,
/// every decided step holds.
template <class S>
struct WorstStep {
    /// One kept step: both sides, the magnitude, the ratio small/large and the step t.
    struct Kept {
        S lhs = S(0), rhs = S(0), magnitude = S(0);
        double ratio = -1;
        Index step = -1;
        void keep_if_worse(const S& small_side, const S& large_side, const S& scale, double r, Index t) {
            if (step >= 0 && r <= ratio) return;
            lhs = small_side;
            rhs = large_side;
            magnitude = scale;
            ratio = r;
            step = t;
        }
    };
    Kept decided, within_rounding;
    Index undecided = 0, checked = 0;

    void update(const S& small_side, const S& large_side, Index t, const S& tau, const S& scale = S(0)) {
        using std::abs;
        ++checked;
        const double r = ScalarTraits<S>::to_double(small_side / large_side);
        const S size = std::max({abs(small_side), abs(large_side), abs(scale)});
        if (small_side <= large_side - tau * size || small_side > large_side + tau * size) {
            decided.keep_if_worse(small_side, large_side, scale, r, t);
        } else {
            ++undecided;
            within_rounding.keep_if_worse(small_side, large_side, scale, r, t);
        }
    }

    /// Adds up to two steps to `v`: the decided step with the largest ratio and, if any, the
    /// undecided one, named with the step t and the counts (each re-decided by the builder
    /// with the same magnitude). `relation` "<=" reports small <= large, ">=" large >= small.
    void report(VerdictBuilder<S>& v, const std::string& id, const std::string& lhs_name, const std::string& relation,
                const std::string& rhs_name) const {
        const auto add = [&](const Kept& kept, const std::string& name) {
            if (relation == "<=")
                v.step(id, name, kept.lhs, "<=", rhs_name, kept.rhs, kept.magnitude);
            else
                v.step(id, name, kept.rhs, ">=", rhs_name, kept.lhs, kept.magnitude);
        };
        if (decided.step >= 0)
            add(decided, fmt::format("{} (worst decided t = {}; {} steps checked)", lhs_name, decided.step, checked));
        if (within_rounding.step >= 0)
            add(within_rounding, fmt::format("{} (t = {}; {} of {} steps within rounding)", lhs_name,
                                             within_rounding.step, undecided, checked));
    }
};

}  // namespace ncverify
