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

Index smallest_head_width(const CertifiedState& state) {
    Index width = state.head_input.rows();
    for (Index j = 1; j < state.linear_layers(); ++j) width = std::min(width, state.head_weight(j).rows());
    return width;
}

}  // namespace ncverify
