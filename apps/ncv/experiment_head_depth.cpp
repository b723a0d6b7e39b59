// Experiment b (THEORY.md §4 (ii), (iii)): NC1 and NC2 at the input of the last layer
// (H_{L-1}) and at the input of the linear head (H_{L1}) as the linear head deepens,
// L2 = 1 .. 5. NC1 = tr Sigma_W / tr Sigma_B; NC2 = kappa of the uncentred class means
// (the quantity T2 bounds; docs/metrics.md).
#include <fmt/core.h>

#include "experiments.hpp"
#include "plot.hpp"

namespace ncverify::app {

ExperimentResult run_head_depth_experiment(const ExperimentOptions& options) {
    ExperimentResult result{"head-depth", "NC1 and NC2 as the linear head deepens (L2 = 1 .. 5)", {}, {}, {}, {}, {}, 0};
    const Index nonlinear = 3;
    const std::vector<Index> depths{1, 2, 3, 4, 5};
    std::string table = "### Final NC1 and NC2 (mean ± std over seeds)\n\n"
                        "| data | L2 | NC1(H_{L-1}) | NC2(H_{L-1}) | NC1(H_{L1}) | NC2(H_{L1}) | final data loss |\n"
                        "|---|---|---|---|---|---|---|\n";
    bool nc2_improves = true, nc1_smaller_in_head = true;
    std::string nc2_evidence, nc1_evidence;
    for (const ExperimentDataSet& data : experiment_data_sets(options)) {
        std::vector<double> all_depths, all_nc2_last;
        PlotSeries nc1_last{"NC1(H_{L−1})", {}, {}, SeriesStyle::line_points}, nc2_last{"NC2(H_{L−1})", {}, {}, SeriesStyle::line_points};
        PlotSeries nc1_first{"NC1(H_{L1})", {}, {}, SeriesStyle::line_points}, nc2_first{"NC2(H_{L1})", {}, {}, SeriesStyle::line_points};
        std::vector<MeanStd> nc2_by_depth, nc1_last_by_depth, nc1_first_by_depth, nc1_layer_one_by_depth;
        for (const Index L2 : depths) {
            const std::vector<SweepRun> runs =
                run_sweep(head_layout(data.base, nonlinear, L2), data.name, fmt::format("L2={}", L2), double(L2), options);
            std::vector<double> v_nc1_last, v_nc2_last, v_nc1_first, v_nc2_first, v_nc1_layer_one, loss;
            for (const SweepRun& run : runs) {
                const Index L = nonlinear + L2;
                v_nc1_last.push_back(layer_value(run, L - 1, {"features", "nc1_trace_ratio"}));
                v_nc2_last.push_back(layer_value(run, L - 1, {"features", "nc2_class_mean_condition_number"}));
                v_nc1_first.push_back(layer_value(run, nonlinear, {"features", "nc1_trace_ratio"}));
                v_nc2_first.push_back(layer_value(run, nonlinear, {"features", "nc2_class_mean_condition_number"}));
                v_nc1_layer_one.push_back(layer_value(run, 1, {"features", "nc1_trace_ratio"}));
                loss.push_back(run.directory.trajectory.back().data_loss);
                all_depths.push_back(double(L2));
                all_nc2_last.push_back(v_nc2_last.back());
            }
            const MeanStd a = mean_std(v_nc1_last), b = mean_std(v_nc2_last), c = mean_std(v_nc1_first),
                          d = mean_std(v_nc2_first);
            table += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", data.name, L2, format_mean_std(a), format_mean_std(b),
                                 format_mean_std(c), format_mean_std(d), format_mean_std(mean_std(loss)));
            add_mean_point(nc1_last, double(L2), a);
            add_mean_point(nc2_last, double(L2), b);
            add_mean_point(nc1_first, double(L2), c);
            add_mean_point(nc2_first, double(L2), d);
            nc2_by_depth.push_back(b);
            nc1_last_by_depth.push_back(a);
            nc1_first_by_depth.push_back(c);
            nc1_layer_one_by_depth.push_back(mean_std(v_nc1_layer_one));
            result.runs.insert(result.runs.end(), runs.begin(), runs.end());
        }
        const double rho = spearman_correlation(all_depths, all_nc2_last);
        const bool improves = rho < 0 && nc2_by_depth.back().mean < nc2_by_depth.front().mean;
        nc2_improves = nc2_improves && improves;
        nc2_evidence += fmt::format("{}{}: NC2(H_{{L-1}}) {:.4g} at L2 = 1, {:.4g} at L2 = 5, Spearman(L2, NC2) = {:.3g}",
                                    nc2_evidence.empty() ? "" : "; ", data.name, nc2_by_depth.front().mean,
                                    nc2_by_depth.back().mean, rho);
        for (std::size_t i = 1; i < depths.size(); ++i) {  // L2 >= 2: the head has a linear layer before W_L
            const bool small = nc1_last_by_depth[i].mean <= 0.1 * nc1_layer_one_by_depth[i].mean;
            nc1_smaller_in_head = nc1_smaller_in_head && small;
            nc1_evidence += fmt::format("{}{} L2={}: NC1(H_{{L-1}}) {:.3g}, NC1(H_{{L1}}) {:.3g}, NC1(H_1) {:.3g}",
                                        nc1_evidence.empty() ? "" : "; ", data.name, depths[i], nc1_last_by_depth[i].mean,
                                        nc1_first_by_depth[i].mean, nc1_layer_one_by_depth[i].mean);
        }
        for (int which = 0; which < 2; ++which) {
            LinePlot plot;
            plot.title = fmt::format("{}: {} against the depth of the linear head", plot_literal(data.name),
                                     which == 0 ? "NC1" : "NC2");
            plot.x_label = "linear layers L_{2}";
            plot.y_label = which == 0 ? "NC1 = tr Σ_{W} / tr Σ_{B}" : "NC2 = κ(class means)";
            plot.integer_x = true;
            plot.series = which == 0 ? std::vector<PlotSeries>{nc1_last, nc1_first} : std::vector<PlotSeries>{nc2_last, nc2_first};
            plot.log_y = spans_decades(plot);
            const std::string stem = fmt::format("head-depth-{}-{}", which == 0 ? "nc1" : "nc2", data.name);
            render_plot(plot, options.out / stem);
            result.plots.push_back(stem);
            result.plot_captions.push_back(fmt::format("{}: {} at the input of the last layer (H_{{L-1}}) and of the linear "
                                                       "head (H_{{L1}}), L1 = {}, mean over {} seeds (bars: ± one standard deviation).",
                                                       data.name, which == 0 ? "NC1" : "NC2", nonlinear, options.seeds));
        }
    }
    result.claims.push_back({"b1", "NC2 (orthogonality of the class means) improves as the linear head deepens",
                             "on every data set, Spearman's correlation between L2 and NC2(H_{L-1}) over all runs is < 0 and "
                             "the mean NC2 at L2 = 5 is below that at L2 = 1",
                             nc2_improves, nc2_evidence});
    result.claims.push_back({"b2", "NC1 becomes small in the linear head",
                             "for every L2 >= 2 and data set, mean NC1(H_{L-1}) is at most 1/10 of mean NC1(H_1), the first "
                             "layer's (NC1(H_{L1}), the head's input, is reported beside it)",
                             nc1_smaller_in_head, nc1_evidence});
    result.tables_markdown = table;
    return result;
}

}  // namespace ncverify::app
