#pragma once
// Reading a run directory written by `ncv train` (training/training_run.hpp) back for
// reporting: the manifest, the trajectory (trajectory.json, or trajectory.csv when the
// JSON file is absent), the per-layer measurements of the final state, and, when they
// exist, the checkers' verdicts (checks.json) and the per-layer reports along training
// (reports.json, written with run.report_every > 0).
//
// Every failure is an InputError naming the file and what is wrong with it: a missing
// required file, text that is not JSON / CSV, or a structure that is not the one
// `ncv train` writes (wrong format tag or schema, a record without its loss, ...).
// Non-finite values, written as JSON null (NaN, Inf) or CSV nan/inf, are read as NaN.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ncverify/training/trajectory.hpp"

namespace ncverify::app {

struct RunDirectory {
    std::filesystem::path path;
    nlohmann::json manifest;                 // "format": "ncverify-run"
    std::optional<std::string> config_text;  // config.toml, when present

    std::filesystem::path trajectory_file;  // the file the records were read from
    std::vector<TrajectoryRecord> trajectory;
    std::vector<bool> linear_pairs;  // [l - 1]: pair (W_l, W_{l+1}) is linear

    nlohmann::json measurements;           // "schema": "ncverify.measurement_report/1"
    std::optional<nlohmann::json> checks;  // checks.json (checks_file.hpp), validated per verdict
    /// {"format": "ncverify.report_trajectory/1", "reports": [{"step": t, "report": <as
    /// measurements.json>}, ...]}
    std::optional<nlohmann::json> reports;
};

/// Reads and validates the run directory at `path` (see above).
RunDirectory read_run_directory(const std::filesystem::path& path);

/// The checkers' verdicts in `file` (checks_file.hpp: {"verdicts": [...], "checked": {...}}),
/// validated as `read_run_directory` validates a run's checks.json.
nlohmann::json read_checks_file(const std::filesystem::path& file);

/// The "value" of a measurement value object {"value", "exact"}: NaN for null, for a
/// missing object, or for anything that is not a number.
double measured_value(const nlohmann::json& value_object);

/// A number of a verdict (checks.json): `object[key]` as a double, +-inf for the strings
/// "inf" / "-inf" that stand for a value outside double's range, NaN for "nan", for a
/// missing key and for anything else.
double verdict_number(const nlohmann::json& object, const std::string& key);

}  // namespace ncverify::app
