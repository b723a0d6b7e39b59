#pragma once
// MeasurementReport: every measurement of THEORY.md §2, layer by layer, for one network
// on one labelled data set. The arrow "training trajectory -> measurements" of
// docs/architecture.md: a plain value, computed once, read by the checkers.
//
// For every layer l = 1..L (features H_l, p = n_l):
//   features:         NC1 (trace ratio, pinv, CDNV), NC2 (kappa of the uncentred means,
//                     orthogonal-frame and simplex-ETF errors, equinorm, equiangularity),
//                     NC4 (agreement of the network's prediction with the NCC rule on
//                     H_l), numerical rank, kappa and ||.||_op of H_l;
//   pre_activations:  the same on Z_l, for nonlinear layers (l <= L1);
//   negativity:       ||Z_l - sigma(Z_l)||_op / ||Z_l||_op, for nonlinear layers;
//   nc3:              for L1 <= l < L, alignment of the class means of H_l with the linear
//                     map to the outputs, W_L ... W_{l+1} (= W_L for l = L - 1, the paper's
//                     measure); absent for l < L1, where a nonlinearity follows and no
//                     class-indexed linear classifier exists.
// For every consecutive pair l = 1..L-1: ||D_l||_op and ||D_l||_op / ||W_l||_op^2,
// marked linear (l > L1, where the paper predicts D_l -> 0) or nonlinear.
// For the network: kappa(A) of the linear part A = W_L ... W_{L1+1}, kappa(W_L) and
// kappa(A)^(1/L2) (equal to kappa(W_L) for exactly balanced linear layers).
//
// Values are kept in the working scalar S (checkers use them exactly); JSON gives each
// as {"value": <double>, "exact": <ScalarTraits<S>::to_exact_string>} (schema in
// docs/metrics.md), and measurement_report_table a compact text table.
//
// Cost (docs/metrics.md): O(p N K) per feature matrix for NC1-NC4, one spectrum per H_l
// (SVD up to svd_dimension_limit, Gram route above, see feature_spectrum.hpp), one
// symmetric eigenproblem of size n_l per balancedness pair, and Lanczos spectral norms
// for negativity and ||W_l||_op. No p x p covariance is formed. In double these
// independent pieces run in parallel over the OpenMP threads (each one sequentially, so
// the numbers do not depend on the thread count); in MPFR sequentially. On the reference
// problem (N = 1000, 784-1024-512-256-128-10, double) a report costs about 3 gradient
// steps (bench/metrics_bench.cpp, docs/metrics.md).
//
// Explicitly instantiated for double and Mpfr (layer_report_double.cpp, _mpfr.cpp).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/feature_spectrum.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/metrics/nc2.hpp"
#include "ncverify/network/forward_pass.hpp"

