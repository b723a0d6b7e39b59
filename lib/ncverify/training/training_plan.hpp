#pragma once
// TrainingPlan: the step size and weight decay at every step of full-batch gradient
// descent, as a sequence of phases run one after the other.
//
// - constant(T, eta, lambda): one phase.
// - step_drop(T, eta, lambda, fraction, factor): one phase whose step becomes
//   eta * factor after floor(fraction * T) steps (the paper's experiments: 0.8, 0.1).
// - two_phase(...): the paper's two phases (THEORY.md §1, T4): phase 1 with its own
//   lambda (possibly 0) reaches interpolation, phase 2 with weight decay balances.
// Steps are numbered globally from 0; step t applies theta_{t+1} = theta_t - eta_t grad
// C_{lambda_t}(theta_t). Rates are doubles, converted exactly to the working scalar.

#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

struct TrainingPhase {
    std::string name;
    Index steps = 0;
    double learning_rate = 0.0;
    double weight_decay = 0.0;
    double drop_at_fraction = 1.0;  // fraction of the phase after which the step drops
    double drop_factor = 1.0;       // multiplier of the step after the drop
};

struct StepSetting {
    Index phase = 0;  // index into phases
    double learning_rate = 0.0;
    double weight_decay = 0.0;
};

class TrainingPlan {
public:
    static TrainingPlan constant(Index steps, double learning_rate, double weight_decay);
    static TrainingPlan step_drop(Index steps, double learning_rate, double weight_decay, double drop_at_fraction = 0.8,
                                  double drop_factor = 0.1);
    static TrainingPlan two_phase(Index steps1, double learning_rate1, double weight_decay1, Index steps2,
                                  double learning_rate2, double weight_decay2);
    /// Validates each phase: steps >= 0, learning_rate > 0 and finite, weight_decay >= 0
    /// and finite, drop_at_fraction in [0, 1], drop_factor > 0. Throws InvalidArgument
    /// naming the phase and field.
    explicit TrainingPlan(std::vector<TrainingPhase> phases);

    const std::vector<TrainingPhase>& phases() const { return phases_; }
    Index total_steps() const;
    /// Setting of global step t in [0, total_steps()); throws InvalidArgument outside.
    StepSetting at(Index step) const;

private:
    std::vector<TrainingPhase> phases_;
};

}  // namespace ncverify
