#pragma once
// CheckState<S>: what the generic checkers (T1-T3) read. The results of Theorem 3.1 only
// involve the linear head W_{L1+1}, ..., W_L and its input features H_{L1}, so a state
// is either
//   - built from a whole network and its data (check_state_from_network), or
//   - supplied directly: head weights and H_{L1} (check_state_from_features), e.g. for a
//     network trained elsewhere.
// Labels must be sorted by class (THEORY.md §1); balance is a hypothesis the checkers
// test and report, not a precondition. A head imported with biases keeps them
// (`head_biases`, as in network.hpp): the features H_{L1+j} include them, and the
// checkers of Theorem 3.1, which assume a bias-free head, report that hypothesis as not
// met rather than check a different network.

#include <optional>
#include <string>
#include <vector>

#include "ncverify/checkers/feature_decomposition_cache.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/network/forward_pass.hpp"
#include "ncverify/scalar/precision.hpp"

namespace ncverify {

template <class S>
struct CheckState {
    std::vector<Matrix<S>> head_weights;  // W_{L1+1} ... W_L, L2 >= 1 matrices
    Matrix<S> head_input;                 // H_{L1}, n_{L1} x N
    std::vector<Index> labels;            // N labels, sorted, in [0, K)
    Index num_classes = 0;                // K
    Precision precision = Precision::ieee_double();
    std::vector<Vector<S>> head_biases = {};  // empty, or b_{L1+j} at [j-1] (size n_{L1+j}, or 0: none)
    FeatureDecompositionCache<S> head_input_decomposition = {};  // thin SVD of H_{L1}, shared within run_checkers

