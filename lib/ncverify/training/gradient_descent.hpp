#pragma once
// Full-batch gradient descent with weight decay:
//   W_l <- W_l - eta_t (G_l + lambda_t W_l)   for every layer, simultaneously,
// with (eta_t, lambda_t) from the TrainingPlan, from a TrainingState (weights and the
// global step index). Deterministic: the same state, data and plan give bit-identical
// weights at every step, for any number of OpenMP threads (linalg/product.hpp: the
// double products are sequential dgemm calls on fixed panels; the activations are
// entrywise). The double bits depend on the OpenBLAS kernel (blas_kernel_description()).
// The loop reuses its matrices from step to step: no allocation per step in double.
//
// At every step t (and once more at the end, t = total) the observer sees the state
// theta_t with its loss and gradient before the update; it may stop the run.
// Divergence: a NaN/Inf loss or gradient, or C_lambda above divergence_factor times the
// reference max(initial C_lambda, 1/2 ||Y||_F^2), stops the run with status `diverged` before the update: the state
// keeps the last good weights theta_t.

#include <functional>
#include <optional>
#include <string>

#include "ncverify/training/loss_and_gradient.hpp"
#include "ncverify/training/training_plan.hpp"

namespace ncverify {

template <class S>
struct TrainingState {
    Network<S> network;
    Index step = 0;  // global index of the next step to apply
};

enum class TrainingStatus { completed, reached_target_loss, diverged, interrupted };
std::string training_status_name(TrainingStatus status);

struct TrainingOutcome {
    TrainingStatus status = TrainingStatus::completed;
    Index final_step = 0;
    std::string message;
};

struct GradientDescentOptions {
    std::optional<double> target_data_loss;  // stop once C_0 <= target
    double divergence_factor = 1e6;          // C_lambda > factor * max(initial C_lambda, ||Y||^2/2) => diverged
};

/// What the observer sees at step t: the state before the update, its loss and gradient,
/// and the setting of step t (for t = total, the last step's setting).
template <class S>
struct StepView {
    const TrainingState<S>& state;
    const LossAndGradient<S>& evaluation;
    StepSetting setting;
    bool is_final;  // t = total steps, or the run is about to stop
};

/// Returns false to stop the run (status `interrupted`).
template <class S>
using StepObserver = std::function<bool(const StepView<S>&)>;

/// One update W_l <- W_l - eta (G_l + lambda W_l) from an evaluation at the network's
/// current weights, into `next` (one matrix per layer; storage reused when the shapes
/// match, so a training loop does not allocate in double). The network is not modified;
/// `next` must not be its weights.
template <class S>
void gradient_step_into(const Network<S>& network, const LossAndGradient<S>& evaluation, const StepSetting& setting,
                        std::vector<Matrix<S>>& next) {
    const S eta(setting.learning_rate), lambda(setting.weight_decay);
    next.resize(network.weights.size());
    for (std::size_t i = 0; i < next.size(); ++i) {
        const Matrix<S>& w = network.weights[i];
        next[i] = w - eta * (evaluation.data_gradient[i] + lambda * w);
    }
}

/// The weights after one update (see gradient_step_into).
template <class S>
std::vector<Matrix<S>> gradient_step(const Network<S>& network, const LossAndGradient<S>& evaluation,
                                     const StepSetting& setting) {
    std::vector<Matrix<S>> next;
    gradient_step_into(network, evaluation, setting, next);
    return next;
}

/// Trains `state` in place on inputs (d x N) and targets (K x N) until the plan ends or
/// a stopping condition fires.
template <class S>
TrainingOutcome gradient_descent(TrainingState<S>& state, const Matrix<S>& inputs, const Matrix<S>& targets,
                                 const TrainingPlan& plan, const GradientDescentOptions& options,
                                 const StepObserver<S>& observer);

}  // namespace ncverify

#include "ncverify/training/gradient_descent_impl.hpp"
