#include "run_directory.hpp"

#include <fmt/core.h>

#include <cstdlib>
#include <limits>
#include <sstream>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"

namespace ncverify::app {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
    throw InputError(fmt::format("{}: {}", file.string(), what));
}

std::string json_type(const json& value) { return value.type_name(); }

/// The JSON document in `file`, which must be an object.
json read_json_object(const fs::path& file, const std::string& what_it_is) {
    if (!fs::exists(file)) fail(file, fmt::format("missing ({} expected in a run directory)", what_it_is));
    const std::string text = read_file(file);
    json document;
    try {
        document = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range: a number beyond double
        fail(file, fmt::format("not valid JSON ({}): {}", what_it_is, e.what()));
    }
    if (!document.is_object()) fail(file, fmt::format("expected a JSON object, found {}", json_type(document)));
    return document;
}

const json& member(const json& object, const char* key, const fs::path& file, const std::string& where) {
    const auto it = object.find(key);
    if (it == object.end()) fail(file, fmt::format("{}key '{}' is missing", where, key));
    return *it;
}

std::string string_member(const json& object, const char* key, const fs::path& file, const std::string& where = "") {
    const json& value = member(object, key, file, where);
    if (!value.is_string()) fail(file, fmt::format("{}'{}' must be a string, found {}", where, key, json_type(value)));
    return value.get<std::string>();
}

/// A number, or null (a non-finite value as written by nlohmann::json) read as NaN.
double number_member(const json& object, const char* key, const fs::path& file, const std::string& where) {
    const json& value = member(object, key, file, where);
    if (value.is_null()) return kNaN;
    if (!value.is_number()) fail(file, fmt::format("{}'{}' must be a number, found {}", where, key, json_type(value)));
    return value.get<double>();
}

Index integer_member(const json& object, const char* key, const fs::path& file, const std::string& where) {
    const json& value = member(object, key, file, where);
    if (!value.is_number_integer())
        fail(file, fmt::format("{}'{}' must be an integer, found {}", where, key, json_type(value)));
    return value.get<Index>();
}

const json& array_member(const json& object, const char* key, const fs::path& file, const std::string& where = "") {
    const json& value = member(object, key, file, where);
    if (!value.is_array()) fail(file, fmt::format("{}'{}' must be an array, found {}", where, key, json_type(value)));
    return value;
}

std::vector<double> number_array(const json& object, const char* key, const fs::path& file, const std::string& where) {
    std::vector<double> values;
    for (const json& v : array_member(object, key, file, where)) {
        if (v.is_null())
            values.push_back(kNaN);
        else if (v.is_number())
            values.push_back(v.get<double>());
        else
            fail(file, fmt::format("{}'{}' must hold numbers, found {}", where, key, json_type(v)));
    }
    return values;
}

json read_manifest(const fs::path& directory) {
    const fs::path file = directory / "manifest.json";
    json manifest = read_json_object(file, "the run's manifest");
    const auto format = manifest.find("format");
    if (format == manifest.end() || *format != "ncverify-run")
        fail(file, "not an ncverify run manifest (\"format\": \"ncverify-run\" expected)");
    string_member(manifest, "name", file);
    string_member(manifest, "status", file);
    return manifest;
}

/// trajectory.json: {"network", "linear_pairs": [bool], "records": [...]}.
void read_trajectory_json(const fs::path& file, RunDirectory& run) {
    const json document = read_json_object(file, "the training trajectory");
    for (const json& linear : array_member(document, "linear_pairs", file)) {
        if (!linear.is_boolean())
            fail(file, fmt::format("'linear_pairs' must hold booleans, found {}", json_type(linear)));
        run.linear_pairs.push_back(linear.get<bool>());
    }
    std::size_t index = 0;
    for (const json& r : array_member(document, "records", file)) {
        const std::string where = fmt::format("record {}: ", index++);
        if (!r.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(r)));
        TrajectoryRecord record;
        record.step = integer_member(r, "step", file, where);
        record.phase = integer_member(r, "phase", file, where);
        record.learning_rate = number_member(r, "learning_rate", file, where);
        record.weight_decay = number_member(r, "weight_decay", file, where);
        record.loss = number_member(r, "loss", file, where);
        record.data_loss = number_member(r, "data_loss", file, where);
        record.gradient_norm = number_member(r, "gradient_norm", file, where);
        record.weight_norms = number_array(r, "weight_norms", file, where);
        record.balancedness_gaps = number_array(r, "balancedness_gaps", file, where);
        if (record.balancedness_gaps.size() != run.linear_pairs.size())
            fail(file, fmt::format("{}{} balancedness gaps for {} pairs ('linear_pairs')", where,
                                   record.balancedness_gaps.size(), run.linear_pairs.size()));
        if (record.weight_norms.size() != run.linear_pairs.size() + 1)
            fail(file, fmt::format("{}{} weight norms for {} layers", where, record.weight_norms.size(),
                                   run.linear_pairs.size() + 1));
        run.trajectory.push_back(std::move(record));
    }
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream stream(line);
    while (std::getline(stream, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

double parse_csv_number(const std::string& text, const fs::path& file, std::size_t line, const std::string& column) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size())
        fail(file, fmt::format("line {}: column {}: '{}' is not a number", line, column, text));
    return value;
}