    Index linear_layers() const { return static_cast<Index>(head_weights.size()); }
    /// The largest dimension among N and the head's widths (sets the rounding tolerance).
    Index largest_dimension() const {
        Index largest = num_samples();
        for (const Matrix<S>& w : head_weights) largest = std::max({largest, w.rows(), w.cols()});
        return largest;
    }
    Index num_samples() const { return head_input.cols(); }
    /// W_{L1+j}, j = 1 .. L2 (so head_weight(L2) = W_L).
    const Matrix<S>& head_weight(Index j) const { return head_weights.at(static_cast<std::size_t>(j - 1)); }
    /// Whether head layer j in [1, L2] has a bias, and whether any has.
    bool has_head_bias(Index j) const {
        return !head_biases.empty() && head_biases.at(static_cast<std::size_t>(j - 1)).size() > 0;
    }
    bool has_head_biases() const {
        for (Index j = 1; j <= linear_layers(); ++j)
            if (has_head_bias(j)) return true;
        return false;
    }
    /// H_{L1+j}, j = 0 .. L2 (H_{L1+L2} = H_L, the output), with the head's biases.
    Matrix<S> head_features(Index j) const {
        Matrix<S> h = head_input;
        for (Index i = 1; i <= j; ++i) {
            h = multiply(head_weight(i), h);
            if (has_head_bias(i)) h.colwise() += head_biases[static_cast<std::size_t>(i - 1)];
        }
        return h;
    }
    /// Y: K x N one-hot.
    Matrix<S> targets() const {
        Matrix<S> y = Matrix<S>::Zero(num_classes, num_samples());
        for (Index i = 0; i < num_samples(); ++i) y(labels[static_cast<std::size_t>(i)], i) = S(1);
        return y;
    }
    /// Samples per class when every class has the same count, else 0.
    Index samples_per_class() const {
        std::vector<Index> counts(static_cast<std::size_t>(num_classes), 0);
        for (Index label : labels) ++counts[static_cast<std::size_t>(label)];
        for (Index c : counts)
            if (c != counts.front()) return 0;
        return counts.empty() ? 0 : counts.front();
    }
};

/// Throws ShapeMismatch / InvalidArgument naming the problem: shapes of consecutive head
/// weights, H_{L1} rows, labels size, labels unsorted or out of range, W_L rows != K.
template <class S>
void validate_check_state(const CheckState<S>& state) {
    if (state.head_weights.empty()) throw InvalidArgument("check state: the linear head has no layer");
    if (state.num_classes < 1) throw InvalidArgument("check state: the number of classes must be >= 1");
    Index rows = state.head_input.rows();
    for (Index j = 1; j <= state.linear_layers(); ++j) {
        const Matrix<S>& w = state.head_weight(j);
        if (w.cols() != rows)
            throw ShapeMismatch("check state: head weight " + std::to_string(j) + " is " + std::to_string(w.rows()) + "x" +
                                std::to_string(w.cols()) + " but its input has " + std::to_string(rows) + " rows");
        if (!all_finite(w)) throw NonFiniteValue("check state: head weight " + std::to_string(j) + " has a NaN or infinite entry");
        rows = w.rows();
    }
    if (!state.head_biases.empty()) {
        if (static_cast<Index>(state.head_biases.size()) != state.linear_layers())
            throw ShapeMismatch("check state: " + std::to_string(state.head_biases.size()) + " head bias vectors for " +
                                std::to_string(state.linear_layers()) + " head layers");
        for (Index j = 1; j <= state.linear_layers(); ++j) {
            if (!state.has_head_bias(j)) continue;
            const Vector<S>& b = state.head_biases[static_cast<std::size_t>(j - 1)];
            if (b.size() != state.head_weight(j).rows())
                throw ShapeMismatch("check state: head bias " + std::to_string(j) + " has " + std::to_string(b.size()) +
                                    " entries for " + std::to_string(state.head_weight(j).rows()) + " units");
            if (!all_finite(b)) throw NonFiniteValue("check state: head bias " + std::to_string(j) + " has a NaN or infinite entry");
        }
    }
    if (rows != state.num_classes)
        throw ShapeMismatch("check state: the last layer has " + std::to_string(rows) + " outputs for K = " +
                            std::to_string(state.num_classes) + " classes");
    if (!all_finite(state.head_input)) throw NonFiniteValue("check state: the features H_{L1} have a NaN or infinite entry");
    if (static_cast<Index>(state.labels.size()) != state.num_samples())
        throw ShapeMismatch("check state: " + std::to_string(state.labels.size()) + " labels for " +
                            std::to_string(state.num_samples()) + " samples");
    for (std::size_t i = 0; i < state.labels.size(); ++i) {
        if (state.labels[i] < 0 || state.labels[i] >= state.num_classes)
            throw InvalidArgument("check state: label " + std::to_string(state.labels[i]) + " of sample " +
                                  std::to_string(i) + " is outside [0, K)");
        if (i > 0 && state.labels[i] < state.labels[i - 1])
            throw InvalidArgument("check state: samples must be ordered by class (sample " + std::to_string(i) + ")");
    }
}

/// The state of a whole network on its data (inputs d x N, labels sorted by class).
template <class S>
CheckState<S> check_state_from_network(const Network<S>& network, const Matrix<S>& inputs, std::vector<Index> labels,
                                       Index num_classes, const Precision& precision) {
    ForwardPass<S> pass = forward(network, inputs);
    CheckState<S> state;
    for (Index l = network.spec.nonlinear_layers + 1; l <= network.num_layers(); ++l) {
        state.head_weights.push_back(network.weight(l));
        if (network.has_biases(network.spec.nonlinear_layers + 1))
            state.head_biases.push_back(network.has_bias(l) ? network.bias(l) : Vector<S>());
    }
    state.head_input = pass.H(network.spec.nonlinear_layers);
    state.labels = std::move(labels);
    state.num_classes = num_classes;
    state.precision = precision;
    validate_check_state(state);
    return state;
}

/// A state from supplied features H_{L1} and head weights W_{L1+1} ... W_L (and, for an
/// imported head, its biases).
template <class S>
CheckState<S> check_state_from_features(std::vector<Matrix<S>> head_weights, Matrix<S> head_input,
                                        std::vector<Index> labels, Index num_classes, const Precision& precision,
                                        std::vector<Vector<S>> head_biases = {}) {
    CheckState<S> state{std::move(head_weights), std::move(head_input), std::move(labels), num_classes, precision,
                        std::move(head_biases)};
    validate_check_state(state);
    return state;
}

/// A double state converted exactly to S (every double is exact at >= 53 bits); for Mpfr,
/// call inside a MpfrPrecisionScope of `precision`.
template <class S>
CheckState<S> convert_check_state(const CheckState<double>& state, const Precision& precision) {
    std::vector<Matrix<S>> weights;
    for (const Matrix<double>& w : state.head_weights) weights.push_back(from_double<S>(w));
    std::vector<Vector<S>> biases;
    for (const Vector<double>& b : state.head_biases) biases.push_back(Vector<S>(from_double<S>(b)));
    return check_state_from_features(std::move(weights), from_double<S>(state.head_input), state.labels,
                                     state.num_classes, precision, std::move(biases));
}

}  // namespace ncverify
