// Experiment c (THEORY.md §4, the paper's appendix figure): per-layer NC1, NC2,
// balancedness and negativity of a 5 nonlinear + 4 linear MLP, and the class-mean
// cosine matrices of the linear head's features as heat maps.
#include <fmt/core.h>

#include <cmath>

#include "experiments.hpp"
#include "ncverify/data/data_source.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/network/forward_pass.hpp"
#include "plot.hpp"

namespace ncverify::app {
namespace {

/// cos(mu_c, mu_c') of the class means of H_layer of the run's final network.
Eigen::MatrixXd class_mean_cosines(const SweepRun& run, const RunConfig& config, Index layer) {
    const Checkpoint<double> checkpoint = load_checkpoint<double>(run.directory.path / "checkpoints" / "final.json");
    const Dataset dataset = load_dataset(config.data);
    const ForwardPass<double> pass = forward(checkpoint.state.network, dataset.inputs);
    const Matrix<double> means = class_statistics(pass.H(layer), dataset.labels, dataset.num_classes).class_means;
    const Eigen::VectorXd norms = means.colwise().norm();
    Eigen::MatrixXd cosines = means.transpose() * means;
    for (Index i = 0; i < cosines.rows(); ++i)
        for (Index j = 0; j < cosines.cols(); ++j) cosines(i, j) /= norms(i) * norms(j);
    return cosines;
}

}  // namespace

ExperimentResult run_per_layer_experiment(const ExperimentOptions& options) {
    ExperimentResult result{"per-layer", "per-layer NC1, NC2, balancedness and negativity (5 nonlinear + 4 linear layers)",
                            {}, {}, {}, {}, {}, 0};
    const Index L1 = 5, L2 = 4, L = L1 + L2;
    std::string table;
    bool nc1_falls = true, linear_balanced = true;
    std::string nc1_evidence, balance_evidence;
    for (const ExperimentDataSet& data : experiment_data_sets(options)) {
        const RunConfig config = head_layout(data.base, L1, L2);
        const std::vector<SweepRun> runs = run_sweep(config, data.name, "L1=5,L2=4", 0, options);
        table += fmt::format("### {}: per layer, final state (mean ± std over {} seeds)\n\n", data.name, runs.size()) +
                 markdown_header({"layer ℓ", "kind", "NC1(H_ℓ)", "NC2(H_ℓ)", "negativity",
                                  "||D_ℓ||_op/||W_ℓ||_op² (pair ℓ, ℓ+1)"});
        PlotSeries nc1{"NC1 = tr Σ_{W}/tr Σ_{B}", {}, {}, SeriesStyle::line_points},
            nc2{"NC2 = κ(class means)", {}, {}, SeriesStyle::line_points},
            balance{"‖D_{ℓ}‖_{op}/‖W_{ℓ}‖_{op}^{2}", {}, {}, SeriesStyle::line_points},
            negativity{"negativity", {}, {}, SeriesStyle::line_points};
        std::vector<double> nc1_means(std::size_t(L), NAN), balance_means(std::size_t(L), NAN);
        for (Index l = 1; l < L; ++l) {
            std::vector<double> a, b, c, d;
            for (const SweepRun& run : runs) {
                a.push_back(layer_value(run, l, {"features", "nc1_trace_ratio"}));
                b.push_back(layer_value(run, l, {"features", "nc2_class_mean_condition_number"}));
                c.push_back(layer_value(run, l, {"negativity"}));
                d.push_back(pair_value(run, l, "relative_gap"));
            }
            const MeanStd ma = mean_std(a), mb = mean_std(b), mc = mean_std(c), md = mean_std(d);
            table += fmt::format("| {} | {} | {} | {} | {} | {} |\n", l, l <= L1 ? "nonlinear" : "linear", format_mean_std(ma),
                                 format_mean_std(mb), l <= L1 ? format_mean_std(mc) : "—", format_mean_std(md));
            add_mean_point(nc1, double(l), ma);
            add_mean_point(nc2, double(l), mb);
            add_mean_point(balance, double(l), md);
            if (l <= L1) {
                add_mean_point(negativity, double(l), mc);
            }
            nc1_means[std::size_t(l)] = ma.mean;
            balance_means[std::size_t(l)] = md.mean;
        }
        table += "\n";
        // c1: NC1 falls through the linear head: H_{L-1} against H_{L1}.
        const bool falls = nc1_means[std::size_t(L - 1)] <= 0.1 * nc1_means[1];
        nc1_falls = nc1_falls && falls;
        nc1_evidence += fmt::format("{}{}: NC1(H_1) = {:.3g}, NC1(H_{}) = {:.3g}, NC1(H_{}) = {:.3g}",
                                    nc1_evidence.empty() ? "" : "; ", data.name, nc1_means[1], L1, nc1_means[std::size_t(L1)],
                                    L - 1, nc1_means[std::size_t(L - 1)]);
        // c2: pairs (l, l+1) with l > L1 are linear; l <= L1 nonlinear.
        double largest_linear = 0, smallest_nonlinear = INFINITY;
        for (Index l = 1; l < L; ++l) {
            if (l > L1) largest_linear = std::max(largest_linear, balance_means[std::size_t(l)]);
            else smallest_nonlinear = std::min(smallest_nonlinear, balance_means[std::size_t(l)]);
        }
        linear_balanced = linear_balanced && largest_linear < smallest_nonlinear;
        balance_evidence += fmt::format("{}{}: largest linear {:.3g}, smallest nonlinear {:.3g}",
                                        balance_evidence.empty() ? "" : "; ", data.name, largest_linear, smallest_nonlinear);

        LinePlot plot;
        plot.title = fmt::format("{}: collapse and balancedness per layer (L_{{1}} = 5, L_{{2}} = 4)", plot_literal(data.name));
        plot.x_label = "layer ℓ";
        plot.y_label = "value at the final state";
        plot.integer_x = true;
        plot.log_y = true;
        plot.series = {nc1, nc2, balance, negativity};
        plot.markers.push_back({double(L1) + 0.5, "nonlinear | linear"});
        const std::string stem = fmt::format("per-layer-{}", data.name);
        render_plot(plot, options.out / stem);
        result.plots.push_back(stem);
        result.plot_captions.push_back(fmt::format(
            "{}: NC1, NC2 and negativity of H_ℓ and the relative balancedness of the pair (W_ℓ, W_ℓ+1), per layer, mean over "
            "{} seeds (bars: ± one standard deviation).",
            data.name, runs.size()));
        for (Index l = L1; l < L; ++l) {
            HeatMap map;
            map.title = fmt::format("{}: cos(μ_{{c}}, μ_{{c′}}) of H_{{{}}} (seed 1)", plot_literal(data.name), l);
            map.x_label = "class c′";
            map.y_label = "class c";
            map.colorbar_label = "cosine";
            map.values = class_mean_cosines(runs.front(), config, l);
            map.diverging = true;
            map.range_min = -1;
            map.range_max = 1;
            map.show_values = map.values.rows() <= 10;  // K x K cosines, printed in their cells
            const std::string map_stem = fmt::format("per-layer-gram-{}-H{}", data.name, l);
            render_plot(map, options.out / map_stem, {520, 460});
            result.plots.push_back(map_stem);
            result.plot_captions.push_back(fmt::format(
                "{}: cosines between the class means of H_{} ({}), seed 1; an orthogonal frame is the identity.", data.name,
                l, l == L1 ? "the input of the linear head" : "a linear layer's output"));
        }
        result.runs.insert(result.runs.end(), runs.begin(), runs.end());
    }
    result.claims.push_back({"c1", "NC1 becomes small in the linear head",
                             "on every data set, mean NC1 at the last hidden layer H_{L-1} is at most 1/10 of that at the "
                             "first layer H_1 (H_{L1}, the head's input, is reported beside it)",
                             nc1_falls, nc1_evidence});
    result.claims.push_back({"c2", "linear layers are balanced, nonlinear layers are not",
                             "on every data set, the largest mean relative gap of a linear pair is below the smallest of a "
                             "nonlinear pair",
                             linear_balanced, balance_evidence});
    result.tables_markdown = table;
    return result;
}

}  // namespace ncverify::app
