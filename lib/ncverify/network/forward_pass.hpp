#pragma once
// The forward pass, keeping every layer's pre-activations and features:
//   H_0 = X,  Z_l = W_l H_{l-1} (+ b_l 1^T for a layer with a bias, network.hpp),
//   H_l = sigma(Z_l) for l <= L1,  H_l = Z_l for l > L1.
// The output is H_L (K x N), the penultimate features H_{L-1}. On request it also keeps
// sigma'(Z_l) of the nonlinear layers, computed in the same pass as sigma(Z_l) (one
// exponential per entry, Activation::evaluate), for back-propagation.

#include <vector>

#include "ncverify/network/network.hpp"

namespace ncverify {

template <class S>
struct ForwardPass {
    std::vector<Matrix<S>> features;        // features[l] = H_l, l = 0 .. L
    std::vector<Matrix<S>> pre_activations;  // pre_activations[l] = Z_l, l = 1 .. L (index 0 empty)
    // activation_derivatives[l] = sigma'(Z_l) for nonlinear l when requested, else empty.
    std::vector<Matrix<S>> activation_derivatives;

    const Matrix<S>& H(Index layer) const { return features.at(static_cast<std::size_t>(layer)); }
    const Matrix<S>& Z(Index layer) const { return pre_activations.at(static_cast<std::size_t>(layer)); }
    const Matrix<S>& output() const { return features.back(); }
};

/// Whether a forward pass also keeps sigma'(Z_l) (ForwardPass::activation_derivatives).
enum class KeepDerivatives { no, yes };

/// Recomputes `pass` for the network on inputs X, reusing its matrices' storage when the
/// shapes are those of the previous call (so a training loop does not allocate in
/// double). Throws ShapeMismatch when inputs.rows() != n_0.
template <class S>
void forward_into(const Network<S>& network, const Matrix<S>& inputs, ForwardPass<S>& pass,
                  KeepDerivatives keep = KeepDerivatives::no) {
    const NetworkSpec& spec = network.spec;
    if (inputs.rows() != spec.input_dim)
        throw ShapeMismatch("forward: inputs have " + std::to_string(inputs.rows()) + " rows, the network expects d = " +
                            std::to_string(spec.input_dim));
    const auto layers = static_cast<std::size_t>(spec.num_layers());
    pass.features.resize(layers + 1);
    pass.pre_activations.resize(layers + 1);
    pass.activation_derivatives.resize(layers + 1);
    pass.features[0] = inputs;
    for (std::size_t l = 1; l <= layers; ++l) {
        multiply_into(network.weight(static_cast<Index>(l)), pass.features[l - 1], pass.pre_activations[l]);
        if (network.has_bias(static_cast<Index>(l))) pass.pre_activations[l].colwise() += network.bias(static_cast<Index>(l));
        const Matrix<S>& z = pass.pre_activations[l];
        if (spec.is_nonlinear(static_cast<Index>(l))) {
            Matrix<S>* derivative = keep == KeepDerivatives::yes ? &pass.activation_derivatives[l] : nullptr;
            spec.activation.evaluate(z, &pass.features[l], derivative);
        } else {
            pass.features[l] = z;
        }
        if (keep == KeepDerivatives::no || !spec.is_nonlinear(static_cast<Index>(l)))
            pass.activation_derivatives[l].resize(0, 0);
    }
}

/// The forward pass of the network on inputs X (see forward_into).
template <class S>
ForwardPass<S> forward(const Network<S>& network, const Matrix<S>& inputs, KeepDerivatives keep = KeepDerivatives::no) {
    ForwardPass<S> pass;
    forward_into(network, inputs, pass, keep);
    return pass;
}

}  // namespace ncverify
