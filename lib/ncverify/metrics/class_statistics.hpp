#pragma once
// Class statistics of a feature matrix (THEORY.md §2), the input of every collapse metric.
//
// For features H = [h_1 ... h_N] (p x N), labels c(i) in [0, K) (in any order) and
// n_c = #{i : c(i) = c} >= 1:
//   mu_c      = (1/n_c) sum_{c(i)=c} h_i                    class means, M = [mu_0 ... mu_{K-1}] (p x K)
//   e_i       = h_i - mu_{c(i)}                              residuals, E (p x N)
//   V_c       = (1/n_c) sum_{c(i)=c} ||e_i||^2               class variances (Galanti et al.)
//   Sigma_W   = (1/N) E E^T,           tr Sigma_W = ||E||_F^2 / N = (1/N) sum_c n_c V_c
//   mu_G      = (1/N) sum_i h_i = sum_c (n_c/N) mu_c         (GlobalMeanWeighting::samples, default)
//            or (1/K) sum_c mu_c                             (GlobalMeanWeighting::class_means)
//   M~        = M - mu_G 1^T                                 centred means (p x K)
//   Sigma_B   = (1/K) M~ M~^T,         tr Sigma_B = ||M~||_F^2 / K
//
// Weights. Sigma_W weights every *sample* equally (1/N), Sigma_B weights every *class*
// equally (1/K), whatever the class sizes. With balanced classes (the paper's setting,
// n_c = n) the two choices of mu_G coincide and Sigma_W + Sigma_B is the total
// covariance. With unbalanced classes they differ: `samples` is the mean of the data
// (the weighting of tding1/Neural-Collapse's validate_NC.py), `class_means` the
// unweighted mean of the class means (the weighting of the Papyan-Han-Donoho notebook
// lineage, e.g. glbreeze/neural_collapse nc_metric.py); see docs/metrics.md. In both
// cases M~ has rank <= K - 1 (its columns sum to zero with weights n_c, resp. 1).
//
// Accuracy: means are sums in the working precision (relative error <= n_c eps); the
// residuals are formed explicitly, never as ||h||^2 - ||mu||^2, so tr Sigma_W keeps its
// relative accuracy when the features nearly collapse (it is limited only by how well
// the features themselves are represented, eps ||h_i||).
//
// Errors: ShapeMismatch when labels.size() != N; InvalidArgument when K < 2, a label is
// outside [0, K) (naming the sample) or a class has no sample (naming the class);
// NonFiniteValue naming the first sample with a NaN or infinite feature;
// PrecisionMismatch (Mpfr) for features not at the working precision.

#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"

namespace ncverify {

enum class GlobalMeanWeighting { samples, class_means };

inline std::string_view global_mean_weighting_name(GlobalMeanWeighting weighting) {
    return weighting == GlobalMeanWeighting::samples ? "samples" : "class_means";
}

struct ClassStatisticsOptions {
    /// How mu_G weights the classes (matters only when the classes are unbalanced).
    GlobalMeanWeighting global_mean = GlobalMeanWeighting::samples;
};

template <class S>
struct ClassStatistics {
    Index num_classes = 0;             // K
    std::vector<Index> class_counts;   // n_c
    Matrix<S> class_means;             // M, p x K
    Vector<S> global_mean;             // mu_G, p
    Matrix<S> centred_means;           // M~ = M - mu_G 1^T, p x K
    Matrix<S> residuals;               // E, p x N, column i = h_i - mu_{c(i)}
    Vector<S> class_variances;         // V_c, K
    S within_trace;                    // tr Sigma_W
    S between_trace;                   // tr Sigma_B
    GlobalMeanWeighting global_mean_weighting = GlobalMeanWeighting::samples;

