// The per-layer MeasurementReport: structure, agreement with the metric functions it
// assembles, the JSON schema (exact strings round-trip), the text table, the Gram and SVD
// spectrum routes against each other, and double against 256 bits.
#include <gtest/gtest.h>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/layer_report.hpp"
#include "ncverify/metrics/nc3.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "ncverify/metrics/negativity.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

// 5 inputs, K = 3 classes of 4 samples, widths 12-8-6-3 with L1 = 2 nonlinear layers.
SmallProblem problem() {
    return small_problem(5, 3, 4, {12, 8, 6, 3}, 2, Activation::smooth_leaky_relu(0.2), 7);
}

std::vector<Index> problem_labels() {
    std::vector<Index> labels;
    for (Index i = 0; i < 12; ++i) labels.push_back(i / 4);
    return labels;
}

template <class S>
Network<S> problem_network() {
    return network_from_double<S>(initialize_network(problem().spec, {InitScheme::he, {}, 3}));
}

}  // namespace

template <class S>
class LayerReportTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(LayerReportTest, BothScalars, ScalarName);

TYPED_TEST(LayerReportTest, AssemblesTheMetricFunctions) {
    using S = TypeParam;
    const Network<S> network = problem_network<S>();
    const ForwardPass<S> pass = forward(network, from_double<S>(problem().inputs));
    const std::vector<Index> labels = problem_labels();
    const MeasurementReport<S> report = measure_network(network, pass, labels);
    ASSERT_EQ(report.layers.size(), 4u);
    ASSERT_EQ(report.balancedness.size(), 3u);
    EXPECT_EQ(report.num_samples, 12);
    EXPECT_EQ(report.num_classes, 3);
    const std::vector<Index> predictions = network_predictions(pass.output());
    for (Index l = 1; l <= 4; ++l) {
        SCOPED_TRACE("layer " + std::to_string(l));
        const LayerMeasurements<S>& layer = report.layers[static_cast<std::size_t>(l - 1)];
        EXPECT_EQ(layer.layer, l);
        EXPECT_EQ(layer.nonlinear, l <= 2);
        EXPECT_EQ(layer.pre_activations.has_value(), l <= 2);
        EXPECT_EQ(layer.negativity.has_value(), l <= 2);
        EXPECT_EQ(layer.nc3.has_value(), l == 2 || l == 3);  // L1 <= l < L
        // Same computation, same numbers.
        const ClassStatistics<S> stats = class_statistics(pass.H(l), labels, 3);
        EXPECT_EQ(layer.features.nc1_trace_ratio, nc1_trace_ratio(stats));
        EXPECT_EQ(layer.features.nc1_pinv, nc1_pinv(stats));
        EXPECT_EQ(layer.features.nc1_cdnv, nc1_cdnv(stats));
        EXPECT_EQ(layer.features.nc2_orthogonal_frame_error, nc2_orthogonal_frame_error(stats.class_means));
        EXPECT_EQ(layer.features.nc4_ncc_agreement, nc4_ncc_agreement(pass.H(l), stats.class_means, predictions));
        ASSERT_TRUE(layer.features.spectrum.has_value());
        EXPECT_EQ(layer.features.spectrum->route, SpectrumRoute::svd);
        const FeatureSpectrum<S> spectrum = feature_spectrum(pass.H(l));
        EXPECT_EQ(layer.features.spectrum->numerical_rank, spectrum.rank);
        EXPECT_EQ(layer.features.spectrum->condition_number, spectrum.condition_number);
        EXPECT_EQ(layer.features.spectrum->spectral_norm, spectrum.spectral_norm);
        if (layer.pre_activations) {
            EXPECT_FALSE(layer.pre_activations->spectrum.has_value());
            const ClassStatistics<S> z_stats = class_statistics(pass.Z(l), labels, 3);
            EXPECT_EQ(layer.pre_activations->nc1_trace_ratio, nc1_trace_ratio(z_stats));
        }
        if (layer.negativity) {
            EXPECT_EQ(*layer.negativity, negativity(pass.Z(l), network.spec.activation));
        }
    }
    // NC3 of H_{L-1} against W_L (the paper's measure), of H_{L1} against W_4 W_3.
    const ClassStatistics<S> penultimate = class_statistics(pass.H(3), labels, 3);
    EXPECT_EQ(report.layers[2].nc3->classifier, "W_4");
    EXPECT_EQ(report.layers[2].nc3->mean_cosine, nc3_alignment(penultimate.class_means, network.weight(4)).mean_cosine);
    EXPECT_EQ(report.layers[1].nc3->classifier, "W_4 W_3");
    for (Index l = 1; l <= 3; ++l) {
        const BalancednessMeasurement<S>& pair = report.balancedness[static_cast<std::size_t>(l - 1)];
        EXPECT_EQ(pair.linear, l > 2);
        EXPECT_EQ(pair.gap, balancedness_gap(network.weight(l), network.weight(l + 1)));
        EXPECT_EQ(pair.relative_gap, relative_balancedness_gap(network.weight(l), network.weight(l + 1)));
    }
    EXPECT_EQ(report.linear_part.condition_number, condition_number(network.linear_part()));
    EXPECT_EQ(report.linear_part.last_weight_condition_number, condition_number(network.weight(4)));
    // The report from the inputs runs the same forward pass.
    const MeasurementReport<S> again = measure_network(network, from_double<S>(problem().inputs), labels);
    EXPECT_EQ(again.layers[3].features.nc1_trace_ratio, report.layers[3].features.nc1_trace_ratio);

    std::vector<Index> short_labels = labels;
    short_labels.pop_back();
    EXPECT_THROW(measure_network(network, pass, short_labels), ShapeMismatch);
}

