// Certified T1: the hypotheses of proofs_notes/T1_nc1.md §2.2 and nc1 <= B_meas, each
// side enclosed from the exact stored values (certificate.hpp). With the user's eps1,
// eps2, r the corresponding hypotheses are certified too.
#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/t1_nc1.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"

namespace ncverify {

Certificate certify_t1_nc1(const CertifiedState& state, const CheckerOptions& options) {
    const Index K = state.num_classes, L2 = state.linear_layers(), n = state.samples_per_class();
    CertificateBuilder c;
    c.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    c.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    c.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (c.hypothesis_failed()) return c.finish();

    const CertifiedHead head = enclose_head(state);
    c.hypothesis("interpolation", "||H_L - Y||_op < sqrt(n)", head.e_op, "<", head.sqrt_n);
    c.exact_hypothesis("width", "n_{L-1} >= K", double(head.p), ">=", double(K), head.p >= K);
    const Ball& w_op = head.sv_W.spectral_norm();
    if (options.epsilon1) {
        const Ball eps1 = Ball::exact(*options.epsilon1);
        c.hypothesis("eps1 bounds the fit", "||H_L - Y||_F <= eps1", head.e_F, "<=", eps1);
        c.hypothesis("eps1 below sqrt(n)", "eps1 < sqrt(n)", eps1, "<", head.sqrt_n);
    }
    if (options.epsilon2)
        c.hypothesis("balancedness", "||D_{L-1}||_op <= eps2", head.beta, "<=", Ball::exact(*options.epsilon2));
    if (options.radius) {
        const Ball r = Ball::exact(*options.radius);
        c.hypothesis("radius H_{L-1}", "||H_{L-1}||_op <= r", head.z_op, "<=", r);
        c.hypothesis("radius H_{L-2}", "||H_{L-2}||_op <= r", head.h2_op, "<=", r);
        c.hypothesis("radius W_L", "||W_L||_op <= r", w_op, "<=", r);
    }
    if (c.hypothesis_failed()) return c.finish();

    const ClassStatisticsEnclosure stats = enclose_class_statistics(head.Z, state.labels, K);
    const Ball nc1 = stats.within_trace / stats.between_trace;
    const Ball gap = head.sqrt_n - head.e_op;
    const Ball bound = t1_measured_bound(w_op, t1_a_bound(head.e_F, head.z_op, gap), t1_b_bound(head.h2_op, head.beta, head.p, K),
                                         gap, K);
    c.conclude("NC1(H_{L-1}) = tr Sigma_W / tr Sigma_B", nc1, "B_meas", bound);
    return c.finish();
}

}  // namespace ncverify
