#include "experiment.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "html.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "train_and_check.hpp"

namespace ncverify::app {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<ExperimentDataSet> experiment_data_sets(const ExperimentOptions& options) {
    const std::vector<std::string> names =
        options.quick ? std::vector<std::string>{"quick"} : std::vector<std::string>{"fashion-mnist", "synthetic"};
    std::vector<ExperimentDataSet> sets;
    for (const std::string& name : names) sets.push_back({name, load_run_config(options.config_dir / (name + ".toml"))});
    return sets;
}

RunConfig head_layout(const RunConfig& base, Index nonlinear_layers, Index linear_layers) {
    const std::vector<Index>& pattern = base.network.widths;
    if (pattern.size() != 4)
        throw InvalidArgument(fmt::format("experiment base configuration \"{}\": widths must be the pattern [n_1, n_hidden, "
                                          "n_head, K] (4 numbers), got {}",
                                          base.name, pattern.size()));
    if (nonlinear_layers < 1 || linear_layers < 1)
        throw InvalidArgument(fmt::format("head_layout: L1 = {} and L2 = {} must be >= 1", nonlinear_layers, linear_layers));
    RunConfig config = base;
    std::vector<Index> widths;
    for (Index l = 1; l <= nonlinear_layers + linear_layers; ++l) {
        if (l == nonlinear_layers + linear_layers)
            widths.push_back(pattern[3]);
        else if (l == 1)
            widths.push_back(pattern[0]);
        else if (l <= nonlinear_layers)
            widths.push_back(pattern[1]);
        else
            widths.push_back(pattern[2]);
    }
    config.network.widths = widths;
    config.network.nonlinear_layers = nonlinear_layers;
    config.network.linear_layers = linear_layers;
    return config;
}

RunConfig scale_weight_decay(RunConfig config, double factor) {
    for (TrainingPhase& phase : config.phases) phase.weight_decay *= factor;
    return config;
}

std::vector<SweepRun> run_sweep(const RunConfig& config, const std::string& data_set, const std::string& variant,
                                double parameter, const ExperimentOptions& options) {
    std::vector<SweepRun> runs;
    for (int s = 1; s <= options.seeds; ++s) {
        RunConfig seeded = config;
        seeded.init.seed = static_cast<std::uint64_t>(s);
        seeded.name = fmt::format("{}-{}-seed{}", data_set, variant, s);
        TrainAndCheckOptions train;
        train.out = options.out / data_set / variant / fmt::format("seed-{}", s);
        train.overwrite = true;
        train.quiet = options.quiet;
        train.progress_label = fmt::format("[{} {} {} seed {}/{}] ", options.out.filename().string(), data_set, variant, s,
                                           options.seeds);
        const TrainAndCheckResult result = train_and_check(seeded, train);
        if (result.run.outcome.status == TrainingStatus::diverged)
            throw Error(fmt::format("experiment run {} diverged: {} (run directory {})", seeded.name,
                                    result.run.outcome.message, train.out.string()));
        if (result.run.outcome.status == TrainingStatus::interrupted)
            throw Error(fmt::format("experiment run {} was interrupted", seeded.name));
        runs.push_back({data_set, variant, parameter, static_cast<std::uint64_t>(s), read_run_directory(train.out)});
    }
    return runs;
}

MeanStd mean_std(const std::vector<double>& values) {
    MeanStd result;
    double sum = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++result.count;
        }
    if (result.count == 0) return {NAN, NAN, 0};
    result.mean = sum / double(result.count);
    double squares = 0;
    for (double v : values)
        if (std::isfinite(v)) squares += (v - result.mean) * (v - result.mean);
    result.std = result.count > 1 ? std::sqrt(squares / double(result.count - 1)) : 0.0;
    return result;
}

std::string markdown_row(const std::vector<std::string>& cells) {
    std::string row = "|";
    for (const std::string& cell : cells) {
        row += ' ';
        for (const char c : cell) {
            if (c == '|') row += '\\';
            row += c;
        }
        row += " |";
    }
    return row + "\n";
}

std::string markdown_header(const std::vector<std::string>& cells) {
    std::string rule = "|";
    for (std::size_t i = 0; i < cells.size(); ++i) rule += "---|";
    return markdown_row(cells) + rule + "\n";
}

void add_mean_point(PlotSeries& series, double x, const MeanStd& value) {
    series.x.push_back(x);
    series.y.push_back(value.mean);
    series.y_error.push_back(value.std);
}

std::string format_mean_std(const MeanStd& value) {
    if (value.count == 0) return "n/a";
    return fmt::format("{:.3g} ± {:.2g}", value.mean, value.std);
}

double layer_value(const SweepRun& run, Index layer, const std::vector<const char*>& path) {
    const json& layers = run.directory.measurements.at("layers");
    if (layer < 1 || layer > static_cast<Index>(layers.size())) return NAN;
    const json* node = &layers[static_cast<std::size_t>(layer - 1)];
    for (const char* key : path) {
        if (!node->is_object() || !node->contains(key)) return NAN;
        node = &(*node)[key];
    }
    return measured_value(*node);
}

