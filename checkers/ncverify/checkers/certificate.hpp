#pragma once
// Certificate: the certified-mode part of a Verdict. Every number in it is a rigorous
// enclosure computed in ball arithmetic from the exact stored weights and data
// (lib/ncverify/enclosure/), reported as an interval rounded outward to doubles.
//
//   status  proved              every hypothesis certainly holds and bound - measured is
//                               certainly > 0: a proof of the conclusion for this instance;
//           refuted             every hypothesis certainly holds and bound - measured is
//                               certainly < 0;
//           hypotheses_not_met  some hypothesis certainly fails;
//           inconclusive        an enclosure overlaps its threshold at every precision tried.
//   attempts       one per precision of the ladder that was tried, in order, with its
//                  status and time; the last attempt is the one reported;
//   deciding_bits  the precision of the attempt that decided (0 when none did).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ncverify {

enum class CertifiedStatus { proved, refuted, hypotheses_not_met, inconclusive };
std::string certified_status_name(CertifiedStatus status);

/// A rigorous enclosure lower <= x <= upper (outward-rounded doubles).
struct Interval {
    double lower = 0, upper = 0;
};

/// Outcome of a comparison of two enclosures: holds / fails only when certain.
enum class CertifiedComparison { holds, fails, undecided };
std::string certified_comparison_name(CertifiedComparison comparison);

struct CertifiedHypothesis {
    std::string name, statement;
    Interval measured;
    std::string relation;
    Interval threshold;
    CertifiedComparison outcome = CertifiedComparison::undecided;
};

struct CertificationAttempt {
    unsigned bits = 0;  // precision of the approximate decompositions and of the balls
    CertifiedStatus status = CertifiedStatus::inconclusive;
    double seconds = 0;
};

struct Certificate {
    CertifiedStatus status = CertifiedStatus::inconclusive;
    unsigned deciding_bits = 0;
    std::vector<CertificationAttempt> attempts;
    std::vector<CertifiedHypothesis> hypotheses;
    std::string measured_name, bound_name;  // the claim is measured <= bound, or >= for relation ">="
    std::string relation = "<=";
    Interval measured, bound, slack;        // slack = bound - measured (">=": measured - bound), > 0 when proved
    std::vector<std::string> notes;

    nlohmann::json to_json() const;
};

}  // namespace ncverify
