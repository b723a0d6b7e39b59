// Certified T2: the hypotheses of proofs_notes/T2_nc2.md (as check_t2_nc2) and
// kappa_M <= KM_a (step T2.a9, the conclusion of the approximate checker), each side
// enclosed from the exact stored values (certificate.hpp).
#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"

namespace ncverify {

Certificate certify_t2_nc2(const CertifiedState& state, const CheckerOptions& options) {
    CertificateBuilder c;
    const std::optional<CertifiedHead> evaluated = certify_theorem_31_hypotheses(state, options, c);
    if (!evaluated) return c.finish();
    const CertifiedHead& head = *evaluated;
    const Index K = state.num_classes, n = state.samples_per_class();

    const ClassStatisticsEnclosure stats = enclose_class_statistics(head.Z, state.labels, K);
    const SingularValueEnclosure sv_M = enclose_singular_values(stats.class_means, state.bits);
    const Ball kappa_M = sv_M.condition_number(K);
    const Ball kappa_W = head.sv_W.condition_number(K);
    const Ball delta = head.e_op / head.sqrt_n;
    const Ball bound = t2_class_mean_condition_bound(kappa_W, delta, head.sv_W.spectral_norm(), head.h2_op, head.beta, n);
    c.conclude("kappa_M = kappa(class means of H_{L-1})", kappa_M, "KM_a (T2.a9)", bound);
    return c.finish();
}

}  // namespace ncverify
