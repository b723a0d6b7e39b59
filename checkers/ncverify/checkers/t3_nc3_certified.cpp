// Certified T3: the hypotheses of proofs_notes/T3_nc3.md (as check_t3_nc3) and
// LB3 <= nc3 (step T3.11, the conclusion of the approximate checker), each side enclosed
// from the exact stored values (certificate.hpp).
#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/t3_nc3.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"

namespace ncverify {

Certificate certify_t3_nc3(const CertifiedState& state, const CheckerOptions& options) {
    CertificateBuilder c;
    const std::optional<CertifiedHead> evaluated = certify_theorem_31_hypotheses(state, options, c);
    if (!evaluated) return c.finish();
    const CertifiedHead& head = *evaluated;
    const Index K = state.num_classes, L2 = state.linear_layers(), n = state.samples_per_class();

    // nc3 = mean_c <w_c, mu_c> / sqrt(||w_c||^2 ||mu_c||^2), with w_c the rows of W_L.
    const ClassStatisticsEnclosure stats = enclose_class_statistics(head.Z, state.labels, K);
    const ArbMatrix W_columns = transpose(state.head_weight(L2));  // column c = w_c
    Ball cosine_sum;
    for (Index k = 0; k < K; ++k) {
        const Ball inner = certified_column_dot(W_columns, k, stats.class_means, k);
        const Ball norms = certified_column_dot(W_columns, k, W_columns, k) *
                           certified_column_dot(stats.class_means, k, stats.class_means, k);
        cosine_sum += inner / sqrt(norms);
    }
    const Ball nc3 = cosine_sum / Ball(static_cast<long>(K));
    const Ball& s1_W = head.sv_W.spectral_norm();
    const Ball perp_squared = s1_W * s1_W * head.h2_op * head.h2_op * head.beta / Ball(static_cast<long>(n));
    const Ball lower_bound = nc3_lower_bound(head.sv_W.condition_number(K), head.e_op / head.sqrt_n, perp_squared);
    c.conclude_at_least("NC3 = mean_c cos(mu_c, w_c)", nc3, "LB3 (lower bound, T3.11)", lower_bound);
    return c.finish();
}

}  // namespace ncverify
