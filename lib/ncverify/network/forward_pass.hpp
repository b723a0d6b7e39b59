#pragma once
// The forward pass, keeping every layer's pre-activations and features:
//   H_0 = X,  Z_l = W_l H_{l-1} (+ b_l 1^T for a layer with a bias, network.hpp),
//   H_l = sigma(Z_l) for l <= L1,  H_l = Z_l for l > L1.
// The output is H_L (K x N), the penultimate features H_{L-1}.

#include <vector>

#include "ncverify/network/network.hpp"

namespace ncverify {

template <class S>
struct ForwardPass {
    std::vector<Matrix<S>> features;        // features[l] = H_l, l = 0 .. L
    std::vector<Matrix<S>> pre_activations;  // pre_activations[l] = Z_l, l = 1 .. L (index 0 empty)

    const Matrix<S>& H(Index layer) const { return features.at(static_cast<std::size_t>(layer)); }
    const Matrix<S>& Z(Index layer) const { return pre_activations.at(static_cast<std::size_t>(layer)); }
    const Matrix<S>& output() const { return features.back(); }
};

/// Throws ShapeMismatch when inputs.rows() != n_0.
template <class S>
ForwardPass<S> forward(const Network<S>& network, const Matrix<S>& inputs) {
    const NetworkSpec& spec = network.spec;
    if (inputs.rows() != spec.input_dim)
        throw ShapeMismatch("forward: inputs have " + std::to_string(inputs.rows()) + " rows, the network expects d = " +
                            std::to_string(spec.input_dim));
    ForwardPass<S> pass;
    pass.features.reserve(static_cast<std::size_t>(spec.num_layers() + 1));
    pass.pre_activations.resize(1);
    pass.features.push_back(inputs);
    for (Index l = 1; l <= spec.num_layers(); ++l) {
        pass.pre_activations.push_back(multiply(network.weight(l), pass.features.back()));
        if (network.has_bias(l)) pass.pre_activations.back().colwise() += network.bias(l);
        const Matrix<S>& z = pass.pre_activations.back();
        pass.features.push_back(spec.is_nonlinear(l) ? spec.activation.apply(z) : z);
    }
    return pass;
}

}  // namespace ncverify
