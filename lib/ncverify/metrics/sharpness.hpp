#pragma once
// Sharpness: the largest eigenvalue of the Hessian of C_lambda (THEORY.md §2, T6), by
// Lanczos iteration on exact Hessian-vector products.
//
// Hessian-vector products (HessianOperator) are forward-over-reverse differentiation
// of the backpropagation of training/loss_and_gradient.hpp: Pearlmutter's (1994)
// R-operator R{f} = d/dt f(theta + t V) |_{t=0} applied to every line of it. With
// delta_l = dC_0/dZ_l, b_l = W_{l+1}^T delta_{l+1} (so delta_l = b_l o sigma'(Z_l) for a
// nonlinear layer l and delta_l = b_l for a linear one), and R{W_l} = V_l:
//   forward:  R{Z_l} = V_l H_{l-1} + W_l R{H_{l-1}},        R{H_0} = 0,
//             R{H_l} = sigma'(Z_l) o R{Z_l} (nonlinear) or R{Z_l} (linear);
//   backward: R{delta_L} = R{H_L}                            (layer L is linear),
//             R{b_{l-1}} = V_l^T delta_l + W_l^T R{delta_l},
//             R{delta_{l-1}} = R{b_{l-1}} o sigma'(Z_{l-1}) + b_{l-1} o sigma''(Z_{l-1}) o R{Z_{l-1}}
//                              (nonlinear; = R{b_{l-1}} for a linear layer l-1);
//   (H V)_l = R{G_l} + lambda V_l = R{delta_l} H_{l-1}^T + delta_l R{H_{l-1}}^T + lambda V_l.
// Exact up to rounding (no finite differences); one product costs about two gradient
// evaluations once the forward pass is cached. Checked against a dense Hessian from
// central differences of the gradient at 256 bits (tests/metrics/sharpness_test.cpp).
//
// sharpness(): Lanczos with full reorthogonalisation (lanczos.hpp) on these products,
// from a Gaussian start vector drawn by RandomSource(seed). Stops when the Ritz estimate
// of the top Ritz pair is <= tolerance * |theta|, when the Krylov space is invariant,
// after P = parameter_count steps (the space is then complete) or after max_iterations.
// The returned eigenvalue is the Rayleigh quotient of the normalised Ritz vector v,
// residual_norm = ||H v - lambda v|| is computed explicitly with one more product, and
// for a symmetric matrix some eigenvalue lies within residual_norm of `eigenvalue` (an
// a-posteriori bound). Ritz values approach the top eigenvalue from below; a start vector
// orthogonal to its eigenvector (probability 0) would miss it. Memory: (iterations + 2)
// vectors of P scalars.

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/metrics/lanczos.hpp"
#include "ncverify/network/forward_pass.hpp"

namespace ncverify {

/// The Hessian of C_lambda at fixed weights, data and lambda, as an operator on
/// directions V = (V_1, ..., V_L) shaped like the weights.
template <class S>
class HessianOperator {
public:
    /// Throws ShapeMismatch when inputs or targets do not fit the network.
    HessianOperator(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets, const S& lambda)
        : network_(network), lambda_(lambda), pass_(forward(network, inputs)) {
        network_.validate_weights();
        const Index layers = network_.num_layers();
        if (targets.rows() != pass_.output().rows() || targets.cols() != pass_.output().cols())
            throw ShapeMismatch(fmt::format("hessian: targets are {}x{}, the network outputs {}x{}", targets.rows(),
                                            targets.cols(), pass_.output().rows(), pass_.output().cols()));
        const auto size = static_cast<std::size_t>(layers + 1);
        deltas_.resize(size);
        backs_.resize(size);
        first_.resize(size);
        second_.resize(size);
        const Activation& activation = network_.spec.activation;
        for (Index l = 1; l <= layers; ++l)
            if (network_.spec.is_nonlinear(l)) {
                first_[idx(l)] = activation.apply_derivative(pass_.Z(l));
                second_[idx(l)] = activation.apply_second_derivative(pass_.Z(l));
            }
        deltas_[idx(layers)] = pass_.output() - targets;
        for (Index l = layers; l > 1; --l) {
            backs_[idx(l - 1)] = multiply(network_.weight(l).transpose(), deltas_[idx(l)]);
            deltas_[idx(l - 1)] = backs_[idx(l - 1)];
            if (network_.spec.is_nonlinear(l - 1)) deltas_[idx(l - 1)].array() *= first_[idx(l - 1)].array();
        }
    }

    /// Number of weights P (the dimension of the Hessian).
    Index dimension() const { return network_.spec.parameter_count(); }
    const Network<S>& network() const { return network_; }

