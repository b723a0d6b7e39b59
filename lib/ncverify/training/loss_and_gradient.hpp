#pragma once
// The loss and its exact gradient by backpropagation (THEORY.md §1):
//   C_0(theta)      = 1/2 ||H_L - Y||_F^2                  (data term, unregularized)
//   C_lambda(theta) = C_0 + (lambda/2) sum_l ||W_l||_F^2
//   G_l = dC_0/dW_l = delta_l H_{l-1}^T, with
//   delta_L = H_L - Y (layer L is linear),
//   delta_{l-1} = W_l^T delta_l, times sigma'(Z_{l-1}) entrywise when layer l-1 is nonlinear,
// and grad_{W_l} C_lambda = G_l + lambda W_l. The scalings 1/2 and lambda/2 are the
// team's choice (THEORY.md): with them the gradient has no factor 2.
// Checked against central finite differences at 256 bits (tests/training).

#include <vector>

#include "ncverify/network/forward_pass.hpp"
#include "ncverify/linalg/trace_norms.hpp"

namespace ncverify {

template <class S>
struct LossAndGradient {
    S data_loss;                          // C_0
    S loss;                               // C_lambda
    std::vector<Matrix<S>> data_gradient;  // G_l, index l-1
    ForwardPass<S> pass;                  // the forward pass it was computed from (with sigma'(Z_l))
    // Scratch of back-propagation (delta_l and W_l^T delta_l), kept so that a training
    // loop that recomputes into the same value does not allocate; no meaning outside.
    Matrix<S> delta_scratch = {}, back_scratch = {};

    /// grad_{W_l} C_lambda = G_l + lambda W_l.
    Matrix<S> regularized_gradient(const Network<S>& network, Index layer, const S& lambda) const {
        return data_gradient[static_cast<std::size_t>(layer - 1)] + lambda * network.weight(layer);
    }
};

/// (lambda/2) sum_l ||W_l||_F^2.
template <class S>
S weight_decay_term(const Network<S>& network, const S& lambda) {
    S sum(0);
    for (const Matrix<S>& w : network.weights) sum += w.squaredNorm();
    return lambda * sum / 2;
}

/// Recomputes `result` = C_0, C_lambda and G_l at the network's weights on inputs X
/// (d x N) and targets Y (K x N), reusing the storage of its matrices (a training loop
/// that passes the same `result` at every step does not allocate in double). Throws
/// ShapeMismatch when X or Y do not fit the network.
template <class S>
void loss_and_gradient_into(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                            const S& lambda, LossAndGradient<S>& result) {
    const Index layers = network.num_layers();
    ForwardPass<S>& pass = result.pass;
    forward_into(network, inputs, pass, KeepDerivatives::yes);
    if (targets.rows() != pass.output().rows() || targets.cols() != pass.output().cols())
        throw ShapeMismatch("loss: targets are " + std::to_string(targets.rows()) + "x" + std::to_string(targets.cols()) +
                            ", the network outputs " + std::to_string(pass.output().rows()) + "x" +
                            std::to_string(pass.output().cols()));
    Matrix<S>& delta = result.delta_scratch;
    Matrix<S>& back = result.back_scratch;
    delta = pass.output() - targets;
    result.data_loss = delta.squaredNorm() / 2;
    result.loss = result.data_loss + weight_decay_term(network, lambda);
    result.data_gradient.resize(static_cast<std::size_t>(layers));
    for (Index l = layers; l >= 1; --l) {
        multiply_into(delta, pass.H(l - 1).transpose(), result.data_gradient[static_cast<std::size_t>(l - 1)]);
        if (l == 1) break;
        multiply_into(network.weight(l).transpose(), delta, back);
        if (network.spec.is_nonlinear(l - 1))
            back.array() *= pass.activation_derivatives[static_cast<std::size_t>(l - 1)].array();
        delta.swap(back);
    }
}

/// C_0, C_lambda and G_l at the network's weights (see loss_and_gradient_into).
template <class S>
LossAndGradient<S> loss_and_gradient(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                                     const S& lambda) {
    LossAndGradient<S> result{S(0), S(0), {}, {}, {}, {}};
    loss_and_gradient_into(network, inputs, targets, lambda, result);
    return result;
}

}  // namespace ncverify
