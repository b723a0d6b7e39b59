#include "measure_command.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <memory>

#include "check_command.hpp"
#include "checkpoint_model.hpp"
#include "html.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"
#include "ncverify/enclosure/forward_pass_enclosure.hpp"
#include "ncverify/enclosure/singular_value_enclosure.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "report_command.hpp"

namespace ncverify::app {
namespace {

/// The linear head of a head-layout import as a linear network (L1 = 0, no activation)
/// on the supplied features H_{L1}: its layer j is the whole network's layer L1 + j.
Network<double> head_network(const ImportedModel& model) {
    NetworkSpec spec;
    spec.input_dim = model.features.rows();
    for (const Matrix<double>& w : model.head_weights) spec.widths.push_back(w.rows());
    spec.nonlinear_layers = 0;
    spec.linear_layers = static_cast<Index>(model.head_weights.size());
    spec.activation = Activation::identity();
    return Network<double>{spec, model.head_weights, model.head_biases};
}

Interval interval_of(const Ball& ball) { return {ball.lower(), ball.upper()}; }

nlohmann::json interval_json(const Interval& interval) { return nlohmann::json::array({interval.lower, interval.upper}); }

/// NC1 = tr Sigma_W / tr Sigma_B and kappa(M) = s_1(M) / s_r(M), r = min(p, K), of the
/// enclosed features H_first .. H_L (numbered first + offset ...), in ball arithmetic
/// (enclosure/class_statistics_enclosure.hpp, singular_value_enclosure.hpp: Theorem C1).
std::vector<CertifiedLayerMeasurement> certify_layers(const std::vector<ArbMatrix>& features, Index first,
                                                      Index offset, const std::vector<Index>& labels,
                                                      Index num_classes) {
    std::vector<CertifiedLayerMeasurement> layers;
    for (Index l = first; l < static_cast<Index>(features.size()); ++l) {
        const ArbMatrix& h = features[static_cast<std::size_t>(l)];
        const ClassStatisticsEnclosure stats = enclose_class_statistics(h, labels, num_classes);
        const Index rank = std::min(h.rows(), num_classes);
        const SingularValueEnclosure means = enclose_singular_values(stats.class_means, 128);
        layers.push_back({l + offset, interval_of(stats.within_trace / stats.between_trace),
                          interval_of(means.condition_number(rank))});
    }
    return layers;
}

SplitMeasurement measure_split(const ImportedModel& model, std::string split, const Matrix<double>& data,
                               const std::vector<Index>& labels, const MeasureOptions& options) {
    SplitMeasurement result;
    result.split = std::move(split);
    const bool whole = model.network.has_value();
    const Network<double> network = whole ? *model.network : head_network(model);
    MeasurementOptions measurement = options.measurement;
    const Index offset = whole ? 0 : (model.nonlinear_layers);
    measurement.layer_offset = offset;
    const ForwardPass<double> pass = forward(network, data);
    result.report = measure_network(network, pass, labels, measurement);
    if (!whole) {
        result.input_features =
            measure_features(data, labels, model.num_classes, network_predictions(pass.output()), measurement);
        std::string name = fmt::format("W_{}", offset + network.num_layers());
        for (Index l = offset + network.num_layers() - 1; l > offset; --l) name += fmt::format(" W_{}", l);
        result.input_nc3 =
            measure_classifier(data, labels, model.num_classes, network.linear_part(), std::move(name), measurement);
    }
    if (options.certified) {
        const BallPrecisionScope scope(128);
        const std::vector<ArbMatrix> features = enclose_features(network, data, network.num_layers());
        result.certified = certify_layers(features, whole ? 1 : 0, offset, labels, model.num_classes);
    }
    return result;
}

nlohmann::json split_json(const SplitMeasurement& s, Index input_layer) {
    nlohmann::json certified = nullptr;
    if (!s.certified.empty()) {
        certified = nlohmann::json::array();
        for (const CertifiedLayerMeasurement& c : s.certified)
            certified.push_back({{"layer", c.layer},
                                 {"nc1_trace_ratio", interval_json(c.nc1_trace_ratio)},
                                 {"nc2_class_mean_condition_number", interval_json(c.class_mean_condition_number)}});
    }
    return {{"split", s.split},
            {"report", measurement_report_to_json(s.report)},
            {"input_features", s.input_features
                                   ? nlohmann::json{{"layer", input_layer},
                                                    {"features", feature_measurements_to_json(*s.input_features)},
                                                    {"nc3", classifier_measurements_to_json(*s.input_nc3)}}
                                   : nlohmann::json(nullptr)},
            {"certified", certified}};
}

std::string measure_html(const nlohmann::json& measurement) {
    std::string html = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>ncverify measure: {0}</title>\n<style>{1}</style>\n</head>\n<body>\n<h1>Measurements</h1>\n<p>{0}</p>\n",
        html_escape(measurement.value("model", "")), html_stylesheet());
    for (const nlohmann::json& note : measurement["notes"]) html += fmt::format("<p class=\"note\">{}</p>\n", html_escape(note.get<std::string>()));
    for (const nlohmann::json& split : measurement["splits"]) {
        html += fmt::format("<section>\n<h2>{} split</h2>\n", html_escape(split["split"].get<std::string>()));
        if (const nlohmann::json& input = split["input_features"]; input.is_object()) {
            const nlohmann::json& f = input["features"];
            html += fmt::format(
                "<p>Supplied features H<sub>L<sub>1</sub></sub> (layer {}): NC1 tr Σ<sub>W</sub>/tr Σ<sub>B</sub> = {:.6g}, "
                "κ(M) = {:.6g}, NC3 mean cos = {:.6g} (against {}), NC4 NCC agreement = {:.6g}.</p>\n",
                input["layer"].get<Index>(), f["nc1_trace_ratio"]["value"].get<double>(),
                f["nc2_class_mean_condition_number"]["value"].get<double>(),
                input["nc3"]["mean_cosine"]["value"].get<double>(), html_escape(input["nc3"]["classifier"].get<std::string>()),
                f["nc4_ncc_agreement"]["value"].get<double>());
        }
        html += measurement_tables_html(split["report"]);
        if (split["certified"].is_array()) {
            html += "<p>Certified enclosures (ball arithmetic from the exact stored values):</p>\n<table>\n<tr><th>layer</th>"
                    "<th>NC1 tr Σ<sub>W</sub>/tr Σ<sub>B</sub></th><th>κ(M)</th></tr>\n";
            for (const nlohmann::json& c : split["certified"])
                html += fmt::format("<tr><td class=\"num\">{}</td><td class=\"num\">[{:.10g}, {:.10g}]</td>"
                                    "<td class=\"num\">[{:.10g}, {:.10g}]</td></tr>\n",
                                    c["layer"].get<Index>(), c["nc1_trace_ratio"][0].get<double>(),
                                    c["nc1_trace_ratio"][1].get<double>(), c["nc2_class_mean_condition_number"][0].get<double>(),
                                    c["nc2_class_mean_condition_number"][1].get<double>());
            html += "</table>\n";
        }
        html += "</section>\n";
    }
    return html + "</body>\n</html>\n";
}

}  // namespace

