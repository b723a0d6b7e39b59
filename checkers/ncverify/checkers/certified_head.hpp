#pragma once
// The enclosures shared by the certified checkers of Theorem 3.1 (T1 - T3), named as in
// proofs_notes/T1_nc1.md: W = W_L, V = W_{L-1}, H2 = H_{L-2}, Z = H_{L-1} = V H2,
// E = W Z - Y, and the norms built from them. Every Ball contains the exact value
// (enclosure/), computed from a CertifiedState.

#include <optional>

#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/enclosure/singular_value_enclosure.hpp"

namespace ncverify {

struct CertifiedHead {
    Index K = 0, L2 = 0, n = 0, p = 0;
    ArbMatrix H2{0, 0}, Z{0, 0}, E{0, 0};
    Ball sqrt_n, e_F, e_op, z_op, h2_op;
    SingularValueEnclosure sv_W;  // all singular values of W_L
    Ball beta;                    // ||D_{L-1}||_op
};

/// Requires L2 >= 2 and balanced classes (n > 0), which the checkers decide first.
CertifiedHead enclose_head(const CertifiedState& state);

/// rho = max_j ||W_j||_op over the head (L1 < j <= L), eps2_chain = max_j ||D_j||_op over
/// its linear pairs (L1 < j < L): the constants of T2 §1.
struct CertifiedChain {
    Ball rho, eps2_chain;
};
CertifiedChain enclose_chain(const CertifiedState& state);

/// min(n_{L1}, ..., n_{L-1}): the width hypothesis n_j >= K of T2, T3.
Index smallest_head_width(const CertifiedState& state);

/// The hypotheses of T2 and T3 (proofs_notes/T2_nc2.md, T3_nc3.md), recorded into `c`:
/// K >= 2, L2 >= 2, balanced classes, n_j >= K (exact), ||H_L - Y||_op < sqrt(n), and with
/// the user's constants ||H_L - Y||_F <= eps1 < sqrt(n), max_j ||D_j||_op <= eps2,
/// max_j ||W_j||_op <= r, ||H_{L-2}||_op <= r (enclosed). Returns the head's enclosures, or
/// nullopt when a hypothesis certainly fails (the rest is then not evaluated).
std::optional<CertifiedHead> certify_theorem_31_hypotheses(const CertifiedState& state, const CheckerOptions& options,
                                                           CertificateBuilder& c);

}  // namespace ncverify