double pair_value(const SweepRun& run, Index pair, const char* key) {
    const json& pairs = run.directory.measurements.at("balancedness");
    if (pair < 1 || pair > static_cast<Index>(pairs.size())) return NAN;
    const json& entry = pairs[static_cast<std::size_t>(pair - 1)];
    return entry.contains(key) ? measured_value(entry[key]) : NAN;
}

Index run_nonlinear_layers(const SweepRun& run) {
    return run.directory.manifest.at("network").at("nonlinear_layers").get<Index>();
}
Index run_linear_layers(const SweepRun& run) {
    const json& network = run.directory.manifest.at("network");
    return static_cast<Index>(network.at("widths").size()) - network.at("nonlinear_layers").get<Index>();
}

namespace {

std::vector<double> ranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> result(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        for (std::size_t k = i; k <= j; ++k) result[order[k]] = 0.5 * double(i + j) + 1.0;
        i = j + 1;
    }
    return result;
}

}  // namespace

double spearman_correlation(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> fx, fy;
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            fx.push_back(x[i]);
            fy.push_back(y[i]);
        }
    if (fx.size() < 3) return NAN;
    const std::vector<double> rx = ranks(fx), ry = ranks(fy);
    const MeanStd mx = mean_std(rx), my = mean_std(ry);
    double covariance = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) covariance += (rx[i] - mx.mean) * (ry[i] - my.mean);
    covariance /= double(rx.size() - 1);
    return mx.std > 0 && my.std > 0 ? covariance / (mx.std * my.std) : NAN;
}

namespace {

json claims_json(const std::vector<ClaimOutcome>& claims) {
    json list = json::array();
    for (const ClaimOutcome& c : claims)
        list.push_back({{"id", c.id},
                        {"claim", c.claim},
                        {"criterion", c.criterion},
                        {"reproduced", c.reproduced},
                        {"evidence", c.evidence}});
    return list;
}

/// Per run: status, final loss and each checker's status and slack.
json runs_json(const std::vector<SweepRun>& runs) {
    json list = json::array();
    for (const SweepRun& r : runs) {
        json verdicts = json::array();
        if (r.directory.checks)
            for (const json& v : r.directory.checks->at("verdicts"))
                verdicts.push_back({{"result", v.value("result", "")},
                                    {"status", v.value("status", "")},
                                    {"slack", verdict_number(v, "slack")},
                                    {"ratio", verdict_number(v, "ratio")}});
        list.push_back({{"data_set", r.data_set},
                        {"variant", r.variant},
                        {"parameter", r.parameter},
                        {"seed", r.seed},
                        {"run_directory", r.directory.path.string()},
                        {"status", r.directory.manifest.value("status", "")},
                        {"final_loss", r.directory.trajectory.empty() ? NAN : r.directory.trajectory.back().loss},
                        {"final_data_loss", r.directory.trajectory.empty() ? NAN : r.directory.trajectory.back().data_loss},
                        {"verdicts", verdicts}});
    }
    return list;
}

/// Experiment e: the checkers' statuses over all runs, per checker.
std::string checks_markdown(const std::vector<SweepRun>& runs) {
    struct Counts {
        int holds = 0, violated = 0, not_met = 0, inconclusive = 0;
        std::vector<double> slack;
    };
    std::vector<std::pair<std::string, Counts>> table;
    for (const SweepRun& r : runs) {
        if (!r.directory.checks) continue;
        for (const json& v : r.directory.checks->at("verdicts")) {
            const std::string id = v.value("result", "?");
            auto it = std::find_if(table.begin(), table.end(), [&](const auto& e) { return e.first == id; });
            if (it == table.end()) it = table.insert(table.end(), {id, Counts{}});
            const std::string status = v.value("status", "");
            if (status == "holds") {
                ++it->second.holds;
                it->second.slack.push_back(verdict_number(v, "slack"));
            } else if (status == "violated" || status == "proof_step_failed") {
                ++it->second.violated;
            } else if (status == "hypotheses_not_met") {
                ++it->second.not_met;
            } else {
                ++it->second.inconclusive;
            }
        }
    }
    std::string text = markdown_header(
        {"checker", "holds", "violated", "hypotheses not met", "inconclusive", "slack when it holds (mean ± std)"});
    for (const auto& [id, c] : table)
        text += markdown_row({id, std::to_string(c.holds), std::to_string(c.violated), std::to_string(c.not_met),
                              std::to_string(c.inconclusive), format_mean_std(mean_std(c.slack))});
    return text;
}

std::string summary_markdown(const ExperimentResult& result, const ExperimentOptions& options) {
    std::string text = fmt::format("# {}: {}\n\n{}; {} seed(s) per variant; {:.0f} s.\n\n## Claims\n\n", result.name,
                                   result.title, options.quick ? "quick variant (synthetic data, short runs)" : "full runs",
                                   options.seeds, result.seconds);
    text += markdown_header({"claim", "outcome", "criterion", "evidence"});
    for (const ClaimOutcome& c : result.claims)
        text += markdown_row({c.id + ": " + c.claim, c.reproduced ? "**reproduced**" : "**not reproduced**", c.criterion,
                              c.evidence});
    text += "\n" + result.tables_markdown + "\n## Checkers at the end of every run (experiment e)\n\n" +
            checks_markdown(result.runs);
    return text;
}

std::string trim(const std::string& text) {
    const std::size_t first = text.find_first_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

/// Minimal Markdown → HTML for the summaries this file writes: headings, paragraphs, and
/// tables (header, rule, rows of markdown_row, "\|" read as '|'; **word** as a badge).
/// Text is math_html: the plain-text formulas of the summaries (||D_l||_op, H_{L-1}) are
/// rendered, everything else escaped.
std::string markdown_to_html(const std::string& markdown) {
    std::string html;
    bool in_table = false, header = false;
    std::size_t start = 0;
    while (start < markdown.size()) {
        std::size_t end = markdown.find('\n', start);
        if (end == std::string::npos) end = markdown.size();
        const std::string line = markdown.substr(start, end - start);
        start = end + 1;
        if (line.rfind("|", 0) == 0) {
            if (line.rfind("|---", 0) == 0) continue;
            if (!in_table) {
                html += "<div class=\"scroll\"><table>\n";
                in_table = header = true;
            }
            html += "<tr>";
            std::string raw;  // the current cell, "\|" read as '|'
            for (std::size_t i = 1; i < line.size(); ++i) {
                if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
                    raw += '|';
                    ++i;
                    continue;
                }
                if (line[i] != '|') {
                    raw += line[i];
                    continue;
                }
                std::string content = math_html(trim(raw));
                raw.clear();
                for (std::size_t bold; (bold = content.find("**")) != std::string::npos;) {
                    const std::size_t close = content.find("**", bold + 2);
                    if (close == std::string::npos) break;
                    const std::string word = content.substr(bold + 2, close - bold - 2);
                    content = content.substr(0, bold) + status_badge(word == "not reproduced" ? "not-reproduced" : word) +
                              content.substr(close + 2);
                }
                html += header ? fmt::format("<th>{}</th>", content) : fmt::format("<td>{}</td>", content);
            }
            html += "</tr>\n";
            header = false;
        } else {
            if (in_table) html += "</table></div>\n";
            in_table = false;
            if (line.rfind("## ", 0) == 0)
                html += fmt::format("<h2>{}</h2>\n", math_html(line.substr(3)));
            else if (line.rfind("### ", 0) == 0)
                html += fmt::format("<h3>{}</h3>\n", math_html(line.substr(4)));
            else if (line.rfind("# ", 0) == 0)
                html += fmt::format("<h1>{}</h1>\n", math_html(line.substr(2)));
            else if (!line.empty())
                html += fmt::format("<p>{}</p>\n", math_html(line));
        }
    }
    if (in_table) html += "</table></div>\n";
    return html;
}

}  // namespace

