#pragma once
// Reproduction experiments (THEORY.md §4, docs/reproduce.md): sweeps of training runs
// over variants (a depth, a width pattern) and seeds, from a shipped base configuration
// per data set, ending in a verdict per claim of the paper ("reproduced" or "not
// reproduced", with the numbers that decided it), mean ± std tables, plots, and the
// checkers' verdicts of every run (experiment e).
//
// Base configurations (configs/experiments/): `fashion-mnist.toml` and `synthetic.toml`
// for the full experiments, `quick.toml` for --quick. Their widths are a pattern
// [n_1, n_hidden, n_head, K] that an experiment expands to its depths (head_layout):
// layer 1 has n_1 units, layers 2 .. L1 n_hidden, the linear layers L1+1 .. L-1 n_head,
// layer L has K. Seeds vary the initialization only (init.seed = seed); the data are the
// same for every seed.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ncverify/io/run_config.hpp"
#include "plot.hpp"
#include "run_directory.hpp"

namespace ncverify::app {

struct ExperimentOptions {
    bool quick = false;
    int seeds = 5;
    std::filesystem::path out;         // the experiment's output directory
    std::filesystem::path config_dir;  // where the base configurations are
    bool quiet = false;
};

/// One data set of an experiment: a name ("fashion-mnist", "synthetic", "quick") and the
/// base configuration read from config_dir/<name>.toml.
struct ExperimentDataSet {
    std::string name;
    RunConfig base;
};

/// The data sets an experiment runs on: fashion-mnist and synthetic, or quick.
std::vector<ExperimentDataSet> experiment_data_sets(const ExperimentOptions& options);

/// `base` with L1 nonlinear and L2 linear layers, widths expanded from the base's pattern
/// [n_1, n_hidden, n_head, K] (the header comment). Throws InvalidArgument when the base
/// widths are not such a pattern.
RunConfig head_layout(const RunConfig& base, Index nonlinear_layers, Index linear_layers);

/// `config` with every phase's weight decay multiplied by `factor`.
RunConfig scale_weight_decay(RunConfig config, double factor);

struct ClaimOutcome {
    std::string id;         // e.g. "a1"
    std::string claim;      // the paper's claim, in words
    std::string criterion;  // how "reproduced" is decided, numerically
    bool reproduced = false;
    std::string evidence;   // the numbers that decided it
};

/// A run of a sweep, read back from its run directory.
struct SweepRun {
    std::string data_set, variant;
    double parameter = 0;  // the swept value (a depth), for plots
    std::uint64_t seed = 0;
    RunDirectory directory;
};

struct ExperimentResult {
    std::string name, title;
    std::vector<ClaimOutcome> claims;
    std::string tables_markdown;             // mean ± std tables
    std::vector<std::string> plots;          // image stems relative to the output directory
    std::vector<std::string> plot_captions;  // one per plot
    std::vector<SweepRun> runs;
    double seconds = 0;
};

/// Trains (with checks) `config` once per seed into out/<data_set>/<variant>/seed-<s>/ and
/// reads every run directory back. Throws when a run diverges (naming it).
std::vector<SweepRun> run_sweep(const RunConfig& config, const std::string& data_set, const std::string& variant,
                                double parameter, const ExperimentOptions& options);

/// mean and sample standard deviation (0 for one value) of the finite values.
struct MeanStd {
    double mean = 0, std = 0;
    std::size_t count = 0;
};
MeanStd mean_std(const std::vector<double>& values);
/// A Markdown table row "| a | b |\n" of `cells`, each '|' in a cell escaped as "\|"
/// (read back as '|' by Markdown renderers and by the HTML of write_experiment_report), so
/// that a cell such as "||D_l||_op" stays one cell.
std::string markdown_row(const std::vector<std::string>& cells);
/// The header row of a Markdown table and the rule under it.
std::string markdown_header(const std::vector<std::string>& cells);

/// Appends the point (x, value.mean) to `series` with the error bar ± value.std (the
/// spread over seeds of a mean).
void add_mean_point(PlotSeries& series, double x, const MeanStd& value);

/// "1.23e-04 ± 5.6e-06".
std::string format_mean_std(const MeanStd& value);

/// The final-state per-layer value layers[l-1].<path...> of measurements.json (NaN if absent).
double layer_value(const SweepRun& run, Index layer, const std::vector<const char*>& path);
/// balancedness[l-1] (pair (W_l, W_{l+1})) .<key>.value of measurements.json.
double pair_value(const SweepRun& run, Index pair, const char* key);
/// L1 and L2 of the run's network (from the manifest).
Index run_nonlinear_layers(const SweepRun& run);
Index run_linear_layers(const SweepRun& run);

/// Spearman's rank correlation of (x_i, y_i) (average ranks for ties); NaN for < 3 points.
double spearman_correlation(const std::vector<double>& x, const std::vector<double>& y);

/// Writes out/results.json, out/summary.md and out/report.html (written last) for one
/// experiment; returns the path of report.html.
std::filesystem::path write_experiment_report(const ExperimentResult& result, const ExperimentOptions& options);

struct Experiment {
    std::string name;         // as given to `ncv reproduce`
    std::string title;
    std::string description;  // what it runs and which claims it tests
    std::function<ExperimentResult(const ExperimentOptions&)> run;
};

/// The experiments a - e of issue 8 and f (the step sizes of T6, issue 6), in order.
const std::vector<Experiment>& experiment_registry();

}  // namespace ncverify::app