TYPED_TEST(LayerReportTest, JsonSchemaAndExactStrings) {
    using S = TypeParam;
    const Network<S> network = problem_network<S>();
    const MeasurementReport<S> report =
        measure_network(network, from_double<S>(problem().inputs), problem_labels());
    const nlohmann::json json = measurement_report_to_json(report);
    EXPECT_EQ(json["schema"], "ncverify.measurement_report/1");
    EXPECT_EQ(json["scalar"], std::string(ScalarTraits<S>::name));
    EXPECT_EQ(json["precision_bits"], ScalarTraits<S>::bits_of(S(1)));
    EXPECT_EQ(json["num_classes"], 3);
    EXPECT_EQ(json["network"]["widths"], nlohmann::json({12, 8, 6, 3}));
    EXPECT_EQ(json["options"]["rank_rule"], RankRule::working_precision().describe());
    ASSERT_EQ(json["layers"].size(), 4u);
    EXPECT_EQ(json["layers"][0]["kind"], "nonlinear");
    EXPECT_TRUE(json["layers"][3]["pre_activations"].is_null());
    EXPECT_TRUE(json["layers"][0]["nc3"].is_null());
    EXPECT_EQ(json["layers"][2]["nc3"]["classifier"], "W_4");
    EXPECT_EQ(json["balancedness"][2]["kind"], "linear");
    EXPECT_EQ(json["balancedness"][2]["pair"], nlohmann::json({3, 4}));
    // Every value's exact string parses back to the stored number, bit for bit.
    const nlohmann::json& nc1 = json["layers"][1]["features"]["nc1_trace_ratio"];
    EXPECT_EQ(ScalarTraits<S>::from_exact_string(nc1["exact"].get<std::string>()),
              report.layers[1].features.nc1_trace_ratio);
    EXPECT_EQ(nc1["value"].get<double>(), ScalarTraits<S>::to_double(report.layers[1].features.nc1_trace_ratio));
    const nlohmann::json& root = json["linear_part"]["condition_number_root"];
    EXPECT_EQ(ScalarTraits<S>::from_exact_string(root["exact"].get<std::string>()),
              report.linear_part.condition_number_root);
    EXPECT_EQ(json["layers"][0]["features"]["spectrum"]["route"], "svd");
    EXPECT_EQ(json["layers"][0]["features"]["spectrum"]["numerical_rank"],
              report.layers[0].features.spectrum->numerical_rank);
    EXPECT_TRUE(json["layers"][0]["pre_activations"]["spectrum"].is_null());
    EXPECT_EQ(ScalarTraits<S>::from_exact_string(json["layers"][0]["negativity"]["exact"].get<std::string>()),
              *report.layers[0].negativity);

    const std::string table = measurement_report_table(report);
    EXPECT_NE(table.find("NC1 tr"), std::string::npos) << table;
    EXPECT_NE(table.find("balancedness"), std::string::npos) << table;
    EXPECT_NE(table.find("kappa(A)"), std::string::npos) << table;
}

