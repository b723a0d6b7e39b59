// Fuzz target: the run directory reader of `ncv report` / `ncv reproduce`
// (apps/ncv/run_directory.hpp), including the run manifest (manifest.json). One input
// holds the files of a run directory, each introduced by a line "--- <file name>":
//
//   --- manifest.json
//   {"format": "ncverify-run", ...}
//   --- trajectory.csv
//   ...
//
// Only the names a run directory holds are written (manifest.json, config.toml,
// trajectory.json, trajectory.csv, measurements.json, checks.json, reports.json); other
// sections are ignored. Invariants of an accepted directory: the manifest has the
// ncverify-run format with string "name" and "status", every trajectory record has one
// weight norm per layer and one balancedness gap per linear pair.

#include <array>
#include <string>

#include "fuzz_input.hpp"
#include "run_directory.hpp"

using namespace ncverify;

namespace {

constexpr std::array<std::string_view, 7> run_files{"manifest.json",     "config.toml", "trajectory.json", "trajectory.csv",
                                                    "measurements.json", "checks.json", "reports.json"};

/// Writes the sections of `input` into a fresh run directory and returns its path.
std::filesystem::path write_run_directory(std::string_view input) {
    const std::filesystem::path directory = fuzz::scratch_directory() / "run";
    std::filesystem::remove_all(directory);
    std::filesystem::create_directory(directory);
    std::size_t position = 0;
    std::string current;  // the file the lines go to; empty before the first marker
    std::string content;
    const auto flush = [&] {
        for (const std::string_view name : run_files)
            if (current == name) fuzz::write_scratch_file("run/" + current, content);
        content.clear();
    };
    while (position < input.size()) {
        std::size_t end = input.find('\n', position);
        if (end == std::string_view::npos) end = input.size();
        const std::string_view line = input.substr(position, end - position);
        if (line.starts_with("--- ")) {
            flush();
            current = std::string(line.substr(4));
        } else {
            content.append(line);
            if (end < input.size()) content.push_back('\n');
        }
        position = end + 1;
    }
    flush();
    return directory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path directory = write_run_directory(fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const app::RunDirectory run = app::read_run_directory(directory);
        if (run.manifest.value("format", "") != "ncverify-run" || !run.manifest.at("name").is_string() ||
            !run.manifest.at("status").is_string())
            fuzz::fuzz_failure("a manifest without its format, name or status was accepted");
        for (const TrajectoryRecord& record : run.trajectory)
            if (record.weight_norms.size() != run.linear_pairs.size() + 1 ||
                record.balancedness_gaps.size() != run.linear_pairs.size())
                fuzz::fuzz_failure("a trajectory record inconsistent with linear_pairs was accepted");
    });
    return 0;
}
