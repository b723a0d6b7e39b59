#pragma once
// RunConfig: everything a training run needs, read from a TOML configuration file.
// Every key is documented in docs/configuration.md (type, default, meaning). Reading is
// strict (io/toml_table_reader.hpp): unknown keys, keys that do not apply (e.g. `pool`
// for synthetic data) and wrong types are errors naming the file, line and key.

#include <filesystem>
#include <string>
#include <vector>

#include "ncverify/data/data_source.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

struct RunConfig {
    std::string name = "run";
    std::uint64_t seed = 0;
    Precision precision = Precision::ieee_double();
    Index record_every = 10;      // trajectory record period, in steps
    Index checkpoint_every = 0;   // checkpoint period in steps; 0 = only the final checkpoint
    Index report_every = 0;       // per-layer report period in steps; 0 = only the final state
    DataSource data;
    NetworkSpec network;          // input_dim is set from the data when the file omits it
    InitOptions init;
    std::vector<TrainingPhase> phases;
    GradientDescentOptions stopping;
    std::string source_text;      // the TOML text the configuration was read from

    TrainingPlan plan() const { return TrainingPlan(phases); }
};

/// Parses and validates a configuration; `file` names the source in messages.
RunConfig parse_run_config(std::string_view toml_text, const std::string& file);
RunConfig load_run_config(const std::filesystem::path& path);

/// Checks what needs the data: the network's input dimension (filled in when it was 0)
/// and its number of classes. Throws InvalidArgument naming the field.
void bind_config_to_data(RunConfig& config, const Dataset& dataset);

}  // namespace ncverify