// The Gram route against the SVD route on the same features: ||.||_op agrees to ~n eps;
// a singular value s_i from the Gram route carries a relative error ~ max(m,n) eps
// (s_1/s_i)^2, so kappa agrees to 100 max(m,n) eps kappa^2.
TYPED_TEST(LayerReportTest, GramAndSvdRoutesAgree) {
    using S = TypeParam;
    const Network<S> network = problem_network<S>();
    const ForwardPass<S> pass = forward(network, from_double<S>(problem().inputs));
    MeasurementOptions gram;
    gram.svd_dimension_limit = 0;
    const MeasurementReport<S> by_svd = measure_network(network, pass, problem_labels());
    const MeasurementReport<S> by_gram = measure_network(network, pass, problem_labels(), gram);
    for (std::size_t i = 0; i < by_svd.layers.size(); ++i) {
        SCOPED_TRACE("layer " + std::to_string(i + 1));
        const SpectrumMeasurements<S>& a = *by_svd.layers[i].features.spectrum;
        const SpectrumMeasurements<S>& b = *by_gram.layers[i].features.spectrum;
        EXPECT_EQ(b.route, SpectrumRoute::gram);
        EXPECT_EQ(a.numerical_rank, b.numerical_rank);
        EXPECT_LT(relative_error(b.spectral_norm, a.spectral_norm), 100 * 12 * eps<S>());
        const double kappa = ScalarTraits<S>::to_double(a.condition_number);
        EXPECT_LT(relative_error(b.condition_number, a.condition_number), 100 * 12 * eps<S>() * kappa * kappa);
        EXPECT_EQ(by_svd.layers[i].features.nc1_trace_ratio, by_gram.layers[i].features.nc1_trace_ratio);
    }
}

// The same exact network and data in double and at 256 bits: the double report differs
// only by double rounding; these quantities are well conditioned on this instance
// (kappa of features and means <= ~1e3), so 1e-9 relative bounds the difference.
TEST(LayerReport, DoubleAgreesWithHighPrecision) {
    const MeasurementReport<double> low =
        measure_network(problem_network<double>(), problem().inputs, problem_labels());
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const MeasurementReport<Mpfr> high =
        measure_network(problem_network<Mpfr>(), from_double<Mpfr>(problem().inputs), problem_labels());
    const auto close = [](double a, const Mpfr& b) {
        const double reference = ScalarTraits<Mpfr>::to_double(b);
        return std::abs(a - reference) <= 1e-9 * std::abs(reference);
    };
    for (std::size_t i = 0; i < low.layers.size(); ++i) {
        SCOPED_TRACE("layer " + std::to_string(i + 1));
        const FeatureMeasurements<double>& a = low.layers[i].features;
        const FeatureMeasurements<Mpfr>& b = high.layers[i].features;
        EXPECT_TRUE(close(a.nc1_trace_ratio, b.nc1_trace_ratio));
        EXPECT_TRUE(close(a.nc1_pinv, b.nc1_pinv));
        EXPECT_TRUE(close(a.nc1_cdnv, b.nc1_cdnv));
        EXPECT_TRUE(close(a.nc2_class_mean_condition_number, b.nc2_class_mean_condition_number));
        EXPECT_TRUE(close(a.spectrum->spectral_norm, b.spectrum->spectral_norm));
        EXPECT_TRUE(close(a.spectrum->condition_number, b.spectrum->condition_number));
        EXPECT_EQ(a.spectrum->numerical_rank, b.spectrum->numerical_rank);
        EXPECT_EQ(a.nc4_ncc_agreement, ScalarTraits<Mpfr>::to_double(b.nc4_ncc_agreement));
    }
    for (std::size_t i = 0; i < low.balancedness.size(); ++i)
        EXPECT_TRUE(close(low.balancedness[i].gap, high.balancedness[i].gap));
    EXPECT_TRUE(close(low.linear_part.condition_number, high.linear_part.condition_number));
}

