#pragma once
// NetworkCheckState<S>: what the checkers of results about the whole network read (T6
// large-step stability, T5's epsilon-optimality report): the network, its inputs X
// (d x N) and labels (sorted by class, THEORY.md §1), K, and the precision.
//
// CheckState (check_state.hpp) holds only the linear head and its input H_{L1}, which is
// all Theorem 3.1 (T1-T3) reads; the sharpness of C_lambda, the Hessian blocks and the
// loss C_lambda(theta) need every layer and the data. The scalars of the objective and
// of the training run, lambda (weight decay) and eta (learning rate), are not part of
// the state: they are CheckerOptions::weight_decay and CheckerOptions::learning_rate,
// like the other constants of a theorem's hypotheses.

#include <vector>

#include "ncverify/checkers/check_state.hpp"
#include "ncverify/network/forward_pass.hpp"

namespace ncverify {

template <class S>
struct NetworkCheckState {
    Network<S> network;
    Matrix<S> inputs;           // X, d x N
    std::vector<Index> labels;  // N labels, sorted, in [0, K)
    Index num_classes = 0;      // K
    Precision precision = Precision::ieee_double();

    Index num_samples() const { return inputs.cols(); }
    /// Y: K x N one-hot.
    Matrix<S> targets() const {
        Matrix<S> y = Matrix<S>::Zero(num_classes, num_samples());
        for (Index i = 0; i < num_samples(); ++i) y(labels[static_cast<std::size_t>(i)], i) = S(1);
        return y;
    }
    /// The linear head and its input H_{L1} (what T1-T3 read).
    CheckState<S> head_state() const {
        return check_state_from_network(network, inputs, labels, num_classes, precision);
    }
    /// The largest dimension among d, N and the widths (sets the rounding tolerance).
    Index largest_dimension() const {
        Index largest = std::max(num_samples(), inputs.rows());
        for (Index l = 1; l <= network.num_layers(); ++l) largest = std::max(largest, network.spec.width(l));
        return largest;
    }
};

/// Validates (network shapes and finiteness, inputs d x N, labels as in
/// validate_check_state) and returns the state. Throws ShapeMismatch / InvalidArgument /
/// NonFiniteValue naming the offending input.
template <class S>
NetworkCheckState<S> network_check_state(Network<S> network, Matrix<S> inputs, std::vector<Index> labels,
                                         Index num_classes, const Precision& precision) {
    network.validate_weights();
    if (inputs.rows() != network.spec.input_dim)
        throw ShapeMismatch("network check state: inputs have " + std::to_string(inputs.rows()) +
                            " rows, the network expects d = " + std::to_string(network.spec.input_dim));
    if (!all_finite(inputs)) throw NonFiniteValue("network check state: the inputs have a NaN or infinite entry");
    NetworkCheckState<S> state{std::move(network), std::move(inputs), std::move(labels), num_classes, precision};
    validate_check_state(state.head_state());  // labels, K = n_L, head shapes
    return state;
}

}  // namespace ncverify
