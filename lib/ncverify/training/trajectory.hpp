#pragma once
// The training trajectory: one record every k steps (and at the last step), holding
//   step, phase, learning rate, weight decay, C_lambda, C_0, ||grad C_lambda||_F
//   (over all weights), ||W_l||_F for every layer, and the balancedness gap
//   ||W_{l+1}^T W_{l+1} - W_l W_l^T||_op for every consecutive pair l = 1 .. L-1
//   (pairs l >= L1+1 are linear, the others nonlinear: see `linear_pair`).
// Values are rounded to double for plotting and tables (exact values live in
// checkpoints). Written as CSV (one row per record) or JSON, atomically.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

struct TrajectoryRecord {
    Index step = 0;
    Index phase = 0;
    double learning_rate = 0, weight_decay = 0;
    double loss = 0, data_loss = 0, gradient_norm = 0;
    std::vector<double> weight_norms;        // ||W_l||_F, l = 1 .. L
    std::vector<double> balancedness_gaps;   // ||D_l||_op, l = 1 .. L-1
};

/// The record as one object of trajectory.json's "records" (non-finite values as null).
nlohmann::json trajectory_record_to_json(const TrajectoryRecord& record);
/// The inverse of trajectory_record_to_json (null read as NaN). Throws
/// nlohmann::json::exception for a missing key or a value of the wrong type.
TrajectoryRecord trajectory_record_from_json(const nlohmann::json& record);

/// The record of the state an observer sees.
template <class S>
TrajectoryRecord make_trajectory_record(const StepView<S>& view) {
    const Network<S>& network = view.state.network;
    const S lambda(view.setting.weight_decay);
    TrajectoryRecord record;
    record.step = view.state.step;
    record.phase = view.setting.phase;
    record.learning_rate = view.setting.learning_rate;
    record.weight_decay = view.setting.weight_decay;
    record.loss = ScalarTraits<S>::to_double(view.evaluation.loss);
    record.data_loss = ScalarTraits<S>::to_double(view.evaluation.data_loss);
    S gradient_squared(0);
    for (Index l = 1; l <= network.num_layers(); ++l) {
        gradient_squared += view.evaluation.regularized_gradient(network, l, lambda).squaredNorm();
        record.weight_norms.push_back(ScalarTraits<S>::to_double(frobenius_norm(network.weight(l))));
        if (l < network.num_layers())
            record.balancedness_gaps.push_back(
                ScalarTraits<S>::to_double(balancedness_gap(network.weight(l), network.weight(l + 1))));
    }
    using std::sqrt;
    record.gradient_norm = ScalarTraits<S>::to_double(sqrt(gradient_squared));
    return record;
}

class Trajectory {
public:
    explicit Trajectory(NetworkSpec spec) : spec_(std::move(spec)) {}
    void add(TrajectoryRecord record) { records_.push_back(std::move(record)); }
    /// Prepends the records of `file` (a trajectory.json written for the same network)
    /// whose step is below `step`: the history of a run resumed at `step`. Throws
    /// InputError naming `file` when it is not such a trajectory.
    void prepend_records_before(Index step, const std::filesystem::path& file);
    const std::vector<TrajectoryRecord>& records() const { return records_; }
    /// True iff pair l (D_l = W_{l+1}^T W_{l+1} - W_l W_l^T) has no activation between.
    bool linear_pair(Index l) const { return l > spec_.nonlinear_layers; }

    /// Header: step,phase,learning_rate,weight_decay,loss,data_loss,gradient_norm,
    /// weight_norm_1..L, balancedness_gap_1..L-1 (suffix _linear or _nonlinear);
    /// numbers with 17 significant digits (round-trip for double).
    std::string to_csv() const;
    std::string to_json() const;
    void write_csv(const std::filesystem::path& path) const;
    void write_json(const std::filesystem::path& path) const;

private:
    NetworkSpec spec_;
    std::vector<TrajectoryRecord> records_;
};

/// An observer that records every `every` steps (and the final state) into `trajectory`.
template <class S>
StepObserver<S> record_every(Index every, Trajectory& trajectory) {
    return [every, &trajectory](const StepView<S>& view) {
        if (view.is_final || view.state.step % every == 0) trajectory.add(make_trajectory_record(view));
        return true;
    };
}

}  // namespace ncverify