// Spectra of larger matrices (above the dense cut-off of spectral_norm_by_lanczos, and
// through the Gram route), against constructed singular values (exact to a few eps):
// - spectral_norm_by_lanczos stops at a relative Ritz residual max(m,n) eps, so it agrees
//   with s_1 to ~max(m,n) eps: bound 10 max(m,n) eps. The second matrix has a tight
//   cluster at the top (s_1 - s_2 = 1e-9 s_1), the case where Lanczos may need the dense
//   fallback; the value must be right either way.
// - the Gram route decides the rank above its resolution floor: a rank-3 matrix has
//   rank 3 by both routes, and kappa agrees to 100 max(m,n) eps kappa^2.
TYPED_TEST(LayerReportTest, LargeSpectraByLanczosAndGram) {
    using S = TypeParam;
    RandomSource random(31);
    // Just above the dense cut-off (64) at 256 bits, where every operation is ~100x dearer.
    const Index m = std::is_same_v<S, double> ? 90 : 72, n = std::is_same_v<S, double> ? 70 : 66;
    Vector<S> spread(n), cluster(n), low_rank(3);
    for (Index i = 0; i < n; ++i) {
        spread(i) = S(std::pow(10.0, -3.0 * static_cast<double>(i) / static_cast<double>(n)));
        cluster(i) = i == 0 ? S(1) : S(S(1) - S(1e-9) * S(i)) * S(i < 5 ? 1.0 : 0.5);
    }
    low_rank << S(3), S(2), S(1);
    for (const Vector<S>& values : {spread, cluster}) {
        const Matrix<S> b = matrix_with_singular_values<S>(m, n, values, random);
        const S reference = values(0);
        EXPECT_LT(relative_error(spectral_norm_by_lanczos(b), reference), 10 * m * eps<S>());
        EXPECT_LT(relative_error(spectral_norm_by_lanczos(Matrix<S>(b.transpose())), reference), 10 * m * eps<S>());
        EXPECT_LT(relative_error(gram_spectral_norm(b), reference), 10 * m * eps<S>());
    }
    const Matrix<S> deficient = matrix_with_singular_values<S>(20, 16, low_rank, random);
    const FeatureSpectrum<S> by_svd = feature_spectrum(deficient);
    const FeatureSpectrum<S> by_gram = feature_spectrum(deficient, {RankRule::working_precision(), 0});
    EXPECT_EQ(by_svd.route, SpectrumRoute::svd);
    EXPECT_EQ(by_gram.route, SpectrumRoute::gram);
    EXPECT_EQ(by_svd.rank, 3);
    EXPECT_EQ(by_gram.rank, 3);
    EXPECT_LT(relative_error(by_gram.condition_number, S(3)), 100 * 20 * eps<S>() * 9);
    EXPECT_LT(relative_error(by_svd.condition_number, S(3)), 100 * 20 * eps<S>());
}
