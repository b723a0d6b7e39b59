#pragma once
// Definitions behind layer_report.hpp; included only by the per-scalar instantiation
// files (layer_report_double.cpp, layer_report_mpfr.cpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <utility>

#include <fmt/core.h>

#include "ncverify/io/network_spec_json.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/layer_report.hpp"
#include "ncverify/metrics/nc3.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "ncverify/metrics/negativity.hpp"

namespace ncverify {

template <class S>
FeatureMeasurements<S> measure_features(const Matrix<S>& features, const std::vector<Index>& labels, Index num_classes,
                                        const std::vector<Index>& predictions, const MeasurementOptions& options,
                                        bool with_spectrum) {
    const ClassStatistics<S> stats = class_statistics(features, labels, num_classes, options.statistics);
    FeatureMeasurements<S> m;
    m.within_trace = stats.within_trace;
    m.between_trace = stats.between_trace;
    m.nc1_trace_ratio = nc1_trace_ratio(stats);
    const Nc1PinvResult<S> pinv = nc1_pinv_detailed(stats, options.nc1_pinv);
    m.nc1_pinv = pinv.value;
    m.nc1_pinv_rank = pinv.rank;
    m.nc1_cdnv = nc1_cdnv(stats);

    const Vector<S> mean_singular_values = singular_values(stats.class_means);
    m.class_mean_rank = options.rank_rule.rank(mean_singular_values, stats.class_means.rows(), num_classes);
    m.nc2_class_mean_condition_number = condition_number_from_singular_values(
        mean_singular_values, stats.class_means.rows(), num_classes, options.rank_rule);
    m.nc2_orthogonal_frame_error = nc2_orthogonal_frame_error(stats.class_means);
    m.nc2_simplex_etf_error = nc2_simplex_etf_error(stats.centred_means);
    m.nc2_equinorm = nc2_equinorm(stats.centred_means, options.standard_deviation);
    const Equiangularity<S> angles = nc2_equiangularity(stats.centred_means, options.standard_deviation);
    m.nc2_equiangularity_std = angles.cosine_std;
    m.nc2_equiangularity_shift = angles.simplex_shift;
    m.nc4_ncc_agreement = nc4_ncc_agreement(features, stats.class_means, predictions);

    if (with_spectrum) {
        const FeatureSpectrum<S> spectrum =
            feature_spectrum(features, {options.rank_rule, options.svd_dimension_limit});
        m.spectrum = SpectrumMeasurements<S>{spectrum.rank, spectrum.condition_number, spectrum.spectral_norm,
                                             spectrum.route};
    }
    return m;
}

namespace detail {

template <class S>
void check_pass(const Network<S>& network, const ForwardPass<S>& pass, const std::vector<Index>& labels) {
    const Index layers = network.num_layers();
    if (static_cast<Index>(pass.features.size()) != layers + 1 ||
        static_cast<Index>(pass.pre_activations.size()) != layers + 1)
        throw ShapeMismatch(fmt::format("measure_network: the forward pass has {} feature matrices, the network {} layers "
                                        "(expected H_0 .. H_{})",
                                        pass.features.size(), layers, layers));
    const Index n = pass.H(0).cols();
    for (Index l = 0; l <= layers; ++l) {
        if (pass.H(l).rows() != network.spec.width(l) || pass.H(l).cols() != n)
            throw ShapeMismatch(fmt::format("measure_network: H_{} is {}x{}, expected {}x{}", l, pass.H(l).rows(),
                                            pass.H(l).cols(), network.spec.width(l), n));
        if (l > 0 && (pass.Z(l).rows() != pass.H(l).rows() || pass.Z(l).cols() != n))
            throw ShapeMismatch(fmt::format("measure_network: Z_{} is {}x{}, expected {}x{}", l, pass.Z(l).rows(),
                                            pass.Z(l).cols(), pass.H(l).rows(), n));
    }
    if (static_cast<Index>(labels.size()) != n)
        throw ShapeMismatch(fmt::format("measure_network: {} labels for {} samples", labels.size(), n));
}

inline std::string product_name(Index top, Index bottom) {
    std::string name = fmt::format("W_{}", top);
    for (Index l = top - 1; l >= bottom; --l) name += fmt::format(" W_{}", l);
    return name;
}

/// Runs jobs[i]() for every i: in parallel over the OpenMP threads for double (each job
/// is sequential inside the parallel region, so its numbers do not depend on the thread
/// count), sequentially for Mpfr (docs/precision.md keeps MPFR work on one thread: the
/// working precision is process-global Boost state). The first exception thrown by a job
/// is rethrown after all jobs ran.
template <class S>
void run_jobs(const std::vector<std::function<void()>>& jobs) {
    std::vector<std::exception_ptr> errors(jobs.size());
    const auto run = [&](std::size_t i) {
        try {
            jobs[i]();
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    const auto count = static_cast<std::int64_t>(jobs.size());
    if constexpr (std::is_same_v<S, double>) {
#pragma omp parallel for schedule(dynamic, 1)
        for (std::int64_t i = 0; i < count; ++i) run(static_cast<std::size_t>(i));
    } else {
        for (std::int64_t i = 0; i < count; ++i) run(static_cast<std::size_t>(i));
    }
    for (const std::exception_ptr& error : errors)
        if (error) std::rethrow_exception(error);
}

}  // namespace detail

template <class S>
ClassifierMeasurements<S> measure_classifier(const Matrix<S>& features, const std::vector<Index>& labels, Index num_classes,
                                             const Matrix<S>& classifier, std::string name,
                                             const MeasurementOptions& options) {
    const ClassStatistics<S> stats = class_statistics(features, labels, num_classes, options.statistics);
    const Nc3Alignment<S> alignment = nc3_alignment(stats.class_means, classifier);
    return {std::move(name),
            alignment.mean_cosine,
            alignment.min_cosine,
            nc3_self_duality(classifier, stats.class_means),
            nc3_self_duality(classifier, stats.centred_means),
            nc3_classifier_etf_error(classifier, stats.centred_means)};
}

template <class S>
MeasurementReport<S> measure_network(const Network<S>& network, const ForwardPass<S>& pass,
                                     const std::vector<Index>& labels, const MeasurementOptions& options) {
    const NetworkSpec& spec = network.spec;
    const Index layers = network.num_layers(), k = spec.width(layers);
    spec.validate(k, 0);
    network.validate_weights();
    detail::check_pass(network, pass, labels);
    // Labels are checked once here, so that jobs fail only on non-finite features.
    detail::check_labels(labels, pass.H(0).cols(), k, "measure_network");

    MeasurementReport<S> report;
    report.spec = spec;
    report.num_samples = pass.H(0).cols();
    report.num_classes = k;
    report.precision_bits = ScalarTraits<S>::bits_of(S(1));
    report.options = options;
    const std::vector<Index> predictions = network_predictions(pass.output());

    // classifiers[l] = W_L ... W_{l+1}, the linear map H_l -> H_L, for L1 <= l < L.
    std::vector<Matrix<S>> classifiers(static_cast<std::size_t>(layers));
    for (Index l = layers - 1; l >= spec.nonlinear_layers; --l)
        classifiers[static_cast<std::size_t>(l)] =
            l == layers - 1 ? network.weight(layers)
                            : Matrix<S>(multiply(classifiers[static_cast<std::size_t>(l + 1)], network.weight(l + 1)));

    report.layers.resize(static_cast<std::size_t>(layers));
    report.balancedness.resize(static_cast<std::size_t>(layers - 1));
    // Independent jobs, the most expensive (O(n^3) eigenproblems of the widest layers) first.
    std::vector<std::pair<double, std::function<void()>>> jobs;
    for (Index l = 1; l <= layers; ++l) {
        LayerMeasurements<S>& layer = report.layers[static_cast<std::size_t>(l - 1)];
        layer.layer = l + options.layer_offset;
        layer.nonlinear = spec.is_nonlinear(l);
        layer.width = spec.width(l);
        const double p = static_cast<double>(layer.width), n = static_cast<double>(report.num_samples);
        LayerMeasurements<S>* const target = &layer;
        jobs.emplace_back(p * n * std::min(p, n), [&, l, target] {
            target->features = measure_features(pass.H(l), labels, k, predictions, options);
            if (l < layers && l >= spec.nonlinear_layers)
                target->nc3 = measure_classifier(
                    pass.H(l), labels, k, classifiers[static_cast<std::size_t>(l)],
                    detail::product_name(layers + options.layer_offset, l + 1 + options.layer_offset), options);
        });
        if (layer.nonlinear)
            jobs.emplace_back(p * n * k, [&, l, target] {
                if (options.measure_pre_activations)
                    target->pre_activations = measure_features(pass.Z(l), labels, k, predictions, options, false);
                target->negativity = spectral_norm_by_lanczos(Matrix<S>(pass.Z(l) - pass.H(l))) /
                                     spectral_norm_by_lanczos(pass.Z(l));
            });
    }
    for (Index l = 1; l < layers; ++l) {
        const double width = static_cast<double>(spec.width(l));
        jobs.emplace_back(width * width * width, [&, l] {
            const Matrix<S>& w = network.weight(l);
            const S gap = balancedness_gap(w, network.weight(l + 1));
            const S norm = spectral_norm_by_lanczos(w);
            report.balancedness[static_cast<std::size_t>(l - 1)] = {l + options.layer_offset, !spec.is_nonlinear(l), gap,
                                                                    S(gap / (norm * norm))};
        });
    }
    LinearPartMeasurements<S>& linear = report.linear_part;
    jobs.emplace_back(0.0, [&] {
        linear.linear_layers = spec.linear_layers;
        const Matrix<S> a = network.linear_part();
        const Vector<S> a_values = singular_values(a);
        linear.rank = options.rank_rule.rank(a_values, a.rows(), a.cols());
        linear.condition_number =
            condition_number_from_singular_values(a_values, a.rows(), a.cols(), options.rank_rule);
        linear.last_weight_condition_number = condition_number(network.weight(layers), options.rank_rule);
        using std::pow;
        linear.condition_number_root = pow(linear.condition_number, S(1) / S(spec.linear_layers));
    });
    std::stable_sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::function<void()>> ordered;
    for (auto& job : jobs) ordered.push_back(std::move(job.second));
    detail::run_jobs<S>(ordered);
    return report;
}

template <class S>
MeasurementReport<S> measure_network(const Network<S>& network, const Matrix<S>& inputs,
                                     const std::vector<Index>& labels, const MeasurementOptions& options) {
    return measure_network(network, forward(network, inputs), labels, options);
}

namespace detail {

template <class S>
nlohmann::json scalar_json(const S& x) {
    return {{"value", ScalarTraits<S>::to_double(x)}, {"exact", ScalarTraits<S>::to_exact_string(x)}};
}

template <class S>
nlohmann::json features_json(const FeatureMeasurements<S>& m) {
    return {{"within_trace", scalar_json(m.within_trace)},
            {"between_trace", scalar_json(m.between_trace)},
            {"nc1_trace_ratio", scalar_json(m.nc1_trace_ratio)},
            {"nc1_pinv", scalar_json(m.nc1_pinv)},
            {"nc1_pinv_rank", m.nc1_pinv_rank},
            {"nc1_cdnv", scalar_json(m.nc1_cdnv)},
            {"nc2_class_mean_condition_number", scalar_json(m.nc2_class_mean_condition_number)},
            {"class_mean_rank", m.class_mean_rank},
            {"nc2_orthogonal_frame_error", scalar_json(m.nc2_orthogonal_frame_error)},
            {"nc2_simplex_etf_error", scalar_json(m.nc2_simplex_etf_error)},
            {"nc2_equinorm", scalar_json(m.nc2_equinorm)},
            {"nc2_equiangularity_std", scalar_json(m.nc2_equiangularity_std)},
            {"nc2_equiangularity_shift", scalar_json(m.nc2_equiangularity_shift)},
            {"nc4_ncc_agreement", scalar_json(m.nc4_ncc_agreement)},
            {"spectrum", m.spectrum ? nlohmann::json{{"numerical_rank", m.spectrum->numerical_rank},
                                                     {"condition_number", scalar_json(m.spectrum->condition_number)},
                                                     {"spectral_norm", scalar_json(m.spectrum->spectral_norm)},
                                                     {"route", std::string(spectrum_route_name(m.spectrum->route))}}
                                    : nlohmann::json(nullptr)}};
}

}  // namespace detail

template <class S>
nlohmann::json feature_measurements_to_json(const FeatureMeasurements<S>& measurements) {
    return detail::features_json(measurements);
}

template <class S>
nlohmann::json classifier_measurements_to_json(const ClassifierMeasurements<S>& m) {
    using detail::scalar_json;
    return {{"classifier", m.classifier},
            {"mean_cosine", scalar_json(m.mean_cosine)},
            {"min_cosine", scalar_json(m.min_cosine)},
            {"self_duality", scalar_json(m.self_duality)},
            {"centred_self_duality", scalar_json(m.centred_self_duality)},
            {"classifier_etf_error", scalar_json(m.classifier_etf_error)}};
}

template <class S>
nlohmann::json measurement_report_to_json(const MeasurementReport<S>& report) {
    using detail::scalar_json;
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerMeasurements<S>& layer : report.layers) {
        nlohmann::json entry = {{"layer", layer.layer},
                                {"kind", layer.nonlinear ? "nonlinear" : "linear"},
                                {"width", layer.width},
                                {"features", detail::features_json(layer.features)},
                                {"pre_activations", nullptr},
                                {"negativity", nullptr},
                                {"nc3", nullptr}};
        if (layer.pre_activations) entry["pre_activations"] = detail::features_json(*layer.pre_activations);
        if (layer.negativity) entry["negativity"] = scalar_json(*layer.negativity);
        if (layer.nc3) entry["nc3"] = classifier_measurements_to_json(*layer.nc3);
        layers.push_back(std::move(entry));
    }
    nlohmann::json balancedness = nlohmann::json::array();
    for (const BalancednessMeasurement<S>& pair : report.balancedness)
        balancedness.push_back({{"layer", pair.layer},
                                {"pair", {pair.layer, pair.layer + 1}},
                                {"kind", pair.linear ? "linear" : "nonlinear"},
                                {"gap", scalar_json(pair.gap)},
                                {"relative_gap", scalar_json(pair.relative_gap)}});
    const MeasurementOptions& o = report.options;
    return {{"schema", "ncverify.measurement_report/1"},
            {"scalar", std::string(ScalarTraits<S>::name)},
            {"precision_bits", report.precision_bits},
            {"network", network_spec_to_json(report.spec)},
            {"num_samples", report.num_samples},
            {"num_classes", report.num_classes},
            {"options",
             {{"rank_rule", o.rank_rule.describe()},
              {"nc1_pinv_rank_rule", o.nc1_pinv.rank_rule.describe()},
              {"nc1_pinv_divided_by_num_classes", o.nc1_pinv.divide_by_num_classes},
              {"global_mean", std::string(global_mean_weighting_name(o.statistics.global_mean))},
              {"standard_deviation", o.standard_deviation == StandardDeviation::population ? "population" : "sample"},
              {"svd_dimension_limit", o.svd_dimension_limit},
              {"measure_pre_activations", o.measure_pre_activations}}},
            {"layers", std::move(layers)},
            {"balancedness", std::move(balancedness)},
            {"linear_part",
             {{"linear_layers", report.linear_part.linear_layers},
              {"rank", report.linear_part.rank},
              {"condition_number", scalar_json(report.linear_part.condition_number)},
              {"last_weight_condition_number", scalar_json(report.linear_part.last_weight_condition_number)},
              {"condition_number_root", scalar_json(report.linear_part.condition_number_root)}}}};
}

namespace detail {

template <class S>
std::string short_value(const S& x) {
    return fmt::format("{:10.3e}", ScalarTraits<S>::to_double(x));
}

template <class S>
std::string feature_row(Index layer, const char* kind, Index width, const char* on, const FeatureMeasurements<S>& m,
                        const std::optional<ClassifierMeasurements<S>>& nc3, const std::optional<S>& negativity) {
    return fmt::format("{:>3} {:<9} {:>6} {:<2} {} {} {} {} {} {} {} {} {:>6.3f} {:>5} {} {} {}\n", layer, kind, width,
                       on, short_value(m.nc1_trace_ratio), short_value(m.nc1_pinv), short_value(m.nc1_cdnv),
                       short_value(m.nc2_class_mean_condition_number), short_value(m.nc2_orthogonal_frame_error),
                       short_value(m.nc2_simplex_etf_error), nc3 ? short_value(nc3->mean_cosine) : std::string(10, ' '),
                       nc3 ? short_value(nc3->min_cosine) : std::string(10, ' '),
                       ScalarTraits<S>::to_double(m.nc4_ncc_agreement),
                       m.spectrum ? fmt::format("{}", m.spectrum->numerical_rank) : std::string(),
                       m.spectrum ? short_value(m.spectrum->condition_number) : std::string(10, ' '),
                       m.spectrum ? short_value(m.spectrum->spectral_norm) : std::string(10, ' '),
                       negativity ? short_value(*negativity) : std::string(10, ' '));
}

}  // namespace detail

template <class S>
std::string measurement_report_table(const MeasurementReport<S>& report) {
    using detail::short_value;
    std::string text = fmt::format("measurements: {}, N = {}, K = {}, {} ({} bits)\n", report.spec.describe(),
                                   report.num_samples, report.num_classes, ScalarTraits<S>::name,
                                   report.precision_bits);
    text += fmt::format("{:>3} {:<9} {:>6} {:<2} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>5} "
                        "{:>10} {:>10} {:>10}\n",
                        "l", "kind", "width", "on", "NC1 tr", "NC1 pinv", "CDNV", "kappa(M)", "OF err", "ETF err",
                        "NC3 cos", "NC3 min", "NC4", "rank", "kappa", "||.||op", "negativity");
    for (const LayerMeasurements<S>& layer : report.layers) {
        const char* kind = layer.nonlinear ? "nonlinear" : "linear";
        text += detail::feature_row(layer.layer, kind, layer.width, "H", layer.features, layer.nc3,
                                    std::optional<S>());
        if (layer.pre_activations)
            text += detail::feature_row(layer.layer, kind, layer.width, "Z", *layer.pre_activations,
                                        std::optional<ClassifierMeasurements<S>>(), layer.negativity);
        else if (layer.negativity)
            text += fmt::format("{:>3} {:<9} {:>6} {:<2} negativity {}\n", layer.layer, kind, layer.width, "Z",
                                short_value(*layer.negativity));
    }
    text += "balancedness ||W_{l+1}^T W_{l+1} - W_l W_l^T||_op:\n";
    text += fmt::format("{:>7} {:<9} {:>10} {:>14}\n", "pair", "kind", "gap", "gap/||W_l||^2");
    for (const BalancednessMeasurement<S>& pair : report.balancedness)
        text += fmt::format("{:>3}-{:<3} {:<9} {} {:>14.3e}\n", pair.layer, pair.layer + 1,
                            pair.linear ? "linear" : "nonlinear", short_value(pair.gap),
                            ScalarTraits<S>::to_double(pair.relative_gap));
    const LinearPartMeasurements<S>& linear = report.linear_part;
    text += fmt::format("linear part A = W_L ... W_(L1+1): rank {}, kappa(A) = {:.4e}, kappa(W_L) = {:.4e}, "
                        "kappa(A)^(1/{}) = {:.4e}\n",
                        linear.rank, ScalarTraits<S>::to_double(linear.condition_number),
                        ScalarTraits<S>::to_double(linear.last_weight_condition_number), linear.linear_layers,
                        ScalarTraits<S>::to_double(linear.condition_number_root));
    return text;
}

}  // namespace ncverify

#define NCV_INSTANTIATE_MEASUREMENT_REPORT(S)                                                                   \
    namespace ncverify {                                                                                        \
    template FeatureMeasurements<S> measure_features(const Matrix<S>&, const std::vector<Index>&, Index,        \
                                                     const std::vector<Index>&, const MeasurementOptions&, bool); \
    template MeasurementReport<S> measure_network(const Network<S>&, const ForwardPass<S>&,                     \
                                                  const std::vector<Index>&, const MeasurementOptions&);        \
    template MeasurementReport<S> measure_network(const Network<S>&, const Matrix<S>&, const std::vector<Index>&, \
                                                  const MeasurementOptions&);                                   \
    template nlohmann::json measurement_report_to_json(const MeasurementReport<S>&);                            \
    template nlohmann::json feature_measurements_to_json(const FeatureMeasurements<S>&);                        \
    template nlohmann::json classifier_measurements_to_json(const ClassifierMeasurements<S>&);                  \
    template ClassifierMeasurements<S> measure_classifier(const Matrix<S>&, const std::vector<Index>&, Index,   \
                                                          const Matrix<S>&, std::string, const MeasurementOptions&); \
    template std::string measurement_report_table(const MeasurementReport<S>&);                                 \
    }
