#pragma once
// Verdict: what a checker returns for one result on one network state.
//
//   hypotheses  each with its measured value, the threshold, and whether it holds;
//   conclusion  the measured quantity, the relation ("<=" for an upper bound, ">=" for a
//               lower bound), the bound, their ratio and the slack;
//   steps       every identity / inequality of the proof (proofs_notes/<result>.md) with
//               its two sides: diagnostics that name where a proof step is tight or, if
//               ever, fails;
//   informative whether the bound says anything on this instance, by the rule of the
//               result's proof note (section "When the bound is informative");
//   status      holds | violated | hypotheses_not_met | inconclusive | proof_step_failed,
//               with `reason`, a sentence for the user;
//   provenance  paper | explicit | conjecture (THEORY.md §0).
//
// Comparisons are made in the working scalar with a relative tolerance tau (the
// rounding level of the computation, CheckerOptions) times a rounding scale: for
// lhs <= rhs the scale is max(|lhs|, |rhs|, magnitude), where `magnitude` is the size of
// the data both sides are computed from (stated, with its one-line derivation, next to
// each check). lhs <= rhs is
//   "holds"       when lhs <= rhs - tau * scale,
//   "fails"       when lhs >  rhs + tau * scale,
//   "undecided"   otherwise (a float comparison cannot decide; certified mode can);
// a proof step that is undecided is "tight" (equal within rounding). An identity
// lhs = rhs holds when |lhs - rhs| <= tau * scale.
//
// The status depends on the theorem's hypotheses and its conclusion only:
//   hypotheses_not_met  a hypothesis certainly fails (the theorem says nothing here);
//   violated            every hypothesis holds and the conclusion certainly fails: for a
//                       proved result this is a bug (in ncverify or in the proof);
//   proof_step_failed   hypotheses and conclusion are not refuted but a proof step
//                       certainly fails: a bug in the checker, in the proof or in a
//                       rounding tolerance, never a counterexample; please report it;
//   inconclusive        a hypothesis or the conclusion is within rounding of its
//                       threshold, or a quantity left the range of the working scalar:
//                       `reason` names it and what to try (--certified, a precision);
//   holds               every hypothesis and the conclusion certainly hold.
// Tight steps are reported but never change the status. Values are reported rounded to
// double (a value outside double's range is reported as a decimal string); decisions are
// made before rounding.

#include <optional>
#include <string>
#include <vector>

#include "ncverify/checkers/certificate.hpp"

#include <nlohmann/json.hpp>

namespace ncverify {

enum class Provenance { paper, explicit_constants, conjecture };
std::string provenance_name(Provenance provenance);  // "paper", "explicit", "conjecture"

enum class VerdictStatus { holds, violated, hypotheses_not_met, inconclusive, proof_step_failed };
std::string verdict_status_name(VerdictStatus status);

/// holds / fails / undecided; `tight` is a proof step's undecided outcome (equal within
/// rounding), a diagnostic.
enum class Comparison { holds, fails, undecided, tight };
std::string comparison_name(Comparison comparison);

struct HypothesisCheck {
    std::string name;         // e.g. "interpolation"
    std::string statement;    // e.g. "||E||_op < sqrt(n)"
    double measured = 0;      // left side
    std::string relation;     // "<", "<=", ">=", ...
    double threshold = 0;     // right side
    Comparison outcome = Comparison::holds;
};

struct ProofStepCheck {
    std::string id;           // e.g. "T1.13", as in proofs_notes/
    std::string lhs_name, relation, rhs_name;
    double lhs = 0, rhs = 0;
    Comparison outcome = Comparison::holds;
};

struct Verdict {
    std::string result;       // "T1"
    std::string title;        // "interpolation + balancedness => NC1"
    Provenance provenance = Provenance::explicit_constants;
    std::string proof_note;   // "proofs_notes/T1_nc1.md"
    VerdictStatus status = VerdictStatus::inconclusive;
    std::vector<HypothesisCheck> hypotheses;
    std::vector<ProofStepCheck> steps;
    std::string measured_name, bound_name;
    std::string relation = "<=";  // the conclusion: measured <= bound, or measured >= bound
    double measured = 0, bound = 0;
    double ratio = 0;         // measured / bound ("<=") or bound / measured (">="): <= 1 when it holds
    double slack = 0;         // bound - measured ("<=") or measured - bound (">="): >= 0 when it holds
    Comparison conclusion = Comparison::undecided;
    /// Whether the bound says something on this instance (the proof note's rule, stated in
    /// `informative_rule` with its values); empty when no bound was computed.
    std::optional<bool> informative;
    std::string informative_rule;
    /// Why the status is what it is, for the user: the failing hypothesis, the undecided
    /// comparison and what to try, or the failing step and where to report it.
    std::string reason;
    /// The first hypothesis, step or conclusion whose value is not finite in the working
    /// scalar (overflow, or a NaN from it); empty when every value is finite.
    std::string range_exceeded_at;
    std::string precision;    // the precision the check ran at
    double tolerance = 0;     // tau
    std::vector<std::string> notes;
    /// Certified mode only (certification.hpp): the rigorous verdict.
    std::optional<Certificate> certificate;

    /// The first proof step that certainly fails, or nullptr.
    const ProofStepCheck* first_failed_step() const;
    /// The proof steps equal within rounding (outcome tight).
    std::vector<std::string> tight_steps() const;
    nlohmann::json to_json() const;
};

/// A Verdict with its identification filled in (status and values still empty).
Verdict verdict_header(std::string result, std::string title, Provenance provenance, std::string proof_note,
                       std::string precision);

/// A human-readable table: one line per verdict (result, provenance, status, certified
/// status, the conclusion "measured <=|>= bound" with both values, ratio, informative),
/// followed by the reason, the hypotheses that do not hold, the steps that are tight or
/// fail, and the notes.
std::string verdict_table(const std::vector<Verdict>& verdicts);

/// The same table for one verdict with every hypothesis and step.
std::string verdict_details(const Verdict& verdict);

}  // namespace ncverify
