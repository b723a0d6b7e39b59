#include "ncverify/training/trajectory.hpp"

#include <fmt/core.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "ncverify/errors.hpp"
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

namespace {

double number_or_nan(const nlohmann::json& value) {
    return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

std::vector<double> numbers_or_nan(const nlohmann::json& values) {
    std::vector<double> numbers;
    for (const nlohmann::json& v : values.get_ref<const nlohmann::json::array_t&>()) numbers.push_back(number_or_nan(v));
    return numbers;
}

}  // namespace

nlohmann::json trajectory_record_to_json(const TrajectoryRecord& r) {
    return {{"step", r.step},
            {"phase", r.phase},
            {"learning_rate", r.learning_rate},
            {"weight_decay", r.weight_decay},
            {"loss", r.loss},
            {"data_loss", r.data_loss},
            {"gradient_norm", r.gradient_norm},
            {"weight_norms", r.weight_norms},
            {"balancedness_gaps", r.balancedness_gaps}};
}

TrajectoryRecord trajectory_record_from_json(const nlohmann::json& r) {
    TrajectoryRecord record;
    record.step = r.at("step").get<Index>();
    record.phase = r.at("phase").get<Index>();
    record.learning_rate = number_or_nan(r.at("learning_rate"));
    record.weight_decay = number_or_nan(r.at("weight_decay"));
    record.loss = number_or_nan(r.at("loss"));
    record.data_loss = number_or_nan(r.at("data_loss"));
    record.gradient_norm = number_or_nan(r.at("gradient_norm"));
    record.weight_norms = numbers_or_nan(r.at("weight_norms"));
    record.balancedness_gaps = numbers_or_nan(r.at("balancedness_gaps"));
    return record;
}

void Trajectory::prepend_records_before(Index step, const std::filesystem::path& file) {
    std::vector<TrajectoryRecord> earlier;
    try {
        const nlohmann::json document = nlohmann::json::parse(read_file(file));
        if (document.at("network") != spec_.describe())
            throw InputError(fmt::format("{}: the trajectory of network {}, not of the resumed {}", file.string(),
                                         document.at("network").dump(), spec_.describe()));
        for (const nlohmann::json& r : document.at("records")) {
            TrajectoryRecord record = trajectory_record_from_json(r);
            if (record.weight_norms.size() != static_cast<std::size_t>(spec_.num_layers()) ||
                record.balancedness_gaps.size() + 1 != record.weight_norms.size())
                throw InputError(fmt::format("{}: record of step {} has {} weight norms and {} balancedness gaps for "
                                             "{} layers",
                                             file.string(), record.step, record.weight_norms.size(),
                                             record.balancedness_gaps.size(), spec_.num_layers()));
            if (record.step < step) earlier.push_back(std::move(record));
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(fmt::format("{}: not a trajectory written by ncv train: {}", file.string(), e.what()));
    }
    records_.insert(records_.begin(), std::make_move_iterator(earlier.begin()), std::make_move_iterator(earlier.end()));
}

std::string Trajectory::to_json() const {
    nlohmann::json records = nlohmann::json::array();
    for (const TrajectoryRecord& r : records_) records.push_back(trajectory_record_to_json(r));
    std::vector<bool> linear;
    for (Index l = 1; l < spec_.num_layers(); ++l) linear.push_back(linear_pair(l));
    return nlohmann::json{{"network", spec_.describe()}, {"linear_pairs", linear}, {"records", records}}.dump(1);
}

void Trajectory::write_csv(const std::filesystem::path& path) const { write_file_atomically(path, to_csv()); }
void Trajectory::write_json(const std::filesystem::path& path) const { write_file_atomically(path, to_json()); }

}  // namespace ncverify
