#pragma once
// Certified mode: runs a checker's certified evaluation up a ladder of precisions until
// one decides (certificate.hpp).
//
// At each rung of `precision_ladder` (bits b, in order) the state is rebuilt from the
// exact stored values with enclosures at b bits, the approximate decompositions are
// computed at b bits (53 = double), and the checker's certify function evaluates its
// hypotheses and conclusion as enclosures. The first rung whose status is not
// `inconclusive` decides and is reported with `deciding_bits`; every rung tried is listed
// in `attempts`. The default ladder, 53 -> 128 -> 256 -> 512 -> 1024, starts with double
// approximations (enclosures about 1e-12 relative wide) because most instances are
// decided there at the cost of a few ball products.

#include <string_view>
#include <vector>

#include "ncverify/checkers/certificate.hpp"
#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/checker_options.hpp"

namespace ncverify {

struct CertificationOptions {
    std::vector<unsigned> precision_ladder{53, 128, 256, 512, 1024};
};

/// "53,128,256": increasing precisions in [53, 4096], comma-separated; throws
/// InvalidArgument naming the text otherwise.
std::vector<unsigned> parse_precision_ladder(std::string_view text);

using CertifyFunction = Certificate (*)(const CertifiedState&, const CheckerOptions&);

Certificate certify_with_escalation(CertifyFunction certify, const CertifiedStateSource& source,
                                    const CheckerOptions& options, const CertificationOptions& certification = {});

/// The same for several checkers at once: each rung's state is built once and shared by
/// the checkers still undecided at that rung. Certificates in the order of `certify`.
std::vector<Certificate> certify_all_with_escalation(const std::vector<CertifyFunction>& certify,
                                                     const CertifiedStateSource& source, const CheckerOptions& options,
                                                     const CertificationOptions& certification = {});

}  // namespace ncverify
