#pragma once
// Network<S>: a specification and its weights W_1 ... W_L over the scalar S.

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

    Index num_layers() const { return spec.num_layers(); }
    /// W_l for l in [1, L].
    const Matrix<S>& weight(Index layer) const { return weights.at(static_cast<std::size_t>(layer - 1)); }
    Matrix<S>& weight(Index layer) { return weights.at(static_cast<std::size_t>(layer - 1)); }

    /// Throws ShapeMismatch unless there are L weights of shapes n_l x n_{l-1}, and
    /// NonFiniteValue on a NaN or infinite weight (naming the layer).
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
    return result;
}

}  // namespace ncverify