fs::path write_experiment_report(const ExperimentResult& result, const ExperimentOptions& options) {
    const fs::path html_path = options.out / "report.html";
    std::error_code ignored;
    fs::remove(html_path, ignored);  // a report.html on disk always belongs to a complete report
    const json results{{"format", "ncverify.reproduction/1"},
                       {"experiment", result.name},
                       {"title", result.title},
                       {"quick", options.quick},
                       {"seeds", options.seeds},
                       {"seconds", result.seconds},
                       {"claims", claims_json(result.claims)},
                       {"plots", result.plots},
                       {"runs", runs_json(result.runs)}};
    write_file_atomically(options.out / "results.json", results.dump(2));
    const std::string markdown = summary_markdown(result, options);
    write_file_atomically(options.out / "summary.md", markdown);
    std::string figures;
    for (std::size_t i = 0; i < result.plots.size(); ++i)
        figures += fmt::format("<figure><a href=\"{0}.png\"><img src=\"{0}.svg\" alt=\"{1}\"></a><figcaption>{2}</figcaption>"
                               "</figure>\n",
                               html_escape(result.plots[i]), html_escape(result.plot_captions[i]),
                               math_html(result.plot_captions[i]));
    const std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ncverify reproduction: {}</title>"
        "<style>{}</style></head><body>\n{}\n<h2>Plots</h2>\n{}<footer>ncverify {} · results.json and summary.md hold "
        "the same numbers · every run directory is under {}</footer></body></html>\n",
        html_escape(result.name), html_stylesheet(), markdown_to_html(markdown), figures, NCVERIFY_VERSION,
        html_escape(options.out.string()));
    write_file_atomically(html_path, html);
    return html_path;
}

}  // namespace ncverify::app