namespace ncverify {

struct MeasurementOptions {
    /// Rank rule of kappa and rank of features, of kappa(M), kappa(A) and kappa(W_L).
    RankRule rank_rule = RankRule::working_precision();
    /// Rank rule of Sigma_B^+ and the 1/K of nc1_pinv.
    Nc1PinvOptions nc1_pinv;
    /// Weighting of the global mean (unbalanced classes only).
    ClassStatisticsOptions statistics;
    /// Standard deviations of nc2_equinorm and nc2_equiangularity.
    StandardDeviation standard_deviation = StandardDeviation::population;
    /// Feature matrices with a smaller side above this use the Gram route for their spectrum.
    Index svd_dimension_limit = 64;
    /// Also measure the pre-activations Z_l of nonlinear layers.
    bool measure_pre_activations = true;
    /// Layer l of the measured network is reported as layer l + layer_offset (in layer
    /// numbers and classifier names): a linear head measured on supplied features H_{L1}
    /// sets L1, so that its layers are numbered as in the whole network.
    Index layer_offset = 0;
};

template <class S>
struct SpectrumMeasurements {
    Index numerical_rank = 0;          // of the feature matrix, under rank_rule
    S condition_number;                // kappa of the feature matrix
    S spectral_norm;                   // ||.||_op of the feature matrix
    SpectrumRoute route = SpectrumRoute::svd;
};

template <class S>
struct FeatureMeasurements {
    S within_trace;                    // tr Sigma_W
    S between_trace;                   // tr Sigma_B
    S nc1_trace_ratio;
    S nc1_pinv;
    Index nc1_pinv_rank = 0;           // directions of Sigma_B inverted
    S nc1_cdnv;
    S nc2_class_mean_condition_number; // kappa(M), uncentred
    Index class_mean_rank = 0;         // rank of M under rank_rule
    S nc2_orthogonal_frame_error;
    S nc2_simplex_etf_error;
    S nc2_equinorm;
    S nc2_equiangularity_std;
    S nc2_equiangularity_shift;
    S nc4_ncc_agreement;
    std::optional<SpectrumMeasurements<S>> spectrum;  // H_l only (not measured on Z_l)
};

template <class S>
struct ClassifierMeasurements {
    std::string classifier;            // e.g. "W_5" or "W_5 W_4"
    S mean_cosine;                     // mean_c cos(mu_c, w_c), uncentred
    S min_cosine;                      // min_c cos(mu_c, w_c)
    S self_duality;                    // ||W^T/||W||_F - M/||M||_F||_F
    S centred_self_duality;            // the same with M~
    S classifier_etf_error;            // ||W M~/||W M~||_F - (I - 11^T/K)/sqrt(K-1)||_F
};

template <class S>
struct LayerMeasurements {
    Index layer = 0;
    bool nonlinear = false;
    Index width = 0;
    FeatureMeasurements<S> features;                        // on H_l
    std::optional<FeatureMeasurements<S>> pre_activations;  // on Z_l (nonlinear layers)
    std::optional<S> negativity;                            // nonlinear layers
    std::optional<ClassifierMeasurements<S>> nc3;           // L1 <= l < L
};

template <class S>
struct BalancednessMeasurement {
    Index layer = 0;     // the pair (W_l, W_{l+1})
    bool linear = false; // l > L1: no activation between W_l and W_{l+1}
    S gap;               // ||D_l||_op
    S relative_gap;      // ||D_l||_op / ||W_l||_op^2
};

template <class S>
struct LinearPartMeasurements {
    Index linear_layers = 0;             // L2
    Index rank = 0;                      // of A under rank_rule
    S condition_number;                  // kappa(A)
    S last_weight_condition_number;      // kappa(W_L)
    S condition_number_root;             // kappa(A)^(1/L2)
};

template <class S>
struct MeasurementReport {
    NetworkSpec spec;
    Index num_samples = 0;
    Index num_classes = 0;
    unsigned precision_bits = 53;        // bits of the working scalar
    MeasurementOptions options;
    std::vector<LayerMeasurements<S>> layers;               // layers[l-1] for l = 1..L
    std::vector<BalancednessMeasurement<S>> balancedness;   // pairs l = 1..L-1
    LinearPartMeasurements<S> linear_part;
};

/// NC1, NC2, NC4 and (with_spectrum) the rank, kappa and ||.||_op of one feature matrix
/// (p x N); `predictions` are the network's classes (network_predictions of H_L).
/// Throws as class_statistics.
template <class S>
FeatureMeasurements<S> measure_features(const Matrix<S>& features, const std::vector<Index>& labels, Index num_classes,
                                        const std::vector<Index>& predictions, const MeasurementOptions& options = {},
                                        bool with_spectrum = true);

/// The report of `network` on the forward pass `pass` of its inputs, with `labels`
/// (N entries in [0, K), K = n_L). The network may be linear (L1 = 0: a linear head on
/// supplied features, NetworkSpec::validate). Throws ShapeMismatch when the pass does not
/// fit the network or the labels, InvalidArgument / NonFiniteValue as class_statistics.
template <class S>
MeasurementReport<S> measure_network(const Network<S>& network, const ForwardPass<S>& pass,
                                     const std::vector<Index>& labels, const MeasurementOptions& options = {});

/// The same, running the forward pass on `inputs` (d x N) first.
template <class S>
MeasurementReport<S> measure_network(const Network<S>& network, const Matrix<S>& inputs,
                                     const std::vector<Index>& labels, const MeasurementOptions& options = {});

/// JSON form (schema "ncverify.measurement_report/1", docs/metrics.md).
template <class S>
nlohmann::json measurement_report_to_json(const MeasurementReport<S>& report);

/// The JSON of one feature matrix's measurements (the "features" object of a layer).
template <class S>
nlohmann::json feature_measurements_to_json(const FeatureMeasurements<S>& measurements);

/// NC3 of features (p x N) against a linear classifier (K x p) to the outputs, named
/// `name` (e.g. "W_5 W_4"): the "nc3" object of a layer of the report.
template <class S>
ClassifierMeasurements<S> measure_classifier(const Matrix<S>& features, const std::vector<Index>& labels, Index num_classes,
                                             const Matrix<S>& classifier, std::string name,
                                             const MeasurementOptions& options = {});

/// The JSON of ClassifierMeasurements (the "nc3" object of a layer).
template <class S>
nlohmann::json classifier_measurements_to_json(const ClassifierMeasurements<S>& measurements);

/// Compact human-readable table (values rounded to 4 significant digits).
template <class S>
std::string measurement_report_table(const MeasurementReport<S>& report);

#define NCV_DECLARE_MEASUREMENT_REPORT(S)                                                                          \
    extern template FeatureMeasurements<S> measure_features(const Matrix<S>&, const std::vector<Index>&, Index,   \
                                                            const std::vector<Index>&, const MeasurementOptions&,  \
                                                            bool);                                                 \
    extern template MeasurementReport<S> measure_network(const Network<S>&, const ForwardPass<S>&,                 \
                                                         const std::vector<Index>&, const MeasurementOptions&);    \
    extern template MeasurementReport<S> measure_network(const Network<S>&, const Matrix<S>&,                      \
                                                         const std::vector<Index>&, const MeasurementOptions&);    \
    extern template nlohmann::json measurement_report_to_json(const MeasurementReport<S>&);                        \
    extern template nlohmann::json feature_measurements_to_json(const FeatureMeasurements<S>&);                    \
    extern template nlohmann::json classifier_measurements_to_json(const ClassifierMeasurements<S>&);              \
    extern template ClassifierMeasurements<S> measure_classifier(const Matrix<S>&, const std::vector<Index>&,      \
                                                                 Index, const Matrix<S>&, std::string,            \
                                                                 const MeasurementOptions&);                       \
    extern template std::string measurement_report_table(const MeasurementReport<S>&);
NCV_DECLARE_MEASUREMENT_REPORT(double)
NCV_DECLARE_MEASUREMENT_REPORT(Mpfr)
#undef NCV_DECLARE_MEASUREMENT_REPORT

}  // namespace ncverify