    /// (nabla^2 C_lambda) V; throws ShapeMismatch unless V has the weights' shapes.
    std::vector<Matrix<S>> apply(const std::vector<Matrix<S>>& direction) const {
        const Index layers = network_.num_layers();
        if (static_cast<Index>(direction.size()) != layers)
            throw ShapeMismatch(fmt::format("hessian: {} direction matrices for {} layers", direction.size(), layers));
        for (Index l = 1; l <= layers; ++l) {
            const Matrix<S>& v = direction[idx(l) - 1];
            if (v.rows() != network_.weight(l).rows() || v.cols() != network_.weight(l).cols())
                throw ShapeMismatch(fmt::format("hessian: direction for W_{} is {}x{}, expected {}x{}", l, v.rows(),
                                                v.cols(), network_.weight(l).rows(), network_.weight(l).cols()));
        }
        std::vector<Matrix<S>> rz(idx(layers) + 1), rh(idx(layers) + 1);
        for (Index l = 1; l <= layers; ++l) {
            Matrix<S> z = multiply(direction[idx(l) - 1], pass_.H(l - 1));
            if (l > 1) z += multiply(network_.weight(l), rh[idx(l - 1)]);
            rh[idx(l)] = z;
            if (network_.spec.is_nonlinear(l)) rh[idx(l)].array() *= first_[idx(l)].array();
            rz[idx(l)] = std::move(z);
        }
        std::vector<Matrix<S>> result(idx(layers));
        Matrix<S> r_delta = rh[idx(layers)];
        for (Index l = layers; l >= 1; --l) {
            const Matrix<S>& v = direction[idx(l) - 1];
            Matrix<S> out = multiply(r_delta, pass_.H(l - 1).transpose());
            if (l > 1) out += multiply(deltas_[idx(l)], rh[idx(l - 1)].transpose());
            out += lambda_ * v;
            result[idx(l) - 1] = std::move(out);
            if (l == 1) break;
            Matrix<S> r_back = multiply(v.transpose(), deltas_[idx(l)]);
            r_back += multiply(network_.weight(l).transpose(), r_delta);
            if (network_.spec.is_nonlinear(l - 1)) {
                r_back.array() *= first_[idx(l - 1)].array();
                r_back.array() += backs_[idx(l - 1)].array() * second_[idx(l - 1)].array() * rz[idx(l - 1)].array();
            }
            r_delta = std::move(r_back);
        }
        return result;
    }

private:
    static std::size_t idx(Index l) { return static_cast<std::size_t>(l); }

    Network<S> network_;
    S lambda_;
    ForwardPass<S> pass_;
    std::vector<Matrix<S>> deltas_;  // delta_l = dC_0/dZ_l, index l
    std::vector<Matrix<S>> backs_;   // b_l = W_{l+1}^T delta_{l+1}, index l < L
    std::vector<Matrix<S>> first_;   // sigma'(Z_l), nonlinear l
    std::vector<Matrix<S>> second_;  // sigma''(Z_l), nonlinear l
};

/// (nabla^2 C_lambda) V at the network's weights, in one call.
template <class S>
std::vector<Matrix<S>> hessian_vector_product(const Network<S>& network, const Matrix<S>& inputs,
                                              const Matrix<S>& targets, const S& lambda,
                                              const std::vector<Matrix<S>>& direction) {
    return HessianOperator<S>(network, inputs, targets, lambda).apply(direction);
}

/// The weights (or a direction) as one vector: W_1 column by column, then W_2, ...
template <class S>
Vector<S> flatten_weights(const std::vector<Matrix<S>>& weights) {
    Index size = 0;
    for (const Matrix<S>& w : weights) size += w.size();
    Vector<S> flat(size);
    Index offset = 0;
    for (const Matrix<S>& w : weights) {
        flat.segment(offset, w.size()) = w.reshaped();
        offset += w.size();
    }
    return flat;
}

/// Inverse of flatten_weights for the shapes of `spec` (W_l is n_l x n_{l-1}).
template <class S>
std::vector<Matrix<S>> unflatten_weights(const Vector<S>& flat, const NetworkSpec& spec) {
    if (flat.size() != spec.parameter_count())
        throw ShapeMismatch(fmt::format("unflatten_weights: {} entries for {} weights", flat.size(),
                                        spec.parameter_count()));
    std::vector<Matrix<S>> weights;
    Index offset = 0;
    for (Index l = 1; l <= spec.num_layers(); ++l) {
        const Index rows = spec.width(l), cols = spec.width(l - 1);
        weights.push_back(flat.segment(offset, rows * cols).reshaped(rows, cols));
        offset += rows * cols;
    }
    return weights;
}

/// Tolerance (relative Ritz residual), maximum number of Lanczos steps and seed of the
/// start vector (lanczos.hpp).
using SharpnessOptions = LanczosOptions;

template <class S>
struct SharpnessResult {
    S eigenvalue;                         // Rayleigh quotient of the Ritz vector
    S residual_norm;                      // ||H v - eigenvalue v||, ||v|| = 1
    Index iterations = 0;                 // Lanczos steps taken
    bool converged = false;               // the stopping test (not max_iterations) ended the run
    std::vector<Matrix<S>> eigenvector;   // v, shaped like the weights
};

/// The largest eigenvalue of nabla^2 C_lambda at the network's weights (see the header comment).
template <class S>
SharpnessResult<S> sharpness(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                             const S& lambda, const SharpnessOptions& options = {}) {
    const HessianOperator<S> hessian(network, inputs, targets, lambda);
    const NetworkSpec& spec = network.spec;
    const std::function<Vector<S>(const Vector<S>&)> apply = [&](const Vector<S>& v) {
        return flatten_weights(hessian.apply(unflatten_weights(v, spec)));
    };
    SharpnessResult<S> result;
    const LanczosResult<S> run = lanczos_top_eigenpair(apply, hessian.dimension(), options);
    const Vector<S>& v = run.eigenvector;
    const Vector<S> hv = apply(v);
    result.eigenvalue = v.dot(hv);
    using std::sqrt;
    result.residual_norm = sqrt((hv - result.eigenvalue * v).squaredNorm());
    result.iterations = run.iterations;
    result.converged = run.converged;
    result.eigenvector = unflatten_weights(v, spec);
    return result;
}

}  // namespace ncverify
