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
    ForwardPass<S> pass;                  // the forward pass it was computed from

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

/// C_0, C_lambda and G_l at the network's weights on inputs X (d x N) and targets Y (K x N).
/// Throws ShapeMismatch when X or Y do not fit the network.
template <class S>
LossAndGradient<S> loss_and_gradient(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                                     const S& lambda) {
    const Index layers = network.num_layers();
    ForwardPass<S> pass = forward(network, inputs);
    if (targets.rows() != pass.output().rows() || targets.cols() != pass.output().cols())
        throw ShapeMismatch("loss: targets are " + std::to_string(targets.rows()) + "x" + std::to_string(targets.cols()) +
                            ", the network outputs " + std::to_string(pass.output().rows()) + "x" +
                            std::to_string(pass.output().cols()));
    Matrix<S> delta = pass.output() - targets;
    LossAndGradient<S> result{delta.squaredNorm() / 2, S(0), std::vector<Matrix<S>>(static_cast<std::size_t>(layers)), {}};
    result.loss = result.data_loss + weight_decay_term(network, lambda);
    for (Index l = layers; l >= 1; --l) {
        result.data_gradient[static_cast<std::size_t>(l - 1)] = multiply(delta, pass.H(l - 1).transpose());
        if (l == 1) break;
        Matrix<S> back = multiply(network.weight(l).transpose(), delta);
        if (network.spec.is_nonlinear(l - 1))
            back.array() *= network.spec.activation.apply_derivative(pass.Z(l - 1)).array();
        delta = std::move(back);
    }
    result.pass = std::move(pass);
    return result;
}

}  // namespace ncverify
