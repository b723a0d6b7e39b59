#pragma once
// VerdictBuilder<S>: assembles a Verdict from comparisons made in the working scalar,
// with the tolerance rules of verdict.hpp.

#include <string>

#include "ncverify/checkers/verdict.hpp"
#include "ncverify/scalar/scalar_traits.hpp"

namespace ncverify {

template <class S>
class VerdictBuilder {
public:
    VerdictBuilder(Verdict header, S tolerance) : verdict_(std::move(header)), tolerance_(std::move(tolerance)) {
        verdict_.tolerance = ScalarTraits<S>::to_double(tolerance_);
    }

    /// Outcome of lhs <= rhs (also used for <, and for >= with the sides swapped), with
    /// rounding measured against max(|lhs|, |rhs|, magnitude): `magnitude` is the size of
    /// the data both sides are computed from, for sides that are zero in exact arithmetic
    /// (e.g. a component in an empty subspace) and only rounding noise in floating point.
    Comparison less_or_equal(const S& lhs, const S& rhs, const S& magnitude = S(0)) const {
        using std::abs;
        const S scale = std::max({abs(lhs), abs(rhs), abs(magnitude)});
        if (lhs <= rhs - tolerance_ * scale) return Comparison::holds;
        if (lhs > rhs + tolerance_ * scale) return Comparison::fails;
        return Comparison::undecided;
    }

    Comparison compare(const S& lhs, const std::string& relation, const S& rhs, const S& magnitude = S(0)) const {
        if (relation == "<=" || relation == "<") return less_or_equal(lhs, rhs, magnitude);
        return less_or_equal(rhs, lhs, magnitude);  // ">=", ">"
    }

    void hypothesis(std::string name, std::string statement, const S& measured, std::string relation, const S& threshold) {
        const Comparison outcome = compare(measured, relation, threshold);
        verdict_.hypotheses.push_back({std::move(name), std::move(statement), ScalarTraits<S>::to_double(measured),
                                       std::move(relation), ScalarTraits<S>::to_double(threshold), outcome});
    }
    /// A hypothesis decided exactly (integers, shapes).
    void exact_hypothesis(std::string name, std::string statement, double measured, std::string relation,
                          double threshold, bool holds) {
        verdict_.hypotheses.push_back({std::move(name), std::move(statement), measured, std::move(relation), threshold,
                                       holds ? Comparison::holds : Comparison::fails});
    }

    /// An inequality step "lhs <= rhs" or "lhs >= rhs" (magnitude: see less_or_equal).
    void step(std::string id, std::string lhs_name, const S& lhs, std::string relation, std::string rhs_name,
              const S& rhs, const S& magnitude = S(0)) {
        const Comparison outcome = compare(lhs, relation, rhs, magnitude);
        verdict_.steps.push_back({std::move(id), std::move(lhs_name), std::move(relation), std::move(rhs_name),
                                  ScalarTraits<S>::to_double(lhs), ScalarTraits<S>::to_double(rhs), outcome});
    }
    /// An identity lhs = rhs, holding when |lhs - rhs| <= tau * scale.
    void identity(std::string id, std::string lhs_name, const S& lhs, std::string rhs_name, const S& rhs, const S& scale) {
        using std::abs;
        const Comparison outcome = abs(lhs - rhs) <= tolerance_ * scale ? Comparison::holds : Comparison::fails;
        verdict_.steps.push_back({std::move(id), std::move(lhs_name), "=", std::move(rhs_name),
                                  ScalarTraits<S>::to_double(lhs), ScalarTraits<S>::to_double(rhs), outcome});
    }
    /// A matrix identity A = B, recorded as ||A - B||_F = 0 at the given scale.
    void matrix_identity(std::string id, std::string name, const S& residual_norm, const S& scale) {
        identity(std::move(id), "||" + name + "||_F", residual_norm, "0", S(0), scale);
    }

    void conclude(std::string measured_name, const S& measured, std::string bound_name, const S& bound,
                  const S& magnitude = S(0)) {
        verdict_.measured_name = std::move(measured_name);
        verdict_.bound_name = std::move(bound_name);
        verdict_.measured = ScalarTraits<S>::to_double(measured);
        verdict_.bound = ScalarTraits<S>::to_double(bound);
        verdict_.ratio = ScalarTraits<S>::to_double(measured / bound);
        verdict_.slack = ScalarTraits<S>::to_double(bound - measured);
        verdict_.conclusion = less_or_equal(measured, bound, magnitude);
        concluded_ = true;
    }

    void note(std::string text) { verdict_.notes.push_back(std::move(text)); }

    /// The status from hypotheses, steps and conclusion (verdict.hpp).
    Verdict finish() {
        bool hypothesis_fails = false, undecided = !concluded_ || verdict_.conclusion == Comparison::undecided;
        bool violated = concluded_ && verdict_.conclusion == Comparison::fails;
        for (const HypothesisCheck& h : verdict_.hypotheses) {
            hypothesis_fails |= h.outcome == Comparison::fails;
            undecided |= h.outcome == Comparison::undecided;
        }
        for (const ProofStepCheck& s : verdict_.steps) {
            violated |= s.outcome == Comparison::fails;
            undecided |= s.outcome == Comparison::undecided;
        }
        verdict_.status = hypothesis_fails ? VerdictStatus::hypotheses_not_met
                          : violated       ? VerdictStatus::violated
                          : undecided      ? VerdictStatus::inconclusive
                                           : VerdictStatus::holds;
        return std::move(verdict_);
    }

private:
    Verdict verdict_;
    S tolerance_;
    bool concluded_ = false;
};

}  // namespace ncverify