ModelMeasurement measure_imported_model(const ImportedModel& model, const MeasureOptions& options) {
    ModelMeasurement result;
    result.model = model.describe();
    result.nonlinear_layers = model.nonlinear_layers;
    result.notes = model.notes;
    const Matrix<double>& data = model.network ? model.inputs : model.features;
    result.splits.push_back(measure_split(model, "train", data, model.labels, options));
    if (model.test_data) result.splits.push_back(measure_split(model, "test", *model.test_data, model.test_labels, options));
    return result;
}

nlohmann::json ModelMeasurement::to_json() const {
    nlohmann::json splits_json = nlohmann::json::array();
    for (const SplitMeasurement& s : splits) splits_json.push_back(split_json(s, nonlinear_layers));
    return {{"schema", "ncverify.measure/1"}, {"model", model}, {"notes", notes}, {"splits", splits_json}};
}

std::string ModelMeasurement::table() const {
    std::string text = fmt::format("{}\n", model);
    for (const std::string& note : notes) text += fmt::format("note: {}\n", note);
    for (const SplitMeasurement& s : splits) {
        text += fmt::format("\n{} split, N = {}:\n", s.split, s.report.num_samples);
        if (s.input_features)
            text += fmt::format("input H_{} (supplied features): NC1 {:.4g}, kappa(M) {:.4g}, NC3 mean cos {:.4g} "
                                "(against {}), NC4 {:.4g}\n",
                                nonlinear_layers, s.input_features->nc1_trace_ratio,
                                s.input_features->nc2_class_mean_condition_number, s.input_nc3->mean_cosine,
                                s.input_nc3->classifier, s.input_features->nc4_ncc_agreement);
        text += measurement_report_table(s.report);
        for (const CertifiedLayerMeasurement& c : s.certified)
            text += fmt::format("certified layer {}: NC1 in [{:.10g}, {:.10g}], kappa(M) in [{:.10g}, {:.10g}]\n", c.layer,
                                c.nc1_trace_ratio.lower, c.nc1_trace_ratio.upper, c.class_mean_condition_number.lower,
                                c.class_mean_condition_number.upper);
    }
    return text;
}

