// Experiment a (THEORY.md §4 (i)): the balancedness ||D_l||_op of linear and nonlinear
// pairs during training, against the decay (1 - eta lambda)^{2t} that L1 predicts for the
// linear pairs in a phase with constant eta and lambda.
#include <fmt/core.h>

#include <cmath>

#include "experiments.hpp"
#include "plot.hpp"

namespace ncverify::app {
namespace {

struct DecayFit {
    double slope = NAN;  // least-squares slope of log ||D|| against the step
    Index first_step = 0;
};

/// The fit over the records of the last phase (its eta, lambda are constant).
DecayFit fit_last_phase(const std::vector<TrajectoryRecord>& records, std::size_t pair) {
    const Index last_phase = records.back().phase;
    std::vector<double> t, y;
    DecayFit fit;
    for (const TrajectoryRecord& r : records)
        if (r.phase == last_phase && r.balancedness_gaps[pair] > 0) {
            if (t.empty()) fit.first_step = r.step;
            t.push_back(double(r.step));
            y.push_back(std::log(r.balancedness_gaps[pair]));
        }
    if (t.size() < 3) return fit;
    const MeanStd mt = mean_std(t), my = mean_std(y);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        sxy += (t[i] - mt.mean) * (y[i] - my.mean);
        sxx += (t[i] - mt.mean) * (t[i] - mt.mean);
    }
    fit.slope = sxy / sxx;
    return fit;
}

}  // namespace