/// trajectory.csv: step,phase,learning_rate,weight_decay,loss,data_loss,gradient_norm,
/// weight_norm_1..L, balancedness_gap_<l>_<linear|nonlinear> for l = 1..L-1.
void read_trajectory_csv(const fs::path& file, RunDirectory& run) {
    std::istringstream text(read_file(file));
    std::string line;
    if (!std::getline(text, line)) fail(file, "empty (a header line is expected)");
    const std::vector<std::string> header = split_csv_line(line);
    const std::vector<std::string> fixed = {"step", "phase",     "learning_rate", "weight_decay",
                                            "loss", "data_loss", "gradient_norm"};
    for (std::size_t i = 0; i < fixed.size(); ++i)
        if (i >= header.size() || header[i] != fixed[i])
            fail(file, fmt::format("line 1: column {} must be '{}' (the header ncv train writes)", i + 1, fixed[i]));
    std::size_t weight_columns = 0;
    for (std::size_t i = fixed.size(); i < header.size(); ++i) {
        const std::string& name = header[i];
        if (name == fmt::format("weight_norm_{}", weight_columns + 1)) {
            if (!run.linear_pairs.empty()) fail(file, fmt::format("line 1: '{}' after the balancedness columns", name));
            ++weight_columns;
        } else if (name == fmt::format("balancedness_gap_{}_linear", run.linear_pairs.size() + 1)) {
            run.linear_pairs.push_back(true);
        } else if (name == fmt::format("balancedness_gap_{}_nonlinear", run.linear_pairs.size() + 1)) {
            run.linear_pairs.push_back(false);
        } else {
            fail(file, fmt::format("line 1: unexpected column '{}'", name));
        }
    }
    if (weight_columns != run.linear_pairs.size() + 1)
        fail(file, fmt::format("line 1: {} weight_norm columns for {} balancedness_gap columns", weight_columns,
                               run.linear_pairs.size()));
    std::size_t line_number = 1;
    while (std::getline(text, line)) {
        ++line_number;
        if (line.empty()) continue;
        const std::vector<std::string> fields = split_csv_line(line);
        if (fields.size() != header.size())
            fail(file, fmt::format("line {}: {} fields, the header has {}", line_number, fields.size(), header.size()));
        std::vector<double> values;
        for (std::size_t i = 0; i < fields.size(); ++i)
            values.push_back(parse_csv_number(fields[i], file, line_number, header[i]));
        TrajectoryRecord record;
        record.step = static_cast<Index>(values[0]);
        record.phase = static_cast<Index>(values[1]);
        record.learning_rate = values[2];
        record.weight_decay = values[3];
        record.loss = values[4];
        record.data_loss = values[5];
        record.gradient_norm = values[6];
        record.weight_norms.assign(values.begin() + 7,
                                   values.begin() + 7 + static_cast<std::ptrdiff_t>(weight_columns));
        record.balancedness_gaps.assign(values.begin() + 7 + static_cast<std::ptrdiff_t>(weight_columns), values.end());
        run.trajectory.push_back(std::move(record));
    }
}

/// Checks the structure of a measurement report (metrics/layer_report.hpp) that the
/// report reads; `context` prefixes the messages (e.g. "reports[3].report: ").
void check_measurement_report(const json& report, const fs::path& file, const std::string& context) {
    if (!report.is_object()) fail(file, fmt::format("{}expected an object, found {}", context, json_type(report)));
    const auto schema = report.find("schema");
    if (schema == report.end() || *schema != "ncverify.measurement_report/1")
        fail(file, fmt::format("{}not a measurement report (\"schema\": \"ncverify.measurement_report/1\" expected)",
                               context));
    std::size_t index = 0;
    for (const json& layer : array_member(report, "layers", file, context)) {
        const std::string where = fmt::format("{}layers[{}]: ", context, index++);
        if (!layer.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(layer)));
        integer_member(layer, "layer", file, where);
        string_member(layer, "kind", file, where);
        if (!member(layer, "features", file, where).is_object())
            fail(file, fmt::format("{}'features' must be an object", where));
    }
    index = 0;
    for (const json& pair : array_member(report, "balancedness", file, context)) {
        const std::string where = fmt::format("{}balancedness[{}]: ", context, index++);
        if (!pair.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(pair)));
        integer_member(pair, "layer", file, where);
        string_member(pair, "kind", file, where);
    }
}

