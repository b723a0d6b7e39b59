#include "report_command.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>
#include <string_view>

#include "ncverify/errors.hpp"
#include "html.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "plot.hpp"
#include "run_directory.hpp"

namespace ncverify::app {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------- JSON access

/// The value at `keys` below `root`, or nullptr when a level is missing or null.
const json* find_path(const json& root, const std::vector<const char*>& keys) {
    const json* node = &root;
    for (const char* key : keys) {
        if (!node->is_object()) return nullptr;
        const auto it = node->find(key);
        if (it == node->end() || it->is_null()) return nullptr;
        node = &*it;
    }
    return node;
}

std::optional<double> number_at(const json& root, const std::vector<const char*>& keys) {
    const json* value = find_path(root, keys);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    return value->get<double>();
}

std::string string_at(const json& root, const std::vector<const char*>& keys, const std::string& fallback = "") {
    const json* value = find_path(root, keys);
    return value != nullptr && value->is_string() ? value->get<std::string>() : fallback;
}

// ---------------------------------------------------------------- HTML text

/// 6 significant digits; an em dash for NaN (a value the run could not compute).
std::string format_number(double value) {
    if (std::isnan(value)) return "—";
    if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
    return fmt::format("{:.6g}", value);
}

/// Any JSON scalar as escaped text (strings as they are, numbers as format_number,
/// measurement value objects by their value).
std::string json_text(const json* value) {
    if (value == nullptr || value->is_null()) return "—";
    if (value->is_string()) return html_escape(value->get<std::string>());
    if (value->is_boolean()) return value->get<bool>() ? "yes" : "no";
    if (value->is_number_integer()) return fmt::format("{}", value->get<long long>());
    if (value->is_number()) return format_number(value->get<double>());
    if (value->is_object() && value->contains("value")) return format_number(measured_value(*value));
    return html_escape(value->dump());
}

/// A JSON string that holds math or prose about it (a checker's names, statements, reasons
/// and notes; a run's status message) as math_html; any other value as json_text.
std::string json_math(const json* value) {
    if (value != nullptr && value->is_string()) return math_html(value->get<std::string>());
    return json_text(value);
}

/// The run's status as a badge followed by its message, without the status word the message
/// repeats ("completed 5000 steps" after the badge `completed` reads "5000 steps").
std::string status_with_message(const json& manifest) {
    const std::string status = string_at(manifest, {"status"});
    const json* message = find_path(manifest, {"message"});
    if (message != nullptr && message->is_string()) {
        const std::string text = message->get<std::string>();
        if (!status.empty() && text.rfind(status + " ", 0) == 0)
            return fmt::format("{} {}", status_badge(status), math_html(text.substr(status.size() + 1)));
    }
    return fmt::format("{} {}", status_badge(status), json_math(message));
}

/// A right-aligned table cell; a measurement value object carries its exact form as a tooltip.
std::string number_cell(const json* value) {
    if (value != nullptr && value->is_object() && value->contains("exact") && (*value)["exact"].is_string())
        return fmt::format("<td class=\"num\" title=\"exact: {}\">{}</td>",
                           html_escape((*value)["exact"].get<std::string>()), json_text(value));
    return fmt::format("<td class=\"num\">{}</td>", json_text(value));
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buffer;
}

// ---------------------------------------------------------------- plots

struct Figure {
    std::string stem;     // file name without extension, in the report directory
    std::string alt;      // plain-text title
    std::string caption;  // HTML
    RenderedPlot files;
};

struct Figures {
    std::vector<Figure> trajectory, final_state;
    std::vector<std::string> notes;  // HTML: plots not drawn and why
};

/// Every plot the report may draw (file stems): images of these names that the current
/// report does not draw are removed, so that the directory holds one report only.
constexpr const char* kPlotStems[] = {
    "loss",      "gradient-norm", "balancedness", "weight-norms",       "nc1-along-training", "nc2-along-training",
    "final-nc1", "final-nc2",     "final-nc3",    "final-balancedness", "final-negativity"};

/// Renders `plot` (log y when its data span a decade) as `<out>/<stem>.{svg,png}`, or
/// records why it has nothing to draw.
void add_figure(LinePlot plot, const std::string& stem, const std::string& alt, const std::string& caption,
                const fs::path& out, std::vector<Figure>& figures, std::vector<std::string>& notes) {
    plot.log_y = spans_decades(plot);
    if (drawable_points(plot) == 0) {
        notes.push_back(fmt::format("{}: not drawn, no finite value.", html_escape(alt)));
        return;
    }
    Figure figure{stem, alt, caption, render_plot(plot, out / stem)};
    figures.push_back(std::move(figure));
}

std::optional<Index> nonlinear_layers(const RunDirectory& run) {
    if (auto l1 = number_at(run.measurements, {"network", "nonlinear_layers"})) return static_cast<Index>(*l1);
    if (auto l1 = number_at(run.manifest, {"network", "nonlinear_layers"})) return static_cast<Index>(*l1);
    return std::nullopt;
}

/// A marker at the first step of every phase after the first, within the recorded steps.
std::vector<VerticalMarker> phase_markers(const RunDirectory& run) {
    std::vector<VerticalMarker> markers;
    const json* phases = find_path(run.manifest, {"phases"});
    if (phases == nullptr || !phases->is_array() || run.trajectory.empty()) return markers;
    const double first = static_cast<double>(run.trajectory.front().step);
    const double last = static_cast<double>(run.trajectory.back().step);
    double start = 0;
    for (std::size_t i = 0; i < phases->size(); ++i) {
        const json& phase = (*phases)[i];
        if (i > 0 && start > first && start <= last)
            markers.push_back({start, plot_literal(string_at(phase, {"name"}, fmt::format("phase {}", i)))});
        start += number_at(phase, {"steps"}).value_or(0);
    }
    return markers;
}

void trajectory_figures(const RunDirectory& run, const fs::path& out, Figures& figures) {
    if (run.trajectory.empty()) {
        figures.notes.push_back(fmt::format("The trajectory ({}) has no record: no plot along training.",
                                            html_escape(run.trajectory_file.filename().string())));
        return;
    }
    const std::vector<VerticalMarker> markers = phase_markers(run);
    std::vector<double> steps;
    for (const TrajectoryRecord& r : run.trajectory) steps.push_back(static_cast<double>(r.step));
    const auto column = [&](auto get) {
        std::vector<double> values;
        for (const TrajectoryRecord& r : run.trajectory) values.push_back(get(r));
        return values;
    };
    const std::string phases_note =
        markers.empty() ? "" : " Dotted vertical lines: the first step of each training phase.";

    LinePlot loss;
    loss.title = "Loss along training";
    loss.x_label = "step";
    loss.y_label = "loss  C_{0} = ½‖H_{L} − Y‖²_{F},  C_{λ} = C_{0} + (λ/2) Σ_{ℓ} ‖W_{ℓ}‖²_{F}";
    loss.series.push_back({"C_{λ} (regularised loss, minimised by GD)", steps,
                           column([](const TrajectoryRecord& r) { return r.loss; }), SeriesStyle::line});
    loss.series.push_back({"C_{0} (data loss)", steps, column([](const TrajectoryRecord& r) { return r.data_loss; }),
                           SeriesStyle::dashed_line});
    loss.markers = markers;
    add_figure(loss, "loss", "Loss along training",
               fmt::format("The regularised loss C<sub>λ</sub> and the data loss C<sub>0</sub> = ½‖H<sub>L</sub> − "
                           "Y‖<sub>F</sub><sup>2</sup> at every recorded step.{}",
                           phases_note),
               out, figures.trajectory, figures.notes);

    LinePlot gradient;
    gradient.title = "Gradient norm along training";
    gradient.x_label = "step";
    gradient.y_label = "gradient norm  ‖∇C_{λ}‖_{F}";
    gradient.series.push_back({"‖∇C_{λ}‖_{F} over all weights", steps,
                               column([](const TrajectoryRecord& r) { return r.gradient_norm; }), SeriesStyle::line});
    gradient.markers = markers;
    add_figure(gradient, "gradient-norm", "Gradient norm along training",
               fmt::format("The Frobenius norm of the gradient of C<sub>λ</sub> over all weights.{}", phases_note), out,
               figures.trajectory, figures.notes);

    if (!run.linear_pairs.empty()) {
        LinePlot balancedness;
        balancedness.title = "Balancedness along training";
        balancedness.x_label = "step";
        balancedness.y_label = "‖D_{ℓ}‖_{op} = ‖W_{ℓ+1}^{T}W_{ℓ+1} − W_{ℓ}W_{ℓ}^{T}‖_{op}";
        for (std::size_t pair = 0; pair < run.linear_pairs.size(); ++pair) {
            const bool linear = run.linear_pairs[pair];
            balancedness.series.push_back({fmt::format("‖D_{{{}}}‖_{{op}}, (W_{{{}}}, W_{{{}}}) {}", pair + 1, pair + 1,
                                                       pair + 2, linear ? "linear" : "nonlinear"),
                                           steps, column([pair](const TrajectoryRecord& r) {
                                               return pair < r.balancedness_gaps.size() ? r.balancedness_gaps[pair]
                                                                                        : std::nan("");
                                           }),
                                           linear ? SeriesStyle::line : SeriesStyle::dashed_line});
        }
        balancedness.markers = markers;
        balancedness.y_from_zero = true;
        add_figure(balancedness, "balancedness", "Balancedness along training",
                   fmt::format("The balancedness gap of every consecutive pair of layers; solid: linear pairs "
                               "(no activation between, where gradient descent with weight decay drives D<sub>ℓ</sub> "
                               "to 0: L1), dashed: nonlinear pairs.{}",
                               phases_note),
                   out, figures.trajectory, figures.notes);
    }

    LinePlot weights;
    weights.title = "Weight norms along training";
    weights.x_label = "step";
    weights.y_label = "‖W_{ℓ}‖_{F}";
    const std::size_t num_layers = run.trajectory.front().weight_norms.size();
    const std::optional<Index> l1 = nonlinear_layers(run);
    for (std::size_t layer = 0; layer < num_layers; ++layer) {
        const bool linear = l1 && static_cast<Index>(layer) >= *l1;
        weights.series.push_back({fmt::format("‖W_{{{}}}‖_{{F}}{}", layer + 1, linear ? " (linear layer)" : ""), steps,
                                  column([layer](const TrajectoryRecord& r) {
                                      return layer < r.weight_norms.size() ? r.weight_norms[layer] : std::nan("");
                                  }),
                                  linear ? SeriesStyle::line : SeriesStyle::dashed_line});
    }
    weights.markers = markers;
    weights.y_from_zero = true;
    add_figure(
        weights, "weight-norms", "Weight norms along training",
        fmt::format("The Frobenius norm of every weight matrix; solid: the linear layers (l &gt; L<sub>1</sub>), "
                    "dashed: the nonlinear ones.{}",
                    phases_note),
        out, figures.trajectory, figures.notes);
}

/// One series per layer of a quantity of the reports along training (reports.json), over
/// the steps: linear layers solid, nonlinear ones dashed.
std::vector<PlotSeries> per_layer_over_steps(const json& reports, const std::vector<const char*>& keys,
                                             const std::string& symbol, std::optional<Index> l1) {
    std::vector<PlotSeries> series;
    for (const json& entry : reports) {
        const double step = static_cast<double>(entry["step"].get<Index>());
        for (const json& layer : entry["report"]["layers"]) {
            const json* value = find_path(layer, keys);
            if (value == nullptr) continue;
            const auto l = static_cast<std::size_t>(layer["layer"].get<Index>());
            if (l == 0) continue;
            while (series.size() < l) {
                const std::size_t n = series.size() + 1;
                const bool linear = l1 && static_cast<Index>(n) > *l1;
                series.push_back({fmt::format("{} of H_{{{}}}{}", symbol, n, linear ? " (linear layer)" : ""),
                                  {},
                                  {},
                                  linear ? SeriesStyle::line : SeriesStyle::dashed_line});
            }
            series[l - 1].x.push_back(step);
            series[l - 1].y.push_back(measured_value(*value));
        }
    }
    std::erase_if(series, [](const PlotSeries& s) { return s.x.empty(); });
    return series;
}

void report_trajectory_figures(const RunDirectory& run, const fs::path& out, Figures& figures) {
    const json& reports = (*run.reports)["reports"];
    const std::optional<Index> l1 = nonlinear_layers(run);
    const std::vector<VerticalMarker> markers = phase_markers(run);

    LinePlot nc1;
    nc1.title = "NC1 along training, per layer";
    nc1.x_label = "step";
    nc1.y_label = "NC1 = tr Σ_{W} / tr Σ_{B} (→ 0 at collapse)";
    nc1.series = per_layer_over_steps(reports, {"features", "nc1_trace_ratio"}, "tr Σ_{W}/tr Σ_{B}", l1);
    nc1.markers = markers;
    add_figure(nc1, "nc1-along-training", "NC1 along training",
               "The paper's NC1 of the features H<sub>ℓ</sub> of every layer at every step of reports.json; solid: "
               "linear layers, dashed: nonlinear ones. T1 bounds it for H<sub>L−1</sub>.",
               out, figures.trajectory, figures.notes);

    LinePlot nc2;
    nc2.title = "NC2 along training, per layer";
    nc2.x_label = "step";
    nc2.y_label = "NC2 = κ(M), uncentred class means (→ 1)";
    nc2.series = per_layer_over_steps(reports, {"features", "nc2_class_mean_condition_number"}, "κ(M)", l1);
    nc2.markers = markers;
    add_figure(nc2, "nc2-along-training", "NC2 along training",
               "The paper's NC2, the condition number of the class means of H<sub>ℓ</sub>, at every step of "
               "reports.json; solid: linear layers, dashed: nonlinear ones. T2 bounds it for H<sub>L−1</sub>.",
               out, figures.trajectory, figures.notes);
}

/// One series over the layers of measurements.json: the value at `keys` of every layer
/// that has it (layers where the quantity does not apply are left out).
PlotSeries layer_series(const json& layers, std::string name, const std::vector<const char*>& keys,
                        SeriesStyle style = SeriesStyle::line_points) {
    PlotSeries series{std::move(name), {}, {}, style};
    for (const json& layer : layers) {
        const json* value = find_path(layer, keys);
        if (value == nullptr) continue;
        series.x.push_back(static_cast<double>(layer["layer"].get<Index>()));
        series.y.push_back(value->is_number() ? value->get<double>() : measured_value(*value));
    }
    return series;
}

void final_state_figures(const RunDirectory& run, const fs::path& out, Figures& figures) {
    const json& layers = run.measurements["layers"];
    const std::optional<Index> l1 = nonlinear_layers(run);
    std::vector<VerticalMarker> linear_marker;
    if (l1 && static_cast<std::size_t>(*l1) < layers.size())
        linear_marker.push_back({static_cast<double>(*l1) + 0.5, "linear →"});
    const json* pinv_option = find_path(run.measurements, {"options", "nc1_pinv_divided_by_num_classes"});
    const bool pinv_over_k = pinv_option == nullptr || !pinv_option->is_boolean() || pinv_option->get<bool>();
    const std::string line_note = linear_marker.empty()
                                      ? ""
                                      : " The dotted vertical line separates the nonlinear layers (left) from the "
                                        "linear ones (right).";

    LinePlot nc1;
    nc1.title = "NC1 at the final state, per layer";
    nc1.x_label = "layer ℓ";
    nc1.y_label = "NC1 (→ 0 at collapse)";
    nc1.integer_x = true;
    nc1.series.push_back(layer_series(layers, "tr Σ_{W} / tr Σ_{B} of H_{ℓ} (paper)", {"features", "nc1_trace_ratio"}));
    nc1.series.push_back(layer_series(layers,
                                      pinv_over_k ? "tr(Σ_{W}Σ_{B}^{†})/K of H_{ℓ}" : "tr(Σ_{W}Σ_{B}^{†}) of H_{ℓ}",
                                      {"features", "nc1_pinv"}));
    nc1.series.push_back(layer_series(layers, "CDNV of H_{ℓ}", {"features", "nc1_cdnv"}));
    nc1.series.push_back(layer_series(layers, "tr Σ_{W} / tr Σ_{B} of Z_{ℓ} (pre-activations)",
                                      {"pre_activations", "nc1_trace_ratio"}, SeriesStyle::points));
    nc1.markers = linear_marker;
    add_figure(nc1, "final-nc1", "NC1 per layer at the final state",
               fmt::format("Within-class variability relative to between-class variability of the features "
                           "H<sub>ℓ</sub> of every layer (and of the pre-activations Z<sub>ℓ</sub> of the nonlinear "
                           "layers), from measurements.json (docs/metrics.md).{}",
                           line_note),
               out, figures.final_state, figures.notes);

    LinePlot nc2;
    nc2.title = "NC2 at the final state, per layer";
    nc2.x_label = "layer ℓ";
    nc2.y_label = "NC2: κ(M) (→ 1), frame errors (→ 0)";
    nc2.integer_x = true;
    nc2.series.push_back(layer_series(layers, "κ(M), uncentred class means of H_{ℓ} (paper, → 1)",
                                      {"features", "nc2_class_mean_condition_number"}));
    nc2.series.push_back(layer_series(layers, "simplex-ETF error of M̃", {"features", "nc2_simplex_etf_error"}));
    nc2.series.push_back(
        layer_series(layers, "orthogonal-frame error of M", {"features", "nc2_orthogonal_frame_error"}));
    nc2.series.push_back(layer_series(layers, "equinorm std/mean ‖μ̃_{c}‖", {"features", "nc2_equinorm"}));
    nc2.series.push_back(
        layer_series(layers, "equiangularity std cos(μ̃_{c}, μ̃_{c′})", {"features", "nc2_equiangularity_std"}));
    nc2.markers = linear_marker;
    add_figure(nc2, "final-nc2", "NC2 per layer at the final state",
               fmt::format("The geometry of the class means M of H<sub>ℓ</sub> (M̃: centred): the paper's κ(M) "
                           "(1 for orthogonal equinorm means) and the distances to an orthogonal frame and to a "
                           "simplex ETF.{}",
                           line_note),
               out, figures.final_state, figures.notes);

    LinePlot nc3;
    nc3.title = "NC3 at the final state, per layer";
    nc3.x_label = "layer ℓ";
    nc3.y_label = "NC3: cosines (→ 1), distances (→ 0)";
    nc3.integer_x = true;
    nc3.series.push_back(layer_series(layers, "mean_{c} cos(μ_{c}, w_{c}) (paper, → 1)", {"nc3", "mean_cosine"}));
    nc3.series.push_back(layer_series(layers, "min_{c} cos(μ_{c}, w_{c})", {"nc3", "min_cosine"}));
    nc3.series.push_back(layer_series(layers, "self-duality ‖W^{T}/‖W‖_{F} − M/‖M‖_{F}‖_{F}", {"nc3", "self_duality"}));
    nc3.series.push_back(layer_series(layers, "centred self-duality (M̃)", {"nc3", "centred_self_duality"}));
    nc3.series.push_back(layer_series(layers, "W–H ETF error", {"nc3", "classifier_etf_error"}));
    nc3.markers = linear_marker;
    add_figure(nc3, "final-nc3", "NC3 per layer at the final state",
               fmt::format("Alignment of the class means μ<sub>c</sub> of H<sub>ℓ</sub> with the rows w<sub>c</sub> of "
                           "the linear map to the outputs W<sub>L</sub>⋯W<sub>ℓ+1</sub>, for L<sub>1</sub> ≤ ℓ &lt; L "
                           "(for ℓ = L − 1 the paper's measure, with W<sub>L</sub>).{}",
                           line_note),
               out, figures.final_state, figures.notes);

    const json& pairs = run.measurements["balancedness"];
    if (!pairs.empty()) {
        LinePlot balancedness;
        balancedness.title = "Balancedness at the final state, per pair";
        balancedness.x_label = "pair ℓ = (W_{ℓ}, W_{ℓ+1})";
        balancedness.y_label = "‖D_{ℓ}‖_{op} = ‖W_{ℓ+1}^{T}W_{ℓ+1} − W_{ℓ}W_{ℓ}^{T}‖_{op}";
        balancedness.integer_x = true;
        balancedness.y_from_zero = true;
        balancedness.series.push_back(layer_series(pairs, "‖D_{ℓ}‖_{op}", {"gap"}));
        balancedness.series.push_back(layer_series(pairs, "‖D_{ℓ}‖_{op} / ‖W_{ℓ}‖_{op}^{2}", {"relative_gap"}));
        if (l1 && static_cast<std::size_t>(*l1) < pairs.size())
            balancedness.markers.push_back({static_cast<double>(*l1) + 0.5, "linear pairs →"});
        add_figure(balancedness, "final-balancedness", "Balancedness per pair at the final state",
                   "The balancedness gap of every consecutive pair of layers, absolute and relative to "
                   "‖W<sub>ℓ</sub>‖<sub>op</sub><sup>2</sup>; the paper predicts D<sub>ℓ</sub> → 0 for the linear "
                   "pairs (ℓ &gt; L<sub>1</sub>).",
                   out, figures.final_state, figures.notes);
    }

    LinePlot negativity;
    negativity.title = "Negativity at the final state, per nonlinear layer";
    negativity.x_label = "layer ℓ";
    negativity.y_label = "‖Z_{ℓ} − σ(Z_{ℓ})‖_{op} / ‖Z_{ℓ}‖_{op}";
    negativity.integer_x = true;
    negativity.y_from_zero = true;
    negativity.series.push_back(layer_series(layers, "negativity of Z_{ℓ}", {"negativity"}));
    if (!negativity.series.front().x.empty())
        add_figure(negativity, "final-negativity", "Negativity per nonlinear layer at the final state",
                   "How far the pre-activations Z<sub>ℓ</sub> of each nonlinear layer are from the region where "
                   "σ is the identity (0 when σ(Z<sub>ℓ</sub>) = Z<sub>ℓ</sub>).",
                   out, figures.final_state, figures.notes);
}

// ---------------------------------------------------------------- HTML sections

std::string link_to(const fs::path& target, const fs::path& from_directory) {
    std::error_code error;
    const fs::path absolute_target = fs::weakly_canonical(fs::absolute(target), error);
    const fs::path absolute_from = fs::weakly_canonical(fs::absolute(from_directory), error);
    const fs::path relative = absolute_target.lexically_relative(absolute_from);
    return (relative.empty() ? absolute_target : relative).generic_string();
}

std::string summary_section(const RunDirectory& run, const fs::path& out) {
    const json& m = run.manifest;
    std::string html = "<section id=\"run\">\n<h2>Run</h2>\n<table class=\"kv\">\n";
    const auto row = [&](const std::string& name, const std::string& value_html) {
        html += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", name, value_html);
    };
    const auto text = [&](const std::vector<const char*>& keys) { return json_text(find_path(m, keys)); };
    row("run", text({"name"}));
    row("status", status_with_message(m));
    row("run directory", html_escape(fs::absolute(run.path).lexically_normal().string()));
    row("ncverify version", fmt::format("{} (run format {})", text({"ncverify_version"}), text({"version"})));
    row("seed", fmt::format("{} (initialisation seed {})", text({"seed"}), text({"init_seed"})));
    row("precision",
        fmt::format("{} <span class=\"name\">({})</span>", text({"precision_description"}), text({"precision"})));
    if (find_path(m, {"blas_kernel"}) != nullptr) row("double products", text({"blas_kernel"}));
    row("data", fmt::format("{}<br><span class=\"name\">N = {}, K = {}, d = {}</span>", text({"data", "name"}),
                            text({"data", "N"}), text({"data", "K"}), text({"data", "d"})));
    row("network", text({"network_description"}));
    row("records", fmt::format("every {} steps; checkpoints every {} steps (0: final only)", text({"record_every"}),
                               text({"checkpoint_every"})));
    row("steps", fmt::format("final step {}; {} steps run", text({"final_step"}), text({"steps_run"})));
    if (const json* resumed = find_path(m, {"resumed_from"}))
        row("resumed from", fmt::format("{} (step {})", json_text(find_path(*resumed, {"checkpoint"})),
                                        json_text(find_path(*resumed, {"step"}))));
    row("started / finished", fmt::format("{} / {}", text({"started_at"}), text({"finished_at"})));
    const std::optional<double> seconds = number_at(m, {"timings", "training_seconds"});
    const std::optional<double> per_step = number_at(m, {"timings", "seconds_per_step"});
    row("training time", seconds
                             ? fmt::format("{:.4g} s ({:.4g} s per step)", *seconds, per_step.value_or(std::nan("")))
                             : std::string("—"));
    html += "</table>\n";

    if (const json* phases = find_path(m, {"phases"}); phases != nullptr && phases->is_array() && !phases->empty()) {
        html +=
            "<table>\n<tr><th>phase</th><th>name</th><th>steps</th><th>learning rate η</th><th>weight decay λ</th>"
            "<th>drop at fraction</th><th>drop factor</th></tr>\n";
        for (std::size_t i = 0; i < phases->size(); ++i) {
            const json& p = (*phases)[i];
            html += fmt::format(
                "<tr><td class=\"num\">{}</td><td>{}</td>{}{}{}{}{}</tr>\n", i, json_text(find_path(p, {"name"})),
                number_cell(find_path(p, {"steps"})), number_cell(find_path(p, {"learning_rate"})),
                number_cell(find_path(p, {"weight_decay"})), number_cell(find_path(p, {"drop_at_fraction"})),
                number_cell(find_path(p, {"drop_factor"})));
        }
        html += "</table>\n";
    }
    if (run.config_text)
        html += fmt::format(
            "<details><summary>configuration (<a href=\"{}\">config.toml</a>)</summary><pre>{}</pre></details>\n",
            html_escape(link_to(run.path / "config.toml", out)), html_escape(*run.config_text));
    html += "</section>\n";
    return html;
}

/// "<=" / ">=" of a verdict's conclusion as the mathematical sign.
std::string relation_symbol(const std::string& relation) {
    return relation == ">=" ? "≥" : relation == "<=" ? "≤" : relation;
}

/// The certified column: the certificate's status badge, the deciding precision and the
/// enclosure of the slack (bound - measured, or measured - bound for a lower bound).
std::string certificate_cell(const json& certificate) {
    std::string cell = status_badge(string_at(certificate, {"status"}));
    const json* bits = find_path(certificate, {"deciding_bits"});
    if (bits && bits->is_number_integer() && bits->get<long>() > 0) cell += fmt::format(" at {} bits", bits->get<long>());
    const json* slack = find_path(certificate, {"slack"});
    if (slack && slack->is_array() && slack->size() == 2)
        cell += fmt::format("<br><span class=\"name\">slack in [{}, {}]</span>", json_text(&(*slack)[0]),
                            json_text(&(*slack)[1]));
    return cell;
}

std::string check_line(const std::string& result, const json& check, bool is_step) {
    const std::string outcome = string_at(check, {"outcome"});
    if (is_step)
        return fmt::format("<li><b>{}</b> step {}: {} = {} {} {} = {} {}</li>\n", html_escape(result),
                           json_text(find_path(check, {"id"})), json_math(find_path(check, {"lhs_name"})),
                           json_text(find_path(check, {"lhs"})), json_text(find_path(check, {"relation"})),
                           json_math(find_path(check, {"rhs_name"})), json_text(find_path(check, {"rhs"})),
                           status_badge(outcome));
    return fmt::format("<li><b>{}</b> hypothesis {} ({}): {} {} {} {}</li>\n", html_escape(result),
                       json_math(find_path(check, {"name"})), json_math(find_path(check, {"statement"})),
                       json_text(find_path(check, {"measured"})), json_text(find_path(check, {"relation"})),
                       json_text(find_path(check, {"threshold"})), status_badge(outcome));
}

std::string verdict_details(const json& v) {
    const std::string result = string_at(v, {"result"});
    std::string html = fmt::format("<details><summary><b>{}</b>: every hypothesis and proof step ({})</summary>\n",
                                   html_escape(result), json_text(find_path(v, {"proof_note"})));
    html +=
        "<div class=\"scroll\"><table>\n<tr><th>hypothesis</th><th>statement</th><th>measured</th><th></th>"
        "<th>threshold</th><th>outcome</th></tr>\n";
    for (const json& h : v["hypotheses"])
        html += fmt::format("<tr><td>{}</td><td>{}</td>{}<td>{}</td>{}<td>{}</td></tr>\n",
                            json_math(find_path(h, {"name"})), json_math(find_path(h, {"statement"})),
                            number_cell(find_path(h, {"measured"})), json_text(find_path(h, {"relation"})),
                            number_cell(find_path(h, {"threshold"})), status_badge(string_at(h, {"outcome"})));
    html +=
        "</table>\n<table>\n<tr><th>step</th><th>left side</th><th>value</th><th></th><th>value</th>"
        "<th>right side</th><th>outcome</th></tr>\n";
    for (const json& s : v["steps"])
        html += fmt::format("<tr><td>{}</td><td>{}</td>{}<td>{}</td>{}<td>{}</td><td>{}</td></tr>\n",
                            json_text(find_path(s, {"id"})), json_math(find_path(s, {"lhs_name"})),
                            number_cell(find_path(s, {"lhs"})), json_text(find_path(s, {"relation"})),
                            number_cell(find_path(s, {"rhs"})), json_math(find_path(s, {"rhs_name"})),
                            status_badge(string_at(s, {"outcome"})));
    html += "</table></div>\n";
    if (const json* notes = find_path(v, {"notes"}); notes != nullptr && notes->is_array() && !notes->empty()) {
        html += "<ul class=\"note\">\n";
        for (const json& note : *notes) html += fmt::format("<li>{}</li>\n", json_math(&note));
        html += "</ul>\n";
    }
    html += "</details>\n";
    return html;
}

std::string checks_section(const RunDirectory& run, const fs::path& out) {
    std::string html = "<section id=\"checks\">\n<h2>Checkers</h2>\n";
    if (!run.checks) {
        html +=
            "<p class=\"note\">No checks.json in the run directory (trained with <code>--no-checks</code>, or the "
            "run diverged). <code>ncv check RUN_DIR</code> writes it.</p>\n</section>\n";
        return html;
    }
    const json& verdicts = (*run.checks)["verdicts"];
    html += fmt::format(
        "<p>Verdicts of <a href=\"{}\">checks.json</a> (semantics: <code>docs/verdicts.md</code>). The status "
        "comes from the theorem's hypotheses and its conclusion: <i>holds</i>: both certainly hold (within "
        "the rounding tolerance τ of the working precision); <i>hypotheses_not_met</i>: the theorem does not "
        "apply; <i>inconclusive</i>: a hypothesis or the conclusion is within rounding (the reason says what to "
        "try); <i>violated</i>: the conclusion certainly fails; <i>proof_step_failed</i>: a proof step fails, a "
        "bug to report, not a counterexample. Proof steps are diagnostics: <i>tight</i> = equal within rounding. "
        "<i>certified</i>: the certificate of <code>--certified</code> (proved / refuted / inconclusive, "
        "rigorous). <i>informative</i>: whether the bound says anything on this network (the rule of the proof "
        "note). Labels: <i>explicit</i> = our constants, proved in <code>proofs_notes/</code>.</p>\n",
        html_escape(link_to(run.path / "checks.json", out)));
    html +=
        "<div class=\"scroll\"><table class=\"verdicts\">\n<tr><th>result</th><th>what</th><th>label</th>"
        "<th>status</th><th>certified</th><th>measured</th><th></th><th>bound</th><th>ratio</th><th>slack</th>"
        "<th>informative</th><th>precision</th><th>τ</th></tr>\n";
    std::string failing;
    for (const json& v : verdicts) {
        const std::string result = string_at(v, {"result"});
        const json* certificate = find_path(v, {"certificate"});
        const json* informative = find_path(v, {"informative"});
        html += fmt::format(
            "<tr><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}<br><span class=\"name\">{}</span></td><td>{}</td>"
            "<td class=\"num\">{}<br><span class=\"name\">{}</span></td><td>{}</td>"
            "<td class=\"num\">{}<br><span class=\"name\">{}</span></td>{}{}<td>{}<br><span "
            "class=\"name\">{}</span></td><td>{}</td>{}</tr>\n",
            html_escape(result), json_math(find_path(v, {"title"})), json_text(find_path(v, {"provenance"})),
            status_badge(string_at(v, {"status"})), json_math(find_path(v, {"reason"})),
            certificate ? certificate_cell(*certificate) : std::string("-"), json_text(find_path(v, {"measured"})),
            json_math(find_path(v, {"measured_name"})), html_escape(relation_symbol(string_at(v, {"relation"}))),
            json_text(find_path(v, {"bound"})), json_math(find_path(v, {"bound_name"})),
            number_cell(find_path(v, {"ratio"})), number_cell(find_path(v, {"slack"})),
            informative && informative->is_boolean() ? (informative->get<bool>() ? "yes" : "<b>no</b> (vacuous)") : "-",
            json_math(find_path(v, {"informative_rule"})), json_text(find_path(v, {"precision"})),
            number_cell(find_path(v, {"tolerance"})));
        for (const json& h : v["hypotheses"])
            if (string_at(h, {"outcome"}) != "holds") failing += check_line(result, h, false);
        for (const json& s : v["steps"])
            if (string_at(s, {"outcome"}) != "holds") failing += check_line(result, s, true);
    }
    html += "</table></div>\n<h3>Hypotheses that do not hold, and tight or failing proof steps</h3>\n";
    html += failing.empty() ? "<p>None: every hypothesis and every proof step of every checker holds.</p>\n"
                            : fmt::format("<ul class=\"failing\">\n{}</ul>\n", failing);
    for (const json& v : verdicts) html += verdict_details(v);
    html += "</section>\n";
    return html;
}

std::string figure_html(const Figure& f) {
    const std::string svg = f.files.svg.filename().string(), png = f.files.png.filename().string();
    std::string dropped;
    if (f.files.dropped_points > 0)
        dropped = fmt::format(" ({} point{} not drawn: not finite, or ≤ 0 on the logarithmic axis.)",
                              f.files.dropped_points, f.files.dropped_points == 1 ? "" : "s");
    return fmt::format(
        "<figure id=\"{0}\"><a href=\"{1}\"><img src=\"{1}\" alt=\"{2}\" width=\"{6}\" height=\"{7}\"></a>\n"
        "<figcaption>{3}{4} <a href=\"{1}\">SVG</a> · <a href=\"{5}\">PNG</a></figcaption></figure>\n",
        html_escape(f.stem), html_escape(svg), html_escape(f.alt), f.caption, dropped, html_escape(png),
        f.files.size.width, f.files.size.height);
}

struct Column {
    std::string header;  // HTML
    std::vector<const char*> keys;
};

std::string layer_table(const json& layers, const std::vector<Column>& columns, const char* require) {
    std::string html = "<div class=\"scroll\"><table>\n<tr><th>ℓ</th><th>kind</th><th>n<sub>ℓ</sub></th>";
    for (const Column& c : columns) html += fmt::format("<th>{}</th>", c.header);
    html += "</tr>\n";
    for (const json& layer : layers) {
        if (require != nullptr && find_path(layer, {require}) == nullptr) continue;
        html += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td>{}", json_text(find_path(layer, {"layer"})),
                            json_text(find_path(layer, {"kind"})), number_cell(find_path(layer, {"width"})));
        for (const Column& c : columns) html += number_cell(find_path(layer, c.keys));
        html += "</tr>\n";
    }
    html += "</table></div>\n";
    return html;
}