    Index feature_dim() const { return class_means.rows(); }
    Index num_samples() const { return residuals.cols(); }
    /// Sigma_W = (1/N) E E^T, p x p (formed on demand: O(p^2 N)).
    Matrix<S> within_covariance() const {
        Matrix<S> sigma = multiply(residuals, residuals.transpose());
        return sigma / S(num_samples());
    }
    /// Sigma_B = (1/K) M~ M~^T, p x p (formed on demand: O(p^2 K)).
    Matrix<S> between_covariance() const {
        Matrix<S> sigma = multiply(centred_means, centred_means.transpose());
        return sigma / S(num_classes);
    }
};

namespace detail {

inline void check_labels(const std::vector<Index>& labels, Index num_samples, Index num_classes, std::string_view what) {
    if (static_cast<Index>(labels.size()) != num_samples)
        throw ShapeMismatch(fmt::format("{}: {} labels for {} samples (feature columns)", what, labels.size(), num_samples));
    if (num_classes < 2)
        throw InvalidArgument(fmt::format("{}: K = {} classes; neural-collapse statistics need K >= 2", what, num_classes));
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] < 0 || labels[i] >= num_classes)
            throw InvalidArgument(
                fmt::format("{}: sample {} has label {}, outside [0, {})", what, i, labels[i], num_classes));
}

}  // namespace detail

/// The statistics above for features (p x N) with `labels` (N entries in [0, K)).
template <class S>
ClassStatistics<S> class_statistics(const Matrix<S>& features, const std::vector<Index>& labels, Index num_classes,
                                    const ClassStatisticsOptions& options = {}) {
    const Index p = features.rows(), n = features.cols();
    detail::check_labels(labels, n, num_classes, "class_statistics");
    require_working_precision(features, "class_statistics (features)");
    for (Index i = 0; i < n; ++i)
        if (!all_finite(features.col(i)))
            throw NonFiniteValue(fmt::format("class_statistics: sample {} (label {}) has a NaN or infinite feature", i,
                                             labels[static_cast<std::size_t>(i)]));

    ClassStatistics<S> stats;
    stats.num_classes = num_classes;
    stats.global_mean_weighting = options.global_mean;
    stats.class_counts.assign(static_cast<std::size_t>(num_classes), 0);
    Matrix<S> sums = Matrix<S>::Zero(p, num_classes);
    for (Index i = 0; i < n; ++i) {
        const Index c = labels[static_cast<std::size_t>(i)];
        ++stats.class_counts[static_cast<std::size_t>(c)];
        sums.col(c) += features.col(i);
    }
    for (Index c = 0; c < num_classes; ++c)
        if (stats.class_counts[static_cast<std::size_t>(c)] == 0)
            throw InvalidArgument(fmt::format(
                "class_statistics: class {} has no sample; every class in [0, {}) needs at least one", c, num_classes));

    stats.class_means.resize(p, num_classes);
    for (Index c = 0; c < num_classes; ++c)
        stats.class_means.col(c) = sums.col(c) / S(stats.class_counts[static_cast<std::size_t>(c)]);
    if (options.global_mean == GlobalMeanWeighting::samples)
        stats.global_mean = sums.rowwise().sum() / S(n);
    else
        stats.global_mean = stats.class_means.rowwise().sum() / S(num_classes);
    stats.centred_means = stats.class_means.colwise() - stats.global_mean;

    stats.residuals.resize(p, n);
    stats.class_variances = Vector<S>::Zero(num_classes);
    for (Index i = 0; i < n; ++i) {
        const Index c = labels[static_cast<std::size_t>(i)];
        stats.residuals.col(i) = features.col(i) - stats.class_means.col(c);
        stats.class_variances(c) += stats.residuals.col(i).squaredNorm();
    }
    S within_sum(0);
    for (Index c = 0; c < num_classes; ++c) {
        within_sum += stats.class_variances(c);
        stats.class_variances(c) /= S(stats.class_counts[static_cast<std::size_t>(c)]);
    }
    stats.within_trace = within_sum / S(n);
    stats.between_trace = stats.centred_means.squaredNorm() / S(num_classes);
    return stats;
}

}  // namespace ncverify
