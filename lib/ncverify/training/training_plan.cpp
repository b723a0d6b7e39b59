#include "ncverify/training/training_plan.hpp"

#include <fmt/core.h>

#include <cmath>

#include "ncverify/errors.hpp"

namespace ncverify {

TrainingPlan::TrainingPlan(std::vector<TrainingPhase> phases) : phases_(std::move(phases)) {
    if (phases_.empty()) throw InvalidArgument("training plan: no phase");
    for (std::size_t i = 0; i < phases_.size(); ++i) {
        const TrainingPhase& p = phases_[i];
        const std::string where = fmt::format("training plan, phase {} ({})", i + 1, p.name);
        if (p.steps < 0) throw InvalidArgument(fmt::format("{}: steps = {} must be >= 0", where, p.steps));
        if (!(p.learning_rate > 0.0 && std::isfinite(p.learning_rate)))
            throw InvalidArgument(fmt::format("{}: learning_rate = {} must be positive and finite", where, p.learning_rate));
        if (!(p.weight_decay >= 0.0 && std::isfinite(p.weight_decay)))
            throw InvalidArgument(fmt::format("{}: weight_decay = {} must be >= 0 and finite", where, p.weight_decay));
        if (!(p.drop_at_fraction >= 0.0 && p.drop_at_fraction <= 1.0))
            throw InvalidArgument(fmt::format("{}: drop_at_fraction = {} must lie in [0, 1]", where, p.drop_at_fraction));
        if (!(p.drop_factor > 0.0 && std::isfinite(p.drop_factor)))
            throw InvalidArgument(fmt::format("{}: drop_factor = {} must be positive and finite", where, p.drop_factor));
    }
}

TrainingPlan TrainingPlan::constant(Index steps, double learning_rate, double weight_decay) {
    return TrainingPlan({{"constant", steps, learning_rate, weight_decay, 1.0, 1.0}});
}

TrainingPlan TrainingPlan::step_drop(Index steps, double learning_rate, double weight_decay, double drop_at_fraction,
                                     double drop_factor) {
    return TrainingPlan({{"step-drop", steps, learning_rate, weight_decay, drop_at_fraction, drop_factor}});
}

TrainingPlan TrainingPlan::two_phase(Index steps1, double learning_rate1, double weight_decay1, Index steps2,
                                     double learning_rate2, double weight_decay2) {
    return TrainingPlan({{"interpolation", steps1, learning_rate1, weight_decay1, 1.0, 1.0},
                         {"weight-decay", steps2, learning_rate2, weight_decay2, 1.0, 1.0}});
}

Index TrainingPlan::total_steps() const {
    Index total = 0;
    for (const TrainingPhase& p : phases_) total += p.steps;
    return total;
}

StepSetting TrainingPlan::at(Index step) const {
    if (step < 0 || step >= total_steps())
        throw InvalidArgument(fmt::format("training plan: step {} outside [0, {})", step, total_steps()));
    Index start = 0;
    for (std::size_t i = 0; i < phases_.size(); ++i) {
        const TrainingPhase& p = phases_[i];
        if (step < start + p.steps) {
            const Index drop_step = static_cast<Index>(std::floor(p.drop_at_fraction * static_cast<double>(p.steps)));
            const bool dropped = step - start >= drop_step && p.drop_at_fraction < 1.0;
            return {static_cast<Index>(i), dropped ? p.learning_rate * p.drop_factor : p.learning_rate, p.weight_decay};
        }
        start += p.steps;
    }
    return {};  // unreachable: step < total_steps()
}

}  // namespace ncverify
