#pragma once
// Enclosure of the training objective of THEORY.md §1 at a network state,
//   C_lambda = 1/2 ||H_L - Y||_F^2 + (lambda/2) sum_l ||W_l||_F^2,
// from the exact stored weights and inputs (forward pass in ball arithmetic,
// enclosure/forward_pass_enclosure.hpp). `data_loss` is the unregularized part.

#include "ncverify/enclosure/ball.hpp"
#include "ncverify/network/network.hpp"

namespace ncverify {

struct LossEnclosure {
    Ball data_loss;  // 1/2 ||H_L - Y||_F^2
    Ball loss;       // C_lambda
};

/// targets: K x N (exact). Throws ShapeMismatch when the output and targets differ in shape.
template <class S>
LossEnclosure enclose_loss(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                           double weight_decay);

extern template LossEnclosure enclose_loss(const Network<double>&, const Matrix<double>&, const Matrix<double>&, double);
extern template LossEnclosure enclose_loss(const Network<Mpfr>&, const Matrix<Mpfr>&, const Matrix<Mpfr>&, double);

}  // namespace ncverify
