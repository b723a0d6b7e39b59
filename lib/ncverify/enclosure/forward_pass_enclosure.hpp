#pragma once
// Rigorous forward pass: enclosures of the features H_l of a network on its inputs,
// computed from the exact stored weights and inputs (THEORY.md §1:
// Z_l = W_l H_{l-1} (+ b_l 1^T), H_l = sigma(Z_l) for l <= L1, H_l = Z_l after). Products are ball
// products (arb_mat_mul) and the activation is evaluated in ball arithmetic with Arb's
// exp / log1p / tanh, so every entry of every H_l contains the exact value. Results are
// rounded at the current BallPrecisionScope.

#include <vector>

#include "ncverify/enclosure/ball.hpp"
#include "ncverify/linalg/arb_matrix.hpp"
#include "ncverify/network/network.hpp"

namespace ncverify {

/// An enclosure of sigma(x) for every x in the ball (the formulas of network/activation.hpp:
/// softplus(t) = log1p(e^t), relu(x) = max(x, 0), leaky_relu(x) = max(x, slope x)).
Ball enclose_activation(const Activation& activation, const Ball& x);

/// H_0 = inputs .. H_{last_layer} enclosed, for weights W_1 .. W_L given as ball
/// matrices (exact ones for stored weights) and biases b_l as n_l x 1 ball matrices
/// (`biases` empty, or L entries with 0 x 0 for a layer without bias); last_layer in
/// [0, L]. Throws ShapeMismatch when the shapes do not chain (naming the layer) and
/// InvalidArgument for a layer outside [0, L].
std::vector<ArbMatrix> enclose_features(const NetworkSpec& spec, const std::vector<ArbMatrix>& weights,
                                        const ArbMatrix& inputs, Index last_layer,
                                        const std::vector<ArbMatrix>& biases = {});

/// The exact n_l x 1 ball matrices of a network's biases (0 x 0 for a layer without);
/// empty when the network has none.
template <class S>
std::vector<ArbMatrix> exact_biases(const Network<S>& network);

/// The same from a network's exact weights, biases and inputs.
template <class S>
std::vector<ArbMatrix> enclose_features(const Network<S>& network, const Matrix<S>& inputs, Index last_layer);

extern template std::vector<ArbMatrix> enclose_features(const Network<double>&, const Matrix<double>&, Index);
extern template std::vector<ArbMatrix> exact_biases(const Network<double>&);
extern template std::vector<ArbMatrix> exact_biases(const Network<Mpfr>&);
extern template std::vector<ArbMatrix> enclose_features(const Network<Mpfr>&, const Matrix<Mpfr>&, Index);

}  // namespace ncverify
