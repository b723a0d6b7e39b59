#include "ncverify/io/run_config.hpp"

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/toml_table_reader.hpp"

namespace ncverify {
namespace {

Index read_index(TomlTableReader& table, std::string_view key, Index fallback, Index minimum) {
    const std::optional<std::int64_t> value = table.integer(key);
    if (!value) return fallback;
    if (*value < minimum) table.fail(key, fmt::format("must be >= {}, got {}", minimum, *value));
    return static_cast<Index>(*value);
}

std::uint64_t read_seed(TomlTableReader& table, std::string_view key, std::uint64_t fallback) {
    const std::optional<std::int64_t> value = table.integer(key);
    if (!value) return fallback;
    if (*value < 0) table.fail(key, fmt::format("a seed must be >= 0, got {}", *value));
    return static_cast<std::uint64_t>(*value);
}

/// Rejects keys that belong to other data sources, naming the source.
void reject_keys(TomlTableReader& table, std::string_view source, std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys)
        if (table.contains(key)) table.fail(key, fmt::format("does not apply to data source \"{}\"", source));
}

DataSource read_data(TomlTableReader table, std::uint64_t run_seed) {
    DataSource data;
    const std::string source = table.string("source").value_or("gaussian-mixture");
    try {
        data.kind = data_source_from_name(source);
    } catch (const InvalidArgument& e) {
        table.fail("source", e.what());
    }
    const std::uint64_t seed = read_seed(table, "seed", run_seed);
    switch (data.kind) {
        case DataSourceKind::fashion_mnist: {
            FashionMnistOptions& o = data.fashion_mnist;
            o.seed = seed;
            if (auto directory = table.string("directory")) o.directory = *directory;
            const std::string split = table.string("split").value_or("train");
            if (split != "train" && split != "test") table.fail("split", "must be \"train\" or \"test\", got \"" + split + "\"");
            o.split = split == "train" ? FashionMnistSplit::train : FashionMnistSplit::test;
            o.samples_per_class = read_index(table, "samples_per_class", o.samples_per_class, 0);
            o.scale_to_unit = table.boolean("scale_to_unit").value_or(o.scale_to_unit);
            o.center = table.boolean("center").value_or(o.center);
            o.pool = read_index(table, "pool", o.pool, 1);
            reject_keys(table, source, {"input_dim", "num_classes", "mean_separation", "noise"});
            break;
        }
        case DataSourceKind::gaussian_mixture: {
            GaussianMixtureOptions& o = data.gaussian_mixture;
            o.seed = seed;
            o.input_dim = read_index(table, "input_dim", 10, 1);
            o.num_classes = read_index(table, "num_classes", 3, 1);
            o.samples_per_class = read_index(table, "samples_per_class", 10, 1);
            o.mean_separation = table.number("mean_separation").value_or(1.0);
            o.noise = table.number("noise").value_or(0.1);
            reject_keys(table, source, {"directory", "split", "scale_to_unit", "center", "pool"});
            break;
        }
        case DataSourceKind::iris:
        case DataSourceKind::digits: {
            SklearnDigitsOptions& o = data.sklearn;
            o.seed = seed;
            if (auto directory = table.string("directory")) o.directory = *directory;
            o.samples_per_class = read_index(table, "samples_per_class", 0, 0);
            o.center = table.boolean("center").value_or(false);
            if (data.kind == DataSourceKind::digits)
                o.scale_to_unit = table.boolean("scale_to_unit").value_or(true);
            else
                reject_keys(table, source, {"scale_to_unit"});
            reject_keys(table, source, {"split", "pool", "input_dim", "num_classes", "mean_separation", "noise"});
            break;
        }
    }
    table.finish();
    return data;
}

NetworkSpec read_network(TomlTableReader table) {
    NetworkSpec spec;
    spec.input_dim = read_index(table, "input_dim", 0, 1);
    const std::optional<std::vector<std::int64_t>> widths = table.integer_array("widths");
    if (!widths || widths->empty()) table.fail("widths", "is required: the widths n_1 ... n_L, with n_L = number of classes");
    for (std::int64_t w : *widths) spec.widths.push_back(static_cast<Index>(w));
    spec.nonlinear_layers = read_index(table, "nonlinear_layers", 1, 0);
    spec.linear_layers = read_index(table, "linear_layers", static_cast<Index>(widths->size()) - spec.nonlinear_layers, 0);
    const std::string activation = table.string("activation").value_or("smooth_leaky_relu");
    const double slope = table.number("slope").value_or(0.1);
    const double beta = table.number("beta").value_or(1.0);
    try {
        spec.activation = Activation::from_name(activation, slope, beta);
    } catch (const InvalidArgument& e) {
        table.fail("activation", e.what());
    }
    table.finish();
    try {
        NetworkSpec check = spec;  // input_dim may still come from the data
        if (check.input_dim == 0) check.input_dim = 1;
        check.validate(spec.widths.back());
    } catch (const InvalidArgument& e) {
        table.fail("", e.what());
    }
    return spec;
}

InitOptions read_init(TomlTableReader table, std::uint64_t run_seed) {
    InitOptions init;
    try {
        init.scheme = init_scheme_from_name(table.string("scheme").value_or("lecun"));
    } catch (const InvalidArgument& e) {
        table.fail("scheme", e.what());
    }
    init.layer_scales = table.number_array("layer_scales").value_or(std::vector<double>{});
    init.seed = read_seed(table, "seed", run_seed);
    table.finish();
    return init;
}

TrainingPhase read_phase(TomlTableReader& table, std::string default_name) {
    TrainingPhase phase;
    phase.name = table.string("name").value_or(std::move(default_name));
    phase.steps = read_index(table, "steps", 0, 0);
    if (!table.has("steps")) table.fail("steps", "is required");
    const std::optional<double> learning_rate = table.number("learning_rate");
    if (!learning_rate) table.fail("learning_rate", "is required");
    phase.learning_rate = *learning_rate;
    phase.weight_decay = table.number("weight_decay").value_or(0.0);
    phase.drop_at_fraction = table.number("drop_at_fraction").value_or(1.0);
    phase.drop_factor = table.number("drop_factor").value_or(1.0);
    return phase;
}

void read_training(TomlTableReader table, RunConfig& config) {
    if (const std::optional<std::string> scale = table.string("loss_scale")) {
        if (*scale == "mean")
            config.loss_scale = LossScale::mean;
        else if (*scale != "sum")
            table.fail("loss_scale", fmt::format("\"{}\" is not a loss scale; use \"sum\" (1/2 ||H_L - Y||_F^2, the "
                                                 "theorems' convention) or \"mean\" (the same divided by N)",
                                                 *scale));
        config.in_sum_scale = config.loss_scale == LossScale::sum;
    }
    if (auto target = table.number("target_data_loss")) config.stopping.target_data_loss = *target;
    config.stopping.divergence_factor = table.number("divergence_factor").value_or(config.stopping.divergence_factor);
    std::vector<TomlTableReader> phases = table.table_array("phases");
    if (phases.empty()) {
        config.phases.push_back(read_phase(table, "constant"));
    } else {
        for (std::string_view key : {"name", "steps", "learning_rate", "weight_decay", "drop_at_fraction", "drop_factor"})
            if (table.contains(key)) table.fail(key, "give either [[training.phases]] or one phase's keys in [training], not both");
        for (std::size_t i = 0; i < phases.size(); ++i) {
            config.phases.push_back(read_phase(phases[i], fmt::format("phase {}", i + 1)));
            phases[i].finish();
        }
    }
    table.finish();
    try {
        TrainingPlan check(config.phases);
    } catch (const InvalidArgument& e) {
        table.fail("", e.what());
    }
}

}  // namespace

