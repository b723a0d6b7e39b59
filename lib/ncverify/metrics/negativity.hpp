#pragma once
// Negativity of a nonlinear layer (THEORY.md §2): how far the activation is from the
// identity on the layer's pre-activations Z_l,
//   negativity(Z_l) = ||Z_l - sigma(Z_l)||_op / ||Z_l||_op.
// 0 when sigma acts as the identity on Z_l (e.g. all pre-activations positive for a
// leaky ReLU); for a leaky ReLU of slope a it is at most 1 - a. Spectral norms by
// spectral_norm_by_lanczos (feature_spectrum.hpp, relative error ~ max(m, n) eps).
// A zero Z_l gives NaN (0/0).

#include "ncverify/metrics/feature_spectrum.hpp"
#include "ncverify/network/activation.hpp"

namespace ncverify {

/// ||Z - sigma(Z)||_op / ||Z||_op.
template <class S>
S negativity(const Matrix<S>& pre_activations, const Activation& activation) {
    const Matrix<S> gap = pre_activations - activation.apply(pre_activations);
    return spectral_norm_by_lanczos(gap) / spectral_norm_by_lanczos(pre_activations);
}

}  // namespace ncverify
