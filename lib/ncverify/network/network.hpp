#pragma once
// Network<S>: a specification, its weights W_1 ... W_L and optional biases over the
// scalar S.
//
// Biases come only from imported networks (a network trained elsewhere, docs/data.md):
// `biases` is empty (no layer has one) or holds L vectors, biases[l-1] = b_l with n_l
// entries, or none (size 0) for a layer without bias; then Z_l = W_l H_{l-1} + b_l 1^T.
// The networks of the paper, and everything that trains or differentiates a network
// (training/, the Hessian and sharpness code), have no biases; the checkers whose
// theorems assume none report the hypothesis as not met.

#include <string>
#include <vector>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"
#include "ncverify/network/network_spec.hpp"

namespace ncverify {

template <class S>
struct Network {
    NetworkSpec spec;
    std::vector<Matrix<S>> weights;  // weights[l-1] = W_l, n_l x n_{l-1}
    std::vector<Vector<S>> biases = {};  // empty, or biases[l-1] = b_l (n_l entries, or 0: no bias)

    Index num_layers() const { return spec.num_layers(); }
    /// W_l for l in [1, L].
    const Matrix<S>& weight(Index layer) const { return weights.at(static_cast<std::size_t>(layer - 1)); }
    Matrix<S>& weight(Index layer) { return weights.at(static_cast<std::size_t>(layer - 1)); }
    /// Whether layer l in [1, L] has a bias.
    bool has_bias(Index layer) const {
        return !biases.empty() && biases.at(static_cast<std::size_t>(layer - 1)).size() > 0;
    }
    /// b_l; only when has_bias(l).
    const Vector<S>& bias(Index layer) const { return biases.at(static_cast<std::size_t>(layer - 1)); }
    /// Whether some layer in [first, last] has a bias.
    bool has_biases(Index first = 1, Index last = -1) const {
        if (last < 0) last = num_layers();
        for (Index l = first; l <= last; ++l)
            if (has_bias(l)) return true;
        return false;
    }

    /// Throws ShapeMismatch unless there are L weights of shapes n_l x n_{l-1} (and no
    /// biases, or L of sizes n_l or 0), and NonFiniteValue on a NaN or infinite weight or
    /// bias (naming the layer).
    void validate_weights() const {
        if (static_cast<Index>(weights.size()) != num_layers())
            throw ShapeMismatch("network: " + std::to_string(weights.size()) + " weight matrices for " +
                                std::to_string(num_layers()) + " layers");
        for (Index l = 1; l <= num_layers(); ++l) {
            const Matrix<S>& w = weight(l);
            if (w.rows() != spec.width(l) || w.cols() != spec.width(l - 1))
                throw ShapeMismatch("network: W_" + std::to_string(l) + " is " + std::to_string(w.rows()) + "x" +
                                    std::to_string(w.cols()) + ", expected " + std::to_string(spec.width(l)) + "x" +
                                    std::to_string(spec.width(l - 1)));
            if (!all_finite(w)) throw NonFiniteValue("network: W_" + std::to_string(l) + " has a NaN or infinite entry");
        }
        if (biases.empty()) return;
        if (static_cast<Index>(biases.size()) != num_layers())
            throw ShapeMismatch("network: " + std::to_string(biases.size()) + " bias vectors for " +
                                std::to_string(num_layers()) + " layers");
        for (Index l = 1; l <= num_layers(); ++l) {
            if (!has_bias(l)) continue;
            if (bias(l).size() != spec.width(l))
                throw ShapeMismatch("network: b_" + std::to_string(l) + " has " + std::to_string(bias(l).size()) +
                                    " entries, expected " + std::to_string(spec.width(l)));
            if (!all_finite(bias(l))) throw NonFiniteValue("network: b_" + std::to_string(l) + " has a NaN or infinite entry");
        }
    }

    /// The linear part A = W_L ... W_{L1+1} (K x n_{L1}).
    Matrix<S> linear_part() const {
        Matrix<S> a = weight(num_layers());
        for (Index l = num_layers() - 1; l > spec.nonlinear_layers; --l) a = multiply(a, weight(l));
        return a;
    }
};

/// Exact conversion of double weights to S.
template <class S>
Network<S> network_from_double(const Network<double>& network) {
    Network<S> result{network.spec, {}};
    for (const Matrix<double>& w : network.weights) result.weights.push_back(from_double<S>(w));
    for (const Vector<double>& b : network.biases) result.biases.push_back(Vector<S>(from_double<S>(b)));
    return result;
}

}  // namespace ncverify
