// Configuration files: every documented key is read, and errors name file, line and key.
#include <gtest/gtest.h>

#include "ncverify/io/run_config.hpp"

using namespace ncverify;

namespace {

constexpr const char* valid_config = R"(
[run]
name = "tiny"
seed = 5
precision = "256"
record_every = 2
checkpoint_every = 4

[data]
source = "gaussian-mixture"
input_dim = 6
num_classes = 3
samples_per_class = 4
mean_separation = 2.0
noise = 0.25

[network]
widths = [16, 8, 3]
nonlinear_layers = 1
activation = "smooth_leaky_relu"
slope = 0.2
beta = 3

[init]
scheme = "xavier"
layer_scales = [1.0, 0.1, 1.0]

[training]
target_data_loss = 1e-6
[[training.phases]]
name = "fit"
steps = 10
learning_rate = 0.1
[[training.phases]]
steps = 5
learning_rate = 0.05
weight_decay = 0.01
)";

std::string error_of(const std::string& text) {
    try {
        parse_run_config(text, "test.toml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto position = text.find(from);
    if (position == std::string::npos) throw std::logic_error("test bug: " + from);
    return text.replace(position, from.size(), to);
}

}  // namespace

TEST(RunConfig, ReadsEveryKey) {
    const RunConfig config = parse_run_config(valid_config, "test.toml");
    EXPECT_EQ(config.name, "tiny");
    EXPECT_EQ(config.seed, 5u);
    EXPECT_EQ(config.precision, Precision::mpfr_bits(256));
    EXPECT_EQ(config.record_every, 2);
    EXPECT_EQ(config.checkpoint_every, 4);
    EXPECT_EQ(config.data.kind, DataSourceKind::gaussian_mixture);
    EXPECT_EQ(config.data.gaussian_mixture.input_dim, 6);
    EXPECT_EQ(config.data.gaussian_mixture.seed, 5u);  // inherits run.seed
    EXPECT_DOUBLE_EQ(config.data.gaussian_mixture.noise, 0.25);
    EXPECT_EQ(config.network.widths, (std::vector<Index>{16, 8, 3}));
    EXPECT_EQ(config.network.linear_layers, 2);  // derived: 3 widths - 1 nonlinear
    EXPECT_EQ(config.network.activation, Activation::smooth_leaky_relu(0.2, 3.0));
    EXPECT_EQ(config.init.scheme, InitScheme::xavier);
    EXPECT_EQ(config.init.layer_scales, (std::vector<double>{1.0, 0.1, 1.0}));
    ASSERT_EQ(config.phases.size(), 2u);
    EXPECT_EQ(config.phases[0].name, "fit");
    EXPECT_EQ(config.phases[1].name, "phase 2");
    EXPECT_DOUBLE_EQ(config.phases[1].weight_decay, 0.01);
    EXPECT_EQ(config.plan().total_steps(), 15);
    EXPECT_DOUBLE_EQ(*config.stopping.target_data_loss, 1e-6);
}

// run.precision takes "double", a string of bits, or an integer (docs/configuration.md);
// the integer form was once refused as "expected a string" (found by the bad-input
// catalogue, docs/robustness.md).
TEST(RunConfig, PrecisionAsIntegerOrString) {
    EXPECT_EQ(parse_run_config(replace(valid_config, "precision = \"256\"", "precision = 128"), "t.toml").precision,
              Precision::mpfr_bits(128));
    EXPECT_EQ(parse_run_config(replace(valid_config, "precision = \"256\"", "precision = \"double\""), "t.toml").precision,
              Precision::ieee_double());
    EXPECT_NE(error_of(replace(valid_config, "precision = \"256\"", "precision = 20")).find("run.precision"),
              std::string::npos);
    EXPECT_NE(error_of(replace(valid_config, "precision = \"256\"", "precision = 1.5")).find("expected a string or an integer"),
              std::string::npos);
}

TEST(RunConfig, ErrorsNameFileLineAndKey) {
    EXPECT_EQ(error_of(replace(valid_config, "noise = 0.25", "noise = 0.25\nnoize = 1")),
              "test.toml:16:9: unknown key data.noize; did you mean data.noise? (valid keys here: input_dim, "
              "mean_separation, noise, num_classes, samples_per_class, seed, source)");
    EXPECT_EQ(error_of(replace(valid_config, "learning_rate = 0.05", "learnig_rate = 0.05")),
              "test.toml:34:1: training.phases[1].learning_rate: is required (the unknown key "
              "training.phases[1].learnig_rate at test.toml:36:16 looks like a misspelling of it)");
    EXPECT_EQ(error_of(replace(valid_config, "record_every = 2", "record_every = \"two\"")),
              "test.toml:6:16: run.record_every: expected an integer, got string");
    EXPECT_EQ(error_of(replace(valid_config, "input_dim = 6", "input_dim = 6\npool = 4")),
              "test.toml:12:8: data.pool: does not apply to data source \"gaussian-mixture\"");
    EXPECT_NE(error_of(replace(valid_config, "precision = \"256\"", "precision = \"5000\"")).find("test.toml:5:13: run.precision: precision: 5000 bits is out of range"),
              std::string::npos);
    EXPECT_NE(error_of(replace(valid_config, "widths = [16, 8, 3]", "widths = [16, 0, 3]")).find("widths[1] (n_2) = 0"),
              std::string::npos);
    EXPECT_NE(error_of(replace(valid_config, "activation = \"smooth_leaky_relu\"", "activation = \"gelu\"")).find("unknown name \"gelu\""),
              std::string::npos);
    EXPECT_NE(error_of(replace(valid_config, "learning_rate = 0.05", "learning_rate = -0.05")).find("learning_rate = -0.05 must be positive"),
              std::string::npos);
    EXPECT_NE(error_of(std::string(valid_config) + "[networks]\nwidths = [3]\n").find("unknown key networks"),
              std::string::npos);
    EXPECT_NE(error_of("[data\nsource = 1").find("test.toml:1:"), std::string::npos);
    EXPECT_NE(error_of("[data]\n[network]\nwidths=[4, 3]\nlinear_layers=2\n[training]\nsteps=1\nlearning_rate=1").find("nonlinear_layers + linear_layers"),
              std::string::npos);
    EXPECT_NE(error_of(replace(valid_config, "[training]", "[training]\nsteps = 3")).find("not both"), std::string::npos);
    EXPECT_NE(error_of("[network]\nwidths=[3]\n[training]\nsteps=1\nlearning_rate=1").find("missing [data] table"),
              std::string::npos);
}

TEST(RunConfig, BindingToDataChecksShapes) {
    RunConfig config = parse_run_config(valid_config, "test.toml");
    Dataset data = load_dataset(config.data);
    bind_config_to_data(config, data);
    EXPECT_EQ(config.network.input_dim, 6);
    config.network.input_dim = 7;
    EXPECT_THROW(bind_config_to_data(config, data), InvalidArgument);
    config.network.input_dim = 6;
    config.network.widths.back() = 4;
    EXPECT_THROW(bind_config_to_data(config, data), InvalidArgument);
}

// loss_scale = "mean": eta and lambda given for C_lambda / N are converted once, on
// binding, to the sum scale of the theorems (eta / N, lambda * N, target * N).
TEST(RunConfig, MeanLossScaleIsConvertedToTheSumScaleOnce) {
    const std::string mean_config =
        replace(replace(valid_config, "[training]", "[training]\nloss_scale = \"mean\""), "target_data_loss = 1e-6",
                "target_data_loss = 1e-3");
    RunConfig config = parse_run_config(mean_config, "test.toml");
    EXPECT_EQ(config.loss_scale, LossScale::mean);
    EXPECT_FALSE(config.in_sum_scale);
    EXPECT_EQ(config.phases[1].learning_rate, 0.05);  // as written until bound
    Dataset data = load_dataset(config.data);
    const double n = static_cast<double>(data.num_samples());  // 3 classes x 4 samples
    ASSERT_EQ(n, 12.0);
    bind_config_to_data(config, data);
    EXPECT_TRUE(config.in_sum_scale);
    EXPECT_EQ(config.phases[0].learning_rate, 0.1 / n);
    EXPECT_EQ(config.phases[1].learning_rate, 0.05 / n);
    EXPECT_EQ(config.phases[1].weight_decay, 0.01 * n);
    EXPECT_EQ(config.phases[0].weight_decay, 0.0);
    EXPECT_EQ(*config.stopping.target_data_loss, 1e-3 * n);
    // eta * lambda, the rate of the balancing (1 - eta lambda)^{2t}, does not depend on the scale
    EXPECT_NEAR(config.phases[1].learning_rate * config.phases[1].weight_decay, 0.05 * 0.01, 1e-18);
    bind_config_to_data(config, data);  // a second binding converts nothing
    EXPECT_EQ(config.phases[1].learning_rate, 0.05 / n);
    EXPECT_EQ(parse_run_config(valid_config, "test.toml").loss_scale, LossScale::sum);
    EXPECT_NE(error_of(replace(valid_config, "[training]", "[training]\nloss_scale = \"average\"")).find(
                  "training.loss_scale: \"average\" is not a loss scale; use \"sum\""),
              std::string::npos);
}