RunConfig parse_run_config(std::string_view toml_text, const std::string& file) {
    const toml::table root_table = parse_toml(toml_text, file);
    TomlTableReader root(root_table, "", file);
    RunConfig config;
    config.source_text = std::string(toml_text);
    if (std::optional<TomlTableReader> run = root.table("run")) {
        config.name = run->string("name").value_or(config.name);
        config.seed = read_seed(*run, "seed", 0);
        if (auto precision = run->string_or_integer("precision")) {
            try {
                config.precision = Precision::parse(*precision);
            } catch (const InvalidArgument& e) {
                run->fail("precision", e.what());
            }
        }
        config.record_every = read_index(*run, "record_every", config.record_every, 1);
        config.checkpoint_every = read_index(*run, "checkpoint_every", config.checkpoint_every, 0);
        config.report_every = read_index(*run, "report_every", config.report_every, 0);
        run->finish();
    }
    std::optional<TomlTableReader> data = root.table("data");
    if (!data) root.fail("", "missing [data] table");
    config.data = read_data(*data, config.seed);
    std::optional<TomlTableReader> network = root.table("network");
    if (!network) root.fail("", "missing [network] table");
    config.network = read_network(*network);
    if (std::optional<TomlTableReader> init = root.table("init"))
        config.init = read_init(*init, config.seed);
    else
        config.init.seed = config.seed;
    std::optional<TomlTableReader> training = root.table("training");
    if (!training) root.fail("", "missing [training] table");
    read_training(*training, config);
    root.finish();
    return config;
}

RunConfig load_run_config(const std::filesystem::path& path) { return parse_run_config(read_file(path), path.string()); }

void bind_config_to_data(RunConfig& config, const Dataset& dataset) {
    if (config.network.input_dim == 0) config.network.input_dim = dataset.input_dim();
    if (config.network.input_dim != dataset.input_dim())
        throw InvalidArgument(fmt::format("network.input_dim = {} but the data ({}) has {} features",
                                          config.network.input_dim, dataset.name, dataset.input_dim()));
    if (config.network.widths.back() != dataset.num_classes)
        throw InvalidArgument(fmt::format("network.widths ends with n_L = {} but the data ({}) has K = {} classes",
                                          config.network.widths.back(), dataset.name, dataset.num_classes));
    config.network.validate(dataset.num_classes);
    if (!config.in_sum_scale) {
        const double n = static_cast<double>(dataset.num_samples());
        for (TrainingPhase& phase : config.phases) {
            phase.learning_rate /= n;
            phase.weight_decay *= n;
        }
        if (config.stopping.target_data_loss) *config.stopping.target_data_loss *= n;
        config.in_sum_scale = true;
    }
}

}  // namespace ncverify
