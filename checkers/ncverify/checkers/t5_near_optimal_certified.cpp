// Certified T5: the hypotheses of proofs_notes/T5_near_optimal.md on the linear head
// (T5.0: K >= 2, L2 >= 2, balanced classes, B1 widths, e_op < sqrt(n)) and its measured
// form (T5.6, the conclusion of the approximate checker)
//   kappa_A^{2/L2} <= kA_pow_meas = (lin_cost/L2) a_min^{-2/L2} - (K - 1),
//   a_min = (sqrt(n) - e_op)/||H_{L1}||_op,  lin_cost = sum_{l > L1} ||W_l||_F^2,
// each side enclosed from the exact stored values (certificate.hpp). A = W_L ... W_{L1+1}.
#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_head.hpp"
#include "ncverify/checkers/t5_near_optimal.hpp"

namespace ncverify {

Certificate certify_t5_near_optimal(const CertifiedState& state, const CheckerOptions&) {
    const Index K = state.num_classes, L2 = state.linear_layers(), n = state.samples_per_class();
    CertificateBuilder c;
    c.exact_hypothesis("classes", "K >= 2", double(K), ">=", 2, K >= 2);
    c.exact_hypothesis("linear head", "L2 >= 2", double(L2), ">=", 2, L2 >= 2);
    c.exact_hypothesis("balanced classes", "n_c = n for all c", double(n), ">", 0, n > 0);
    Index smallest = state.head_input.rows();
    for (Index j = 1; j <= L2; ++j) smallest = std::min(smallest, state.head_weight(j).rows());
    c.exact_hypothesis("B1 widths", "n_l >= K for L1 <= l <= L", double(smallest), ">=", double(K), smallest >= K);
    if (c.hypothesis_failed()) return c.finish();

    ArbMatrix A = copy_of(state.head_weight(1));
    Ball lin_cost = certified_squared_frobenius_norm(state.head_weight(1));
    for (Index j = 2; j <= L2; ++j) {
        A = certified_product(state.head_weight(j), A);
        lin_cost += certified_squared_frobenius_norm(state.head_weight(j));
    }
    const ArbMatrix E = certified_difference(certified_product(A, state.head_input), state.targets());
    const Ball e_op = enclose_singular_values(E, state.bits).spectral_norm();
    const Ball sqrt_n = sqrt(Ball(static_cast<long>(n)));
    c.hypothesis("interpolation", "e_op = ||H_L - Y||_op < sqrt(n)", e_op, "<", sqrt_n);
    if (c.hypothesis_failed()) return c.finish();

    const Ball F_op = enclose_singular_values(state.head_input, state.bits).spectral_norm();
    const Ball a_min = (sqrt_n - e_op) / F_op;
    const Ball kappa_A = enclose_singular_values(A, state.bits).condition_number(K);
    const unsigned depth = static_cast<unsigned>(L2);
    const Ball kappa_A_pow = root(kappa_A * kappa_A, depth);
    const Ball bound = lin_cost / Ball(static_cast<long>(L2)) * root(Ball(1) / (a_min * a_min), depth) -
                       Ball(static_cast<long>(K - 1));
    c.conclude("kappa_A^{2/L2}", kappa_A_pow, "kA_pow_meas = (lin_cost/L2) a_min^{-2/L2} - (K - 1) (T5.6)", bound);
    return c.finish();
}

}  // namespace ncverify
