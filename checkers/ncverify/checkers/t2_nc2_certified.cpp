// Certified T2: the hypotheses of proofs_notes/T2_nc2.md (as check_t2_nc2) and
// kappa_M <= KM_a (step T2.a9, the conclusion of the approximate checker), each side
// enclosed from the exact stored values (certificate.hpp).
#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"

namespace ncverify {

Certificate certify_t2_nc2(const CertifiedState& state, const CheckerOptions& options) {
    const Index K = state.num_classes, L2 = state.linear_layers(), n = state.samples_per_class();
    CertificateBuilder c;
    c.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    c.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    c.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (c.hypothesis_failed()) return c.finish();
    const Index width = smallest_head_width(state);
    c.exact_hypothesis("width", "n_j >= K for L1 <= j < L", double(width), ">=", double(K), width >= K);
    if (c.hypothesis_failed()) return c.finish();

    const CertifiedHead head = enclose_head(state);
    c.hypothesis("interpolation", "||H_L - Y||_op < sqrt(n)", head.e_op, "<", head.sqrt_n);
    if (options.epsilon1) {
        const Ball eps1 = Ball::exact(*options.epsilon1);
        c.hypothesis("eps1 bounds the fit", "||H_L - Y||_F <= eps1", head.e_F, "<=", eps1);
        c.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", eps1, "<", head.sqrt_n);
    }
    if (options.epsilon2 || options.radius) {
        const CertifiedChain chain = enclose_chain(state);
        if (options.epsilon2)
            c.hypothesis("balancedness", "max_j ||D_j||_op <= eps2 (L1 < j < L)", chain.eps2_chain, "<=",
                         Ball::exact(*options.epsilon2));
        if (options.radius) {
            const Ball r = Ball::exact(*options.radius);
            c.hypothesis("radius W_j", "max_j ||W_j||_op <= r (L1 < j <= L)", chain.rho, "<=", r);
            c.hypothesis("radius H_{L-2}", "||H_{L-2}||_op <= r", head.h2_op, "<=", r);
        }
    }
    if (c.hypothesis_failed()) return c.finish();

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