std::string measurements_tables(const RunDirectory& run, const fs::path& out) {
    const json& m = run.measurements;
    std::string html = fmt::format(
        "<h3>Per-layer measurements of the final state</h3>\n<p>From <a href=\"{}\">measurements.json</a>: {} scalar "
        "({} bits), N = {} samples, K = {} classes; rank rule {}. Hover a value for its exact form. Definitions: "
        "docs/metrics.md.</p>\n",
        html_escape(link_to(run.path / "measurements.json", out)), json_text(find_path(m, {"scalar"})),
        json_text(find_path(m, {"precision_bits"})), json_text(find_path(m, {"num_samples"})),
        json_text(find_path(m, {"num_classes"})), json_text(find_path(m, {"options", "rank_rule"})));
    return html + measurement_tables_html(m);
}

}  // namespace

std::string measurement_tables_html(const json& m) {
    std::string html;
    const std::vector<Column> collapse = {
        {"NC1<br>tr Σ<sub>W</sub>/tr Σ<sub>B</sub>", {"features", "nc1_trace_ratio"}},
        {"NC1<br>pinv", {"features", "nc1_pinv"}},
        {"NC1<br>CDNV", {"features", "nc1_cdnv"}},
        {"NC2<br>κ(M)", {"features", "nc2_class_mean_condition_number"}},
        {"NC2<br>ETF err.", {"features", "nc2_simplex_etf_error"}},
        {"NC2<br>OF err.", {"features", "nc2_orthogonal_frame_error"}},
        {"NC2<br>equinorm", {"features", "nc2_equinorm"}},
        {"NC2<br>equiang. std", {"features", "nc2_equiangularity_std"}},
        {"NC4<br>NCC agr.", {"features", "nc4_ncc_agreement"}},
    };
    std::vector<Column> features = collapse;
    features.push_back({"rank H<sub>ℓ</sub>", {"features", "spectrum", "numerical_rank"}});
    features.push_back({"κ(H<sub>ℓ</sub>)", {"features", "spectrum", "condition_number"}});
    features.push_back({"‖H<sub>ℓ</sub>‖<sub>op</sub>", {"features", "spectrum", "spectral_norm"}});
    features.push_back({"negativity", {"negativity"}});
    features.push_back({"NC3<br>mean cos", {"nc3", "mean_cosine"}});
    features.push_back({"NC3<br>min cos", {"nc3", "min_cosine"}});
    features.push_back({"NC3<br>self-duality", {"nc3", "self_duality"}});
    features.push_back({"NC3<br>W–H ETF err.", {"nc3", "classifier_etf_error"}});
    html +=
        "<p>Features H<sub>ℓ</sub> (NC3: class means of H<sub>ℓ</sub> against W<sub>L</sub>⋯W<sub>ℓ+1</sub>):</p>\n";
    html += layer_table(m["layers"], features, nullptr);

    std::vector<Column> pre;
    for (const Column& c : collapse) pre.push_back({c.header, {"pre_activations", c.keys[1]}});
    bool any_pre = false;
    for (const json& layer : m["layers"]) any_pre = any_pre || find_path(layer, {"pre_activations"}) != nullptr;
    if (any_pre) {
        html += "<p>Pre-activations Z<sub>ℓ</sub> of the nonlinear layers:</p>\n";
        html += layer_table(m["layers"], pre, "pre_activations");
    }

    html +=
        "<p>Balancedness of each pair (W<sub>ℓ</sub>, W<sub>ℓ+1</sub>), D<sub>ℓ</sub> = "
        "W<sub>ℓ+1</sub><sup>T</sup>W<sub>ℓ+1</sub> − W<sub>ℓ</sub>W<sub>ℓ</sub><sup>T</sup>:</p>\n"
        "<table>\n<tr><th>pair ℓ</th><th>kind</th><th>‖D<sub>ℓ</sub>‖<sub>op</sub></th>"
        "<th>‖D<sub>ℓ</sub>‖<sub>op</sub> / ‖W<sub>ℓ</sub>‖<sub>op</sub><sup>2</sup></th></tr>\n";
    for (const json& pair : m["balancedness"])
        html += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td>{}{}</tr>\n",
                            json_text(find_path(pair, {"layer"})), json_text(find_path(pair, {"kind"})),
                            number_cell(find_path(pair, {"gap"})), number_cell(find_path(pair, {"relative_gap"})));
    html += "</table>\n";
    if (const json* linear = find_path(m, {"linear_part"})) {
        html +=
            "<p>Linear part A = W<sub>L</sub>⋯W<sub>L<sub>1</sub>+1</sub>:</p>\n<table>\n<tr><th>L<sub>2</sub></th>"
            "<th>rank A</th><th>κ(A)</th><th>κ(W<sub>L</sub>)</th><th>κ(A)<sup>1/L<sub>2</sub></sup></th></tr>\n";
        html += fmt::format("<tr>{}{}{}{}{}</tr>\n</table>\n", number_cell(find_path(*linear, {"linear_layers"})),
                            number_cell(find_path(*linear, {"rank"})),
                            number_cell(find_path(*linear, {"condition_number"})),
                            number_cell(find_path(*linear, {"last_weight_condition_number"})),
                            number_cell(find_path(*linear, {"condition_number_root"})));
    }
    return html;
}

