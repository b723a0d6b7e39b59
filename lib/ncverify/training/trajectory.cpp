#include "ncverify/training/trajectory.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "ncverify/io/atomic_file.hpp"

namespace ncverify {

std::string Trajectory::to_csv() const {
    std::string text = "step,phase,learning_rate,weight_decay,loss,data_loss,gradient_norm";
    for (Index l = 1; l <= spec_.num_layers(); ++l) text += fmt::format(",weight_norm_{}", l);
    for (Index l = 1; l < spec_.num_layers(); ++l)
        text += fmt::format(",balancedness_gap_{}_{}", l, linear_pair(l) ? "linear" : "nonlinear");
    text += '\n';
    for (const TrajectoryRecord& r : records_) {
        text += fmt::format("{},{},{:.17g},{:.17g},{:.17g},{:.17g},{:.17g}", r.step, r.phase, r.learning_rate,
                            r.weight_decay, r.loss, r.data_loss, r.gradient_norm);
        for (double v : r.weight_norms) text += fmt::format(",{:.17g}", v);
        for (double v : r.balancedness_gaps) text += fmt::format(",{:.17g}", v);
        text += '\n';
    }
    return text;
}

std::string Trajectory::to_json() const {
    nlohmann::json records = nlohmann::json::array();
    for (const TrajectoryRecord& r : records_)
        records.push_back({{"step", r.step},
                           {"phase", r.phase},
                           {"learning_rate", r.learning_rate},
                           {"weight_decay", r.weight_decay},
                           {"loss", r.loss},
                           {"data_loss", r.data_loss},
                           {"gradient_norm", r.gradient_norm},
                           {"weight_norms", r.weight_norms},
                           {"balancedness_gaps", r.balancedness_gaps}});
    std::vector<bool> linear;
    for (Index l = 1; l < spec_.num_layers(); ++l) linear.push_back(linear_pair(l));
    return nlohmann::json{{"network", spec_.describe()}, {"linear_pairs", linear}, {"records", records}}.dump(1);
}

void Trajectory::write_csv(const std::filesystem::path& path) const { write_file_atomically(path, to_csv()); }
void Trajectory::write_json(const std::filesystem::path& path) const { write_file_atomically(path, to_json()); }

}  // namespace ncverify