ExperimentResult run_balancedness_experiment(const ExperimentOptions& options) {
    ExperimentResult result{"balancedness", "balancedness of linear vs nonlinear layers during training", {}, {}, {}, {}, {}, 0};
    std::vector<double> rate_ratios;                       // fitted / predicted log-rate, linear pairs
    std::vector<double> linear_relative, nonlinear_relative;  // final relative gaps, per (pair, run)
    std::string table = "### Fitted decay of ||D_l||_op in the weight-decay phase\n\n" +
                        markdown_header({"data", "pair", "kind", "fitted rate per step (mean ± std)",
                                         "predicted 2 log(1 − ηλ)", "ratio", "final ||D_l||_op/||W_l||_op²"});
    for (const ExperimentDataSet& data : experiment_data_sets(options)) {
        const RunConfig config = head_layout(data.base, 3, 3);
        const std::vector<SweepRun> runs = run_sweep(config, data.name, "L1=3,L2=3", 0, options);
        const TrainingPhase& phase = config.phases.back();
        const double predicted = 2 * std::log1p(-phase.learning_rate * phase.weight_decay);
        const std::size_t pairs = runs.front().directory.linear_pairs.size();
        LinePlot plot;
        plot.title = fmt::format("{}: balancedness during training (mean of {} seeds)", plot_literal(data.name), runs.size());
        plot.x_label = "step";
        plot.y_label = "‖D_{ℓ}‖_{op} / ‖D_{ℓ}(t_{0})‖_{op}";
        plot.log_y = true;
        Index phase_start = 0;
        for (std::size_t pair = 0; pair < pairs; ++pair) {
            const bool linear = runs.front().directory.linear_pairs[pair];
            std::vector<double> slopes, relative;
            for (const SweepRun& run : runs) {
                const DecayFit fit = fit_last_phase(run.directory.trajectory, pair);
                slopes.push_back(fit.slope);
                phase_start = fit.first_step;
                relative.push_back(pair_value(run, Index(pair + 1), "relative_gap"));
            }
            const MeanStd slope = mean_std(slopes), rel = mean_std(relative);
            (linear ? linear_relative : nonlinear_relative).push_back(rel.mean);
            if (linear) rate_ratios.push_back(slope.mean / predicted);
            table += fmt::format("| {} | ({}, {}) | {} | {} | {:.4g} | {:.3g} | {} |\n", data.name, pair + 1, pair + 2,
                                 linear ? "linear" : "nonlinear", format_mean_std(slope), predicted, slope.mean / predicted,
                                 format_mean_std(rel));
            // Mean over seeds of ||D(t)|| / ||D(t_0)||, t_0 = the first record of the run.
            PlotSeries series;
            series.name = fmt::format("pair ({}, {}) {}", pair + 1, pair + 2, linear ? "linear" : "nonlinear");
            series.style = linear ? SeriesStyle::line : SeriesStyle::dashed_line;
            const std::vector<TrajectoryRecord>& reference = runs.front().directory.trajectory;
            for (std::size_t i = 0; i < reference.size(); ++i) {
                std::vector<double> ratios;
                for (const SweepRun& run : runs)
                    if (i < run.directory.trajectory.size())
                        ratios.push_back(run.directory.trajectory[i].balancedness_gaps[pair] /
                                         run.directory.trajectory.front().balancedness_gaps[pair]);
                series.x.push_back(double(reference[i].step));
                series.y.push_back(mean_std(ratios).mean);
            }
            plot.series.push_back(std::move(series));
        }
        // The predicted line from the start of the weight-decay phase, anchored at the mean
        // of the linear pairs there.
        PlotSeries predicted_line;
        predicted_line.name = "(1 − ηλ)^{2(t − t₀)}, L1 (linear pairs)";
        predicted_line.style = SeriesStyle::dashed_line;
        double anchor = 0;
        int anchored = 0;
        for (const PlotSeries& s : plot.series)
            for (std::size_t i = 0; i < s.x.size(); ++i)
                if (s.x[i] == double(phase_start) && s.style == SeriesStyle::line) {
                    anchor += s.y[i];
                    ++anchored;
                }
        anchor = anchored ? anchor / anchored : 1.0;
        for (const double step : plot.series.front().x)
            if (step >= double(phase_start)) {
                predicted_line.x.push_back(step);
                predicted_line.y.push_back(anchor * std::exp(predicted * (step - double(phase_start))));
            }
        plot.series.push_back(std::move(predicted_line));
        plot.markers.push_back({double(phase_start), plot_literal(phase.name)});
        const std::string stem = fmt::format("balancedness-{}", data.name);
        render_plot(plot, options.out / stem);
        result.plots.push_back(stem);
        result.plot_captions.push_back(fmt::format(
            "{}: ‖D_ℓ‖_op of every consecutive pair relative to its initial value (mean over seeds; solid: linear pairs, "
            "dashed: nonlinear) and the L1 prediction (1 − ηλ)^(2t) from the start of the weight-decay phase (η = {}, λ = {}).",
            data.name, phase.learning_rate, phase.weight_decay));
        result.runs.insert(result.runs.end(), runs.begin(), runs.end());
    }
    double worst_low = INFINITY, worst_high = -INFINITY;
    for (double r : rate_ratios) {
        worst_low = std::min(worst_low, r);
        worst_high = std::max(worst_high, r);
    }
    result.claims.push_back(
        {"a1", "linear layers balance exponentially, at the rate (1 − ηλ)² per step (L1)",
         "for every linear pair and data set, the fitted log-rate of ||D_l||_op in the weight-decay phase is 0.5 to 1.5 "
         "times 2 log(1 − ηλ) (the η² gradient term of L1 can only slow it down)",
         !rate_ratios.empty() && worst_low >= 0.5 && worst_high <= 1.5,
         fmt::format("fitted/predicted between {:.3g} and {:.3g} over {} linear pair(s)", worst_low, worst_high,
                     rate_ratios.size())});
    double largest_linear = 0, smallest_nonlinear = INFINITY;
    for (double v : linear_relative) largest_linear = std::max(largest_linear, v);
    for (double v : nonlinear_relative) smallest_nonlinear = std::min(smallest_nonlinear, v);
    result.claims.push_back({"a2", "nonlinear layers stay unbalanced",
                             "the smallest final relative gap ||D_l||_op/||W_l||_op² of a nonlinear pair is at least 10 times "
                             "the largest of a linear pair (means over seeds)",
                             smallest_nonlinear >= 10 * largest_linear,
                             fmt::format("smallest nonlinear {:.3g}, largest linear {:.3g} (ratio {:.3g})", smallest_nonlinear,
                                         largest_linear, smallest_nonlinear / largest_linear)});
    result.tables_markdown = table;
    return result;
}

}  // namespace ncverify::app
