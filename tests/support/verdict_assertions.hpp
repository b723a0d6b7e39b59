#pragma once
// Assertions on checker verdicts shared by the checkers' property tests.

#include <rapidcheck.h>

#include "ncverify/checkers/verdict.hpp"

namespace ncverify::testing {

/// No proof step and not the conclusion certainly fails; when the hypotheses are met,
/// measured/bound <= 1 up to the verdict's rounding tolerance. Prints the whole verdict
/// on failure.
inline void assert_sound(const Verdict& verdict) {
    for (const ProofStepCheck& step : verdict.steps)
        if (step.outcome == Comparison::fails) RC_FAIL("step " + step.id + " fails: " + verdict_details(verdict));
    if (verdict.status == VerdictStatus::violated) RC_FAIL("conclusion fails: " + verdict_details(verdict));
    if (verdict.status != VerdictStatus::hypotheses_not_met) RC_ASSERT(verdict.ratio <= 1.0 + verdict.tolerance);
}

}  // namespace ncverify::testing