void add_measure_command(CLI::App& app, int& exit_code) {
    struct Options {
        std::string target;
        bool round_to_double = false;
        ImportOptions import;
        bool json = false, certified = false;
        std::string out;
    };
    auto options = std::make_shared<Options>();
    CLI::App* command = app.add_subcommand(
        "measure",
        "NC1-NC4 per layer of a run of ncv train (run directory or checkpoint) or of a network or features trained "
        "elsewhere (--import), no theorem checked");
    CLI::Option* target =
        command->add_option("target", options->target, "run directory or checkpoint file")->check(CLI::ExistingPath);
    command
        ->add_flag("--round-to-double", options->round_to_double,
                   "measure an MPFR checkpoint with its weights rounded to the nearest double")
        ->needs(target);
    add_import_options(*command, options->import)->excludes(target);
    command->add_flag("--json", options->json, "print the JSON instead of the table");
    command->add_flag("--certified", options->certified,
                      "also enclose NC1 and kappa(M) of every layer in ball arithmetic (rigorous intervals)");
    command->add_option("--out", options->out, "directory for measure.json and measure.html");
    command->callback([options, &exit_code] {
        if (options->import.path.empty() && options->target.empty())
            throw InvalidArgument(
                "ncv measure: give a run directory or checkpoint of ncv train, or --import MODEL (a manifest .json, an "
                ".npz archive or a directory of .npy files); see ncv measure --help");
        const ImportedModel model = options->import.path.empty()
                                        ? load_checkpoint_model(options->target, options->round_to_double)
                                        : load_imported_model(options->import.spec());
        MeasureOptions measure;
        measure.certified = options->certified;
        const ModelMeasurement measurement = measure_imported_model(model, measure);
        const nlohmann::json json = measurement.to_json();
        if (!options->out.empty()) {
            const std::filesystem::path out(options->out);
            std::filesystem::create_directories(out);
            write_file_atomically(out / "measure.json", json.dump(2));
            write_file_atomically(out / "measure.html", measure_html(json));
        }
        fmt::print("{}", options->json ? json.dump(2) + "\n" : measurement.table());
        if (!options->out.empty() && !options->json)
            fmt::print("written {} and {}\n", (std::filesystem::path(options->out) / "measure.json").string(),
                       (std::filesystem::path(options->out) / "measure.html").string());
        exit_code = 0;
    });
}

}  // namespace ncverify::app
