#pragma once
// checks.json: the latest verdict of every checker run on a network (a run directory's,
// or the file given to `ncv check --out`), each with when, by which command, on which
// checkpoint and with which options it was computed:
//
//   {"format": "ncverify.checks/2",
//    "verdicts": [<Verdict::to_json()>, ...],       one per result ("T1", "L1", ...)
//    "checked": {"<result>": {"time": "2026-12-07T16:00:00Z", "command": "ncv check",
//                             "checkpoint": "checkpoints/final.json", "options": {...}}, ...}}
//
// "checkpoint" is relative to the directory of the checks file.
//
// "options" holds the CheckerOptions that were set (checker_options_json), for a network
// checker (T6) the lambda and eta it received, and for a certified verdict the precision
// ladder. The verdict objects are stored exactly as Verdict::to_json() wrote them.
// A file without "format" and "checked" (written before merging existed) is read as
// verdicts of unknown time and options.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ncverify/checkers/certification.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify::app {

/// How a set of verdicts was computed.
struct CheckContext {
    std::string command;                // "ncv train", "ncv check", "ncv reproduce"
    std::filesystem::path checkpoint;   // the checkpoint (or imported model) checked
    CheckerOptions options;             // of the state and trajectory checkers
    CheckerOptions network_options;     // of the network checkers (T6): lambda and eta resolved
    std::optional<CertificationOptions> certification;
};

/// The options that are set, e.g. {"weight_decay": 0.02, "learning_rate": 0.02}.
nlohmann::json checker_options_json(const CheckerOptions& options);

/// Stores `verdicts` in `file` (created when missing), atomically: each replaces the
/// stored verdict of the same result, in place; the verdicts of other results stay, with
/// their time and options; new results are appended. Throws InputError naming `file`
/// when it exists but is not a checks file (run_directory.hpp, read_checks_file).
void merge_verdicts(const std::filesystem::path& file, const std::vector<Verdict>& verdicts,
                    const CheckContext& context);

}  // namespace ncverify::app
