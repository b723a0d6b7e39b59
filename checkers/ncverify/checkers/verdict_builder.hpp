#pragma once
// VerdictBuilder<S>: assembles a Verdict from comparisons made in the working scalar,
// with the tolerance rules and the status rules of verdict.hpp.

#include <fmt/core.h>

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
        if (!finite(lhs) || !finite(rhs) || !finite(magnitude)) return Comparison::undecided;
        const S scale = std::max({abs(lhs), abs(rhs), abs(magnitude)});
        if (lhs <= rhs - tolerance_ * scale) return Comparison::holds;
        if (lhs > rhs + tolerance_ * scale) return Comparison::fails;
        return Comparison::undecided;
    }

    Comparison compare(const S& lhs, const std::string& relation, const S& rhs, const S& magnitude = S(0)) const {
        if (relation == "<=" || relation == "<") return less_or_equal(lhs, rhs, magnitude);
        return less_or_equal(rhs, lhs, magnitude);  // ">=", ">"
    }

    /// A hypothesis "measured relation threshold" (magnitude: see less_or_equal).
    void hypothesis(std::string name, std::string statement, const S& measured, std::string relation, const S& threshold,
                    const S& magnitude = S(0)) {
        if (!finite(measured) || !finite(threshold)) record_out_of_range("hypothesis \"" + name + "\"");
        const Comparison outcome = compare(measured, relation, threshold, magnitude);
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
        if (!finite(lhs) || !finite(rhs) || !finite(magnitude)) record_out_of_range("step " + id);
        Comparison outcome = compare(lhs, relation, rhs, magnitude);
        if (outcome == Comparison::undecided) outcome = Comparison::tight;
        verdict_.steps.push_back({std::move(id), std::move(lhs_name), std::move(relation), std::move(rhs_name),
                                  ScalarTraits<S>::to_double(lhs), ScalarTraits<S>::to_double(rhs), outcome});
    }
    /// An identity lhs = rhs, holding when |lhs - rhs| <= tau * scale.
    void identity(std::string id, std::string lhs_name, const S& lhs, std::string rhs_name, const S& rhs, const S& scale) {
        using std::abs;
        Comparison outcome = abs(lhs - rhs) <= tolerance_ * scale ? Comparison::holds : Comparison::fails;
        if (!finite(lhs) || !finite(rhs) || !finite(scale)) {
            record_out_of_range("step " + id);
            outcome = Comparison::tight;
        }
        verdict_.steps.push_back({std::move(id), std::move(lhs_name), "=", std::move(rhs_name),
                                  ScalarTraits<S>::to_double(lhs), ScalarTraits<S>::to_double(rhs), outcome});
    }
    /// A matrix identity A = B, recorded as ||A - B||_F = 0 at the given scale.
    void matrix_identity(std::string id, std::string name, const S& residual_norm, const S& scale) {
        identity(std::move(id), "||" + name + "||_F", residual_norm, "0", S(0), scale);
    }

    /// The conclusion "measured <= bound" (an upper bound), magnitude as in less_or_equal.
    void conclude(std::string measured_name, const S& measured, std::string bound_name, const S& bound,
                  const S& magnitude = S(0)) {
        set_conclusion(std::move(measured_name), measured, "<=", std::move(bound_name), bound,
                       less_or_equal(measured, bound, magnitude));
        verdict_.ratio = ScalarTraits<S>::to_double(measured / bound);
        verdict_.slack = ScalarTraits<S>::to_double(bound - measured);
    }
    /// The conclusion "measured >= bound" (a lower bound): ratio = bound / measured,
    /// slack = measured - bound.
    void conclude_at_least(std::string measured_name, const S& measured, std::string bound_name, const S& bound,
                           const S& magnitude = S(0)) {
        set_conclusion(std::move(measured_name), measured, ">=", std::move(bound_name), bound,
                       less_or_equal(bound, measured, magnitude));
        verdict_.ratio = ScalarTraits<S>::to_double(bound / measured);
        verdict_.slack = ScalarTraits<S>::to_double(measured - bound);
    }

    /// Whether the bound is informative on this instance, with the rule and its values.
    void informative(bool informative, std::string rule) {
        verdict_.informative = informative;
        verdict_.informative_rule = std::move(rule);
    }

    void note(std::string text) { verdict_.notes.push_back(std::move(text)); }

    /// tau: a comparison whose sides carry an absolute rounding error e is made with
    /// magnitude e / tau.
    const S& tolerance() const { return tolerance_; }

    /// The status from the hypotheses and the conclusion, with its reason (verdict.hpp).
    Verdict finish() {
        const HypothesisCheck* failed_hypothesis = nullptr;
        const HypothesisCheck* undecided_hypothesis = nullptr;
        for (const HypothesisCheck& h : verdict_.hypotheses) {
            if (h.outcome == Comparison::fails && !failed_hypothesis) failed_hypothesis = &h;
            if (h.outcome == Comparison::undecided && !undecided_hypothesis) undecided_hypothesis = &h;
        }
        const ProofStepCheck* failed_step = verdict_.first_failed_step();
        const std::string where = verdict_.precision == "double" ? "double" : verdict_.precision + "-bit MPFR";
        const std::string retry = "rerun with --certified (a proof or refutation in ball arithmetic) or at a higher "
                                  "precision (--precision 256)";
        if (!verdict_.range_exceeded_at.empty()) {
            verdict_.status = VerdictStatus::inconclusive;
            verdict_.reason = fmt::format("a quantity of {} is not finite in {} (the input's magnitudes overflow or "
                                          "underflow it): {}",
                                          verdict_.range_exceeded_at, where, retry);
        } else if (failed_hypothesis) {
            verdict_.status = VerdictStatus::hypotheses_not_met;
            verdict_.reason = fmt::format("the hypothesis \"{}\" ({}) is not met: {:.6g} {} {:.6g} fails, so the "
                                          "theorem does not apply to this network",
                                          failed_hypothesis->name, failed_hypothesis->statement,
                                          failed_hypothesis->measured, failed_hypothesis->relation,
                                          failed_hypothesis->threshold);
        } else if (undecided_hypothesis) {
            verdict_.status = VerdictStatus::inconclusive;
            verdict_.reason = fmt::format("the hypothesis \"{}\" ({}) is within rounding of its threshold ({:.6g} vs "
                                          "{:.6g}) in {}: {}",
                                          undecided_hypothesis->name, undecided_hypothesis->statement,
                                          undecided_hypothesis->measured, undecided_hypothesis->threshold, where, retry);
        } else if (concluded_ && verdict_.conclusion == Comparison::fails) {
            verdict_.status = VerdictStatus::violated;
            verdict_.reason = fmt::format("the conclusion {} {} {} fails although every hypothesis holds; the result "
                                          "is proved ({}), so this is a bug in ncverify or in the proof: please "
                                          "report it with the input",
                                          verdict_.measured_name, verdict_.relation, verdict_.bound_name,
                                          verdict_.proof_note);
        } else if (failed_step) {
            verdict_.status = VerdictStatus::proof_step_failed;
            verdict_.reason = fmt::format("proof step {} ({} {} {}) fails: this is not a counterexample to the "
                                          "theorem but a bug in ncverify (a rounding tolerance or the code) or in "
                                          "{}; please report it with the input",
                                          failed_step->id, failed_step->lhs_name, failed_step->relation,
                                          failed_step->rhs_name, verdict_.proof_note);
        } else if (!concluded_) {
            verdict_.status = VerdictStatus::inconclusive;
            verdict_.reason = "the conclusion could not be evaluated (see the notes)";
        } else if (verdict_.conclusion != Comparison::holds) {
            verdict_.status = VerdictStatus::inconclusive;
            verdict_.reason = fmt::format("the conclusion {} {} {} is within rounding of equality ({:.6g} vs {:.6g}) "
                                          "in {}: {}",
                                          verdict_.measured_name, verdict_.relation, verdict_.bound_name,
                                          verdict_.measured, verdict_.bound, where, retry);
        } else {
            verdict_.status = VerdictStatus::holds;
            verdict_.reason = fmt::format("every hypothesis and the conclusion {} {} {} hold", verdict_.measured_name,
                                          verdict_.relation, verdict_.bound_name);
        }
        return std::move(verdict_);
    }

private:
    void set_conclusion(std::string measured_name, const S& measured, std::string relation, std::string bound_name,
                        const S& bound, Comparison outcome) {
        verdict_.measured_name = std::move(measured_name);
        verdict_.bound_name = std::move(bound_name);
        verdict_.relation = std::move(relation);
        verdict_.measured = ScalarTraits<S>::to_double(measured);
        verdict_.bound = ScalarTraits<S>::to_double(bound);
        verdict_.conclusion = outcome;
        concluded_ = true;
        if (!finite(measured) || !finite(bound)) record_out_of_range("the conclusion");
    }

    static bool finite(const S& x) { return ScalarTraits<S>::is_finite(x); }
    /// The first place where a value left the working scalar's range (the status is then
    /// inconclusive, and the registry re-evaluates a double check in MPFR).
    void record_out_of_range(const std::string& where) {
        if (verdict_.range_exceeded_at.empty()) verdict_.range_exceeded_at = where;
    }

    Verdict verdict_;
    S tolerance_;
    bool concluded_ = false;
};

}  // namespace ncverify