namespace {

std::string report_html(const RunDirectory& run, const Figures& figures, const fs::path& out) {
    const std::string name = string_at(run.manifest, {"name"});
    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>ncverify report: {0}</title>\n<style>{1}</style>\n</head>\n<body>\n"
        "<h1>Run report: {0}</h1>\n<p>{2}</p>\n"
        "<nav><a href=\"#run\">run</a><a href=\"#checks\">checkers</a><a href=\"#training\">training</a>"
        "<a href=\"#final\">final state</a></nav>\n",
        html_escape(name), html_stylesheet(), status_with_message(run.manifest));
    html += summary_section(run, out);
    html += checks_section(run, out);

    html += fmt::format(
        "<section id=\"training\">\n<h2>Training</h2>\n<p>From <a href=\"{}\">{}</a>: {} records, "
        "steps {} to {}.</p>\n",
        html_escape(link_to(run.trajectory_file, out)), html_escape(run.trajectory_file.filename().string()),
        run.trajectory.size(), run.trajectory.empty() ? 0 : run.trajectory.front().step,
        run.trajectory.empty() ? 0 : run.trajectory.back().step);
    for (const Figure& f : figures.trajectory) html += figure_html(f);
    if (!run.reports)
        html +=
            "<p class=\"note\">NC1 and NC2 along training are not plotted: this run has no reports.json (set "
            "<code>run.report_every</code> to record the per-layer report during training); the collapse "
            "measurements are those of the final state (below).</p>\n";
    html += "</section>\n";

