#include "ncverify/checkers/certified_head.hpp"

#include "ncverify/enclosure/balancedness_enclosure.hpp"

namespace ncverify {

CertifiedHead enclose_head(const CertifiedState& state) {
    CertifiedHead head;
    head.K = state.num_classes;
    head.L2 = state.linear_layers();
    head.n = state.samples_per_class();
    const ArbMatrix& W = state.head_weight(head.L2);
    const ArbMatrix& V = state.head_weight(head.L2 - 1);
    head.p = W.cols();
    head.H2 = state.head_features(head.L2 - 2);
    head.Z = certified_product(V, head.H2);
    head.E = certified_difference(certified_product(W, head.Z), state.targets());
    head.sqrt_n = sqrt(Ball(static_cast<long>(head.n)));
    head.e_F = certified_frobenius_norm(head.E);
    head.e_op = enclose_singular_values(head.E, state.bits).spectral_norm();
    head.z_op = enclose_singular_values(head.Z, state.bits).spectral_norm();
    head.h2_op = enclose_singular_values(head.H2, state.bits).spectral_norm();
    head.sv_W = enclose_singular_values(W, state.bits);
    head.beta = enclose_balancedness_gap(V, W, state.bits);
    return head;
}

CertifiedChain enclose_chain(const CertifiedState& state) {
    CertifiedChain chain;
    for (Index j = 1; j <= state.linear_layers(); ++j) {
        chain.rho = max(chain.rho, enclose_singular_values(state.head_weight(j), state.bits).spectral_norm());
        if (j < state.linear_layers())
            chain.eps2_chain =
                max(chain.eps2_chain, enclose_balancedness_gap(state.head_weight(j), state.head_weight(j + 1), state.bits));
    }
    return chain;
}

std::optional<CertifiedHead> certify_theorem_31_hypotheses(const CertifiedState& state, const CheckerOptions& options,
                                                           CertificateBuilder& c) {
    const Index K = state.num_classes, L2 = state.linear_layers(), n = state.samples_per_class();
    c.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    c.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    c.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    if (c.hypothesis_failed()) return std::nullopt;
    const Index width = smallest_head_width(state);
    c.exact_hypothesis("width", "n_j >= K for L1 <= j < L", double(width), ">=", double(K), width >= K);
    if (c.hypothesis_failed()) return std::nullopt;

    CertifiedHead head = enclose_head(state);
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
    if (c.hypothesis_failed()) return std::nullopt;
    return head;
}

Index smallest_head_width(const CertifiedState& state) {
    Index width = state.head_input.rows();
    for (Index j = 1; j < state.linear_layers(); ++j) width = std::min(width, state.head_weight(j).rows());
    return width;
}

}  // namespace ncverify
