#pragma once
// CertificateBuilder: assembles a Certificate from enclosures (Ball), with the rules of
// certificate.hpp. A comparison "x < y" or "x <= y" holds only when it holds for every
// pair of values in the two balls, fails only when the opposite holds for every pair,
// and is undecided otherwise. No tolerance is involved: the balls already account for
// every rounding error.

#include <string>

#include "ncverify/checkers/certificate.hpp"
#include "ncverify/enclosure/ball.hpp"

namespace ncverify {

class CertificateBuilder {
public:
    /// relation: "<", "<=", ">", ">=".
    static CertifiedComparison compare(const Ball& lhs, const std::string& relation, const Ball& rhs);

    /// A hypothesis decided exactly (integers, shapes).
    void exact_hypothesis(std::string name, std::string statement, double measured, std::string relation,
                          double threshold, bool holds);
    void hypothesis(std::string name, std::string statement, const Ball& measured, std::string relation,
                    const Ball& threshold);
    /// The claim measured <= bound.
    void conclude(std::string measured_name, const Ball& measured, std::string bound_name, const Ball& bound);
    /// The claim measured >= bound (a lower bound): slack = measured - bound.
    void conclude_at_least(std::string measured_name, const Ball& measured, std::string bound_name, const Ball& bound);
    void note(std::string text) { certificate_.notes.push_back(std::move(text)); }

    /// True when some hypothesis certainly fails (the rest need not be evaluated).
    bool hypothesis_failed() const;

    /// The status from the hypotheses and the claim.
    Certificate finish();

private:
    Certificate certificate_;
    bool concluded_ = false;
    CertifiedComparison claim_ = CertifiedComparison::undecided;
};

/// The outward-rounded interval of a ball.
Interval interval_of(const Ball& ball);

}  // namespace ncverify