    html += "<section id=\"final\">\n<h2>Final state</h2>\n";
    for (const Figure& f : figures.final_state) html += figure_html(f);
    html += measurements_tables(run, out);
    html += "</section>\n";
    if (!figures.notes.empty()) {
        html += "<ul class=\"note\">\n";
        for (const std::string& note : figures.notes) html += fmt::format("<li>{}</li>\n", note);
        html += "</ul>\n";
    }
    html += fmt::format(
        "<footer>Written by <code>ncv report</code> (ncverify {}) at {}. Plots by gnuplot; every plot "
        "is also available as PNG.</footer>\n</body>\n</html>\n",
        NCVERIFY_VERSION, utc_now());
    return html;
}

struct ReportCommandOptions {
    std::string run_directory;
    std::string out;
    bool quiet = false;
};

}  // namespace

fs::path write_report(const fs::path& run_directory, const fs::path& out) {
    const RunDirectory run = read_run_directory(run_directory);
    std::error_code error;
    fs::create_directories(out, error);
    if (error || !fs::is_directory(out))
        throw InputError(fmt::format("{}: cannot create the report directory: {}", out.string(),
                                     error ? error.message() : "a file of that name exists"));
    const fs::path html_path = out / "report.html";
    // A report.html on disk always describes complete plots: the old one goes first.
    fs::remove(html_path, error);
    if (error)
        throw InputError(fmt::format("{}: cannot remove the previous report: {}", html_path.string(), error.message()));

    Figures figures;
    trajectory_figures(run, out, figures);
    if (run.reports) report_trajectory_figures(run, out, figures);
    final_state_figures(run, out, figures);
    for (const char* stem : kPlotStems) {
        const auto drawn = [&](const Figure& f) { return f.stem == stem; };
        if (std::any_of(figures.trajectory.begin(), figures.trajectory.end(), drawn) ||
            std::any_of(figures.final_state.begin(), figures.final_state.end(), drawn))
            continue;
        for (const char* extension : {"svg", "png"}) {
            const fs::path stale = out / fmt::format("{}.{}", stem, extension);
            fs::remove(stale, error);
            if (error)
                throw InputError(
                    fmt::format("{}: cannot remove a plot of an earlier report: {}", stale.string(), error.message()));
        }
    }
    write_file_atomically(html_path, report_html(run, figures, out));
    return html_path;
}

void add_report_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReportCommandOptions>();
    CLI::App* command =
        app.add_subcommand("report", "Write an HTML report with plots (gnuplot) of a run directory (docs/report.md)");
    command->add_option("run_directory", options->run_directory, "run directory written by ncv train")->required();
    command->add_option("--out", options->out, "report directory (default: RUN_DIRECTORY/report)");
    command->add_flag("--quiet", options->quiet, "do not print the path of report.html");
    command->callback([options, &exit_code] {
        const fs::path run_directory = options->run_directory;
        const fs::path out = options->out.empty() ? run_directory / "report" : fs::path(options->out);
        const fs::path html = write_report(run_directory, out);
        if (!options->quiet) fmt::print("{}\n", html.string());
        exit_code = 0;
    });
}

}  // namespace ncverify::app