json read_measurements(const fs::path& directory) {
    const fs::path file = directory / "measurements.json";
    json report = read_json_object(file, "the per-layer measurements of the final state");
    check_measurement_report(report, file, "");
    return report;
}

json read_reports(const fs::path& file) {
    json reports = read_json_object(file, "the per-layer reports along training");
    const auto format = reports.find("format");
    if (format == reports.end() || *format != "ncverify.report_trajectory/1")
        fail(file, "not a report trajectory (\"format\": \"ncverify.report_trajectory/1\" expected)");
    std::size_t index = 0;
    for (const json& entry : array_member(reports, "reports", file)) {
        const std::string where = fmt::format("reports[{}]: ", index++);
        if (!entry.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(entry)));
        integer_member(entry, "step", file, where);
        check_measurement_report(member(entry, "report", file, where), file,
                                 fmt::format("reports[{}].report: ", index - 1));
    }
    return reports;
}

}  // namespace

json read_checks_file(const fs::path& file) {
    json checks = read_json_object(file, "the checkers' verdicts");
    std::size_t index = 0;
    for (const json& verdict : array_member(checks, "verdicts", file)) {
        const std::string where = fmt::format("verdicts[{}]: ", index++);
        if (!verdict.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(verdict)));
        for (const char* key : {"result", "title", "provenance", "status", "measured_name", "bound_name"})
            string_member(verdict, key, file, where);
        for (const char* key : {"measured", "bound", "ratio", "slack"}) number_member(verdict, key, file, where);
        for (const char* key : {"hypotheses", "steps"}) {
            std::size_t item = 0;
            for (const json& check : array_member(verdict, key, file, where)) {
                const std::string inner = fmt::format("{}{}[{}]: ", where, key, item++);
                if (!check.is_object()) fail(file, fmt::format("{}expected an object", inner));
                string_member(check, "outcome", file, inner);
            }
        }
    }
    const auto checked = checks.find("checked");
    if (checked != checks.end()) {
        if (!checked->is_object()) fail(file, fmt::format("'checked' must be an object, found {}", json_type(*checked)));
        for (const auto& [result, how] : checked->items()) {
            const std::string where = fmt::format("checked.{}: ", result);
            if (!how.is_object()) fail(file, fmt::format("{}expected an object, found {}", where, json_type(how)));
            string_member(how, "time", file, where);
            string_member(how, "command", file, where);
            if (!member(how, "options", file, where).is_object())
                fail(file, fmt::format("{}'options' must be an object", where));
        }
    }
    return checks;
}

RunDirectory read_run_directory(const fs::path& path) {
    if (!fs::exists(path)) throw InputError(fmt::format("{}: no such run directory", path.string()));
    if (!fs::is_directory(path))
        throw InputError(
            fmt::format("{}: not a directory (ncv report reads the run directory ncv train writes)", path.string()));
    RunDirectory run;
    run.path = path;
    run.manifest = read_manifest(path);
    if (fs::exists(path / "config.toml")) run.config_text = read_file(path / "config.toml");

    const std::string status = run.manifest["status"].get<std::string>();
    const std::string running_note =
        status == "running" ? " (manifest.json says the run is still running, or stopped before writing it)" : "";
    if (fs::exists(path / "trajectory.json")) {
        run.trajectory_file = path / "trajectory.json";
        read_trajectory_json(run.trajectory_file, run);
    } else if (fs::exists(path / "trajectory.csv")) {
        run.trajectory_file = path / "trajectory.csv";
        read_trajectory_csv(run.trajectory_file, run);
    } else {
        fail(path / "trajectory.json", fmt::format("missing, and so is trajectory.csv{}", running_note));
    }
    if (!fs::exists(path / "measurements.json"))
        fail(path / "measurements.json",
             fmt::format("missing (the per-layer report of the final state){}", running_note));
    run.measurements = read_measurements(path);
    if (fs::exists(path / "checks.json")) run.checks = read_checks_file(path / "checks.json");
    if (fs::exists(path / "reports.json")) run.reports = read_reports(path / "reports.json");
    return run;
}

double measured_value(const json& value_object) {
    if (!value_object.is_object()) return kNaN;
    const auto it = value_object.find("value");
    if (it == value_object.end() || !it->is_number()) return kNaN;
    return it->get<double>();
}

double verdict_number(const json& object, const std::string& key) {
    if (!object.is_object()) return kNaN;
    const auto it = object.find(key);
    if (it == object.end()) return kNaN;
    if (it->is_number()) return it->get<double>();
    if (*it == "inf") return std::numeric_limits<double>::infinity();
    if (*it == "-inf") return -std::numeric_limits<double>::infinity();
    return kNaN;
}

}  // namespace ncverify::app
