// Experiment d (THEORY.md §4 (iv)): nonlinear depth L1 = 4 .. 12 (quick: 2 .. 6) with
// weight decay lambda = c / L (the paper's 0.016/L; c is the base configuration's lambda
// times its depth at L1 = 4, L2 = 2): minimum and mean balancedness and negativity over
// the nonlinear layers at the final state.
#include <fmt/core.h>

#include <cmath>

#include "experiments.hpp"
#include "plot.hpp"

namespace ncverify::app {

ExperimentResult run_nonlinear_depth_experiment(const ExperimentOptions& options) {
    ExperimentResult result{"nonlinear-depth", "negativity and balancedness as the nonlinear part deepens (λ = c/L)",
                            {}, {}, {}, {}, {}, 0};
    const Index L2 = 2;
    const std::vector<Index> depths = options.quick ? std::vector<Index>{2, 3, 4, 5, 6} : std::vector<Index>{4, 6, 8, 10, 12};
    const double reference_depth = double(depths.front() + L2);
    std::string table = "### Final state, over the nonlinear layers (mean ± std over seeds)\n\n" +
                        markdown_header({"data", "L1", "λ", "mean negativity", "min negativity",
                                         "mean ||D_ℓ||/||W_ℓ||² (nonlinear pairs)", "min ||D_ℓ||/||W_ℓ||²",
                                         "final data loss"});
    bool negativity_falls = true, balance_improves = true;
    std::string negativity_evidence, balance_evidence;
    for (const ExperimentDataSet& data : experiment_data_sets(options)) {
        std::vector<double> x, mean_negativity, mean_balance;
        PlotSeries neg_mean{"mean negativity", {}, {}, SeriesStyle::line_points},
            neg_min{"min negativity", {}, {}, SeriesStyle::line_points},
            bal_mean{"mean ‖D_{ℓ}‖/‖W_{ℓ}‖^{2}", {}, {}, SeriesStyle::line_points},
            bal_min{"min ‖D_{ℓ}‖/‖W_{ℓ}‖^{2}", {}, {}, SeriesStyle::line_points};
        for (const Index L1 : depths) {
            const double factor = reference_depth / double(L1 + L2);
            const RunConfig config = scale_weight_decay(head_layout(data.base, L1, L2), factor);
            const std::vector<SweepRun> runs = run_sweep(config, data.name, fmt::format("L1={}", L1), double(L1), options);
            std::vector<double> v_mean_neg, v_min_neg, v_mean_bal, v_min_bal, loss;
            for (const SweepRun& run : runs) {
                std::vector<double> neg, bal;
                for (Index l = 1; l <= L1; ++l) {
                    neg.push_back(layer_value(run, l, {"negativity"}));
                    bal.push_back(pair_value(run, l, "relative_gap"));  // pairs (l, l+1), l <= L1: nonlinear
                }
                v_mean_neg.push_back(mean_std(neg).mean);
                v_min_neg.push_back(*std::min_element(neg.begin(), neg.end()));
                v_mean_bal.push_back(mean_std(bal).mean);
                v_min_bal.push_back(*std::min_element(bal.begin(), bal.end()));
                loss.push_back(run.directory.trajectory.back().data_loss);
                x.push_back(double(L1));
                mean_negativity.push_back(v_mean_neg.back());
                mean_balance.push_back(v_mean_bal.back());
            }
            const MeanStd a = mean_std(v_mean_neg), b = mean_std(v_min_neg), c = mean_std(v_mean_bal), d = mean_std(v_min_bal);
            table += fmt::format("| {} | {} | {:.3g} | {} | {} | {} | {} | {} |\n", data.name, L1,
                                 config.phases.back().weight_decay, format_mean_std(a), format_mean_std(b), format_mean_std(c),
                                 format_mean_std(d), format_mean_std(mean_std(loss)));
            for (auto [series, value] : {std::pair{&neg_mean, a}, std::pair{&neg_min, b}, std::pair{&bal_mean, c},
                                         std::pair{&bal_min, d}})
                add_mean_point(*series, double(L1), value);
            result.runs.insert(result.runs.end(), runs.begin(), runs.end());
        }
        const double rho_negativity = spearman_correlation(x, mean_negativity);
        const double rho_balance = spearman_correlation(x, mean_balance);
        negativity_falls = negativity_falls && rho_negativity < 0;
        balance_improves = balance_improves && rho_balance < 0;
        negativity_evidence += fmt::format("{}{}: Spearman(L1, mean negativity) = {:.3g} (mean {:.3g} at L1 = {}, {:.3g} at L1 = {})",
                                           negativity_evidence.empty() ? "" : "; ", data.name, rho_negativity,
                                           neg_mean.y.front(), depths.front(), neg_mean.y.back(), depths.back());
        balance_evidence += fmt::format("{}{}: Spearman(L1, mean relative gap) = {:.3g} (mean {:.3g} at L1 = {}, {:.3g} at L1 = {})",
                                        balance_evidence.empty() ? "" : "; ", data.name, rho_balance, bal_mean.y.front(),
                                        depths.front(), bal_mean.y.back(), depths.back());
        LinePlot plot;
        plot.title = fmt::format("{}: nonlinear depth, λ ∝ 1/L", plot_literal(data.name));
        plot.x_label = "nonlinear layers L_{1}";
        plot.y_label = "value at the final state";
        plot.integer_x = true;
        plot.series = {neg_mean, neg_min, bal_mean, bal_min};
        plot.log_y = spans_decades(plot);
        const std::string stem = fmt::format("nonlinear-depth-{}", data.name);
        render_plot(plot, options.out / stem);
        result.plots.push_back(stem);
        result.plot_captions.push_back(fmt::format(
            "{}: mean and minimum over the nonlinear layers of the negativity and of the relative balancedness, against L1 "
            "(L2 = {}, λ ∝ 1/L), mean over {} seeds (bars: ± one standard deviation).",
            data.name, L2, options.seeds));
    }
    result.claims.push_back({"d1", "deeper nonlinear parts become less nonlinear (negativity falls)",
                             "on every data set, Spearman's correlation between L1 and the mean negativity over all runs is < 0",
                             negativity_falls, negativity_evidence});
    result.claims.push_back({"d2", "deeper nonlinear parts become more balanced",
                             "on every data set, Spearman's correlation between L1 and the mean relative gap of the nonlinear "
                             "pairs is < 0",
                             balance_improves, balance_evidence});
    result.tables_markdown = table;
    return result;
}

}  // namespace ncverify::app
