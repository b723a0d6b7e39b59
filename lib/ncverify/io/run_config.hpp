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

/// The scale of the data term of the loss in which a configuration gives its learning
/// rates, weight decays and target loss (docs/configuration.md, "Loss scale"):
///   sum:  C_lambda = 1/2 ||H_L - Y||_F^2 + (lambda/2) sum_l ||W_l||_F^2, the convention of
///         the theorems, of the checkers and of everything ncverify writes;
///   mean: C^mean_lambda = C_lambda / N over the N samples for lambda = N lambda_mean, so GD
///         with step eta_mean on it is GD on C_lambda with eta = eta_mean / N.
enum class LossScale { sum, mean };

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
    /// training.loss_scale. `phases` and `stopping.target_data_loss` are in this scale as
    /// read, and in the sum scale once bind_config_to_data has converted them.
    LossScale loss_scale = LossScale::sum;
    bool in_sum_scale = true;     // false from parsing a "mean" configuration to binding

    TrainingPlan plan() const { return TrainingPlan(phases); }
};

/// Parses and validates a configuration; `file` names the source in messages.
RunConfig parse_run_config(std::string_view toml_text, const std::string& file);
RunConfig load_run_config(const std::filesystem::path& path);

/// Checks what needs the data: the network's input dimension (filled in when it was 0)
/// and its number of classes; and converts a "mean" configuration to the sum scale with the
/// data's N (learning_rate / N, weight_decay * N, target_data_loss * N, each rounded to
/// double; once). Throws InvalidArgument naming the field.
void bind_config_to_data(RunConfig& config, const Dataset& dataset);

}  // namespace ncverify
