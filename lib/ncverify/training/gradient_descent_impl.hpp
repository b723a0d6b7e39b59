#pragma once
// Definition of gradient_descent (gradient_descent.hpp).

#include <fmt/core.h>

namespace ncverify::detail {

template <class S>
bool gradient_is_finite(const LossAndGradient<S>& evaluation) {
    for (const Matrix<S>& g : evaluation.data_gradient)
        if (!all_finite(g)) return false;
    return true;
}

}  // namespace ncverify::detail

namespace ncverify {

template <class S>
TrainingOutcome gradient_descent(TrainingState<S>& state, const Matrix<S>& inputs, const Matrix<S>& targets,
                                 const TrainingPlan& plan, const GradientDescentOptions& options,
                                 const StepObserver<S>& observer) {
    state.network.validate_weights();
    const Index total = plan.total_steps();
    if (state.step < 0 || state.step > total)
        throw InvalidArgument(fmt::format("gradient descent: state is at step {} but the plan has {} steps", state.step, total));
    // Divergence reference: the larger of the loss of the zero network, 1/2 ||Y||_F^2, and
    // the loss at the first evaluated step (so that a resumed run, which may start near
    // interpolation, is judged like the uninterrupted one).
    std::optional<double> reference_loss;
    // Weights of the previous step, restored if the current one turns out diverged.
    std::vector<Matrix<S>> previous_weights;
    // Storage reused at every step: the evaluation and the buffer the next weights go to
    // (the weights of step t-1, no longer needed once step t is good).
    LossAndGradient<S> evaluation{S(0), S(0), {}, {}, {}, {}};
    std::vector<Matrix<S>> next_weights;
    const auto diverged = [&](const std::string& reason) {
        std::string kept = fmt::format("the starting weights of step {} are kept", state.step);
        if (!previous_weights.empty()) {
            state.network.weights.swap(previous_weights);
            --state.step;
            kept = fmt::format("the last good weights, of step {}, are kept", state.step);
        }
        return TrainingOutcome{TrainingStatus::diverged, state.step, reason + "; " + kept};
    };
    while (true) {
        const StepSetting setting = plan.at(std::min(state.step, total - 1));
        const S lambda(setting.weight_decay);
        loss_and_gradient_into(state.network, inputs, targets, lambda, evaluation);
        const double loss = ScalarTraits<S>::to_double(evaluation.loss);
        if (!reference_loss) reference_loss = std::max(loss, ScalarTraits<S>::to_double(targets.squaredNorm()) / 2);

        if (!std::isfinite(loss) || !detail::gradient_is_finite(evaluation))
            return diverged(fmt::format("diverged at step {}: the loss or gradient is NaN or infinite (learning rate "
                                        "{} may be too large)",
                                        state.step, setting.learning_rate));
        if (loss > options.divergence_factor * *reference_loss)
            return diverged(fmt::format("diverged at step {}: loss {:.6g} exceeds {:g} x the reference loss {:.6g} "
                                        "(max of the initial loss and 1/2 ||Y||_F^2; learning rate {} may be too large)",
                                        state.step, loss, options.divergence_factor, *reference_loss,
                                        setting.learning_rate));
        std::optional<TrainingOutcome> stop;
        if (options.target_data_loss &&
                 ScalarTraits<S>::to_double(evaluation.data_loss) <= *options.target_data_loss)
            stop = TrainingOutcome{TrainingStatus::reached_target_loss, state.step,
                                   fmt::format("reached the target data loss {:g} at step {}", *options.target_data_loss,
                                               state.step)};
        else if (state.step == total)
            stop = TrainingOutcome{TrainingStatus::completed, state.step, fmt::format("completed {} steps", total)};

        if (observer && !observer(StepView<S>{state, evaluation, setting, stop.has_value()}) && !stop)
            stop = TrainingOutcome{TrainingStatus::interrupted, state.step,
                                   fmt::format("interrupted at step {}", state.step)};
        if (stop) return *stop;

        gradient_step_into(state.network, evaluation, setting, next_weights);
        previous_weights.swap(state.network.weights);     // previous <- theta_t
        state.network.weights.swap(next_weights);         // theta <- theta_{t+1}; spare <- theta_{t-1}
        ++state.step;
    }
}

}  // namespace ncverify
