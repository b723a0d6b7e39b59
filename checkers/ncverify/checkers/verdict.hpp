#pragma once
// Verdict: what a checker returns for one result on one network state.
//
//   hypotheses  each with its measured value, the threshold, and whether it holds;
//   steps       every identity / inequality of the proof (proofs_notes/<result>.md) with
//               its two sides, so that a failure names the step;
//   conclusion  the measured quantity, the bound, their ratio and the slack bound - measured;
//   status      holds | violated | hypotheses_not_met | inconclusive;
//   provenance  paper | explicit | conjecture (THEORY.md §0).
//
// Comparisons are made in the working scalar with a relative tolerance tau (the
// rounding level of the computation, CheckerOptions): lhs <= rhs is
//   "holds"       when lhs <= rhs - tau * max(|lhs|, |rhs|),
//   "fails"       when lhs >  rhs + tau * max(|lhs|, |rhs|),
//   "undecided"   otherwise (a float comparison cannot decide; certified mode can).
// An identity lhs = rhs holds when |lhs - rhs| <= tau * scale for the stated scale.
// The status is
//   hypotheses_not_met  if a hypothesis certainly fails,
//   violated            if a proof step or the conclusion certainly fails,
//   inconclusive        if a hypothesis, step or the conclusion is undecided,
//   holds               otherwise.
// Values are reported rounded to double; decisions are made before rounding.

#include <optional>
#include <string>
#include <vector>

#include "ncverify/checkers/certificate.hpp"

#include <nlohmann/json.hpp>

namespace ncverify {

enum class Provenance { paper, explicit_constants, conjecture };
std::string provenance_name(Provenance provenance);  // "paper", "explicit", "conjecture"

enum class VerdictStatus { holds, violated, hypotheses_not_met, inconclusive };
std::string verdict_status_name(VerdictStatus status);

enum class Comparison { holds, fails, undecided };
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
    double measured = 0, bound = 0;
    double ratio = 0;         // measured / bound
    double slack = 0;         // bound - measured
    Comparison conclusion = Comparison::undecided;
    std::string precision;    // the precision the check ran at
    double tolerance = 0;     // tau
    std::vector<std::string> notes;
    /// Certified mode only (certification.hpp): the rigorous verdict.
    std::optional<Certificate> certificate;

    /// The first proof step that certainly fails, or nullptr.
    const ProofStepCheck* first_failed_step() const;
    nlohmann::json to_json() const;
};

/// A Verdict with its identification filled in (status and values still empty).
Verdict verdict_header(std::string result, std::string title, Provenance provenance, std::string proof_note,
                       std::string precision);

/// A human-readable table: one line per verdict (result, provenance, status, measured,
/// bound, ratio), followed by the failing hypotheses and steps.
std::string verdict_table(const std::vector<Verdict>& verdicts);

/// The same table for one verdict with every hypothesis and step.
std::string verdict_details(const Verdict& verdict);

}  // namespace ncverify
