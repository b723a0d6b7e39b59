// Conformance with the public conventions (docs/metrics.md, "Conventions"): one fixed
// instance evaluated by each convention written out independently here - covariances
// formed as sums of outer products, pseudo-inverses from an eigendecomposition of the
// formed p x p Sigma_B - against the ncverify option that claims to reproduce it.
// Balanced and unbalanced classes, double and 256 bits.
//
// Tolerance: the instance is well conditioned (the K-1 nonzero eigenvalues of Sigma_B
// within a factor ~30 of each other), so both routes agree to ~1e3 eps relative (the
// formed route's eigenvalues carry errors ~ p eps lambda_1). Bound: 1e4 eps.
#include <gtest/gtest.h>

#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/metrics/nc2.hpp"
#include "ncverify/metrics/nc3.hpp"
#include "ncverify/random/random_source.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

struct Instance {
    Matrix<double> features;
    std::vector<Index> labels;
    Index num_classes;
};

/// p = 6 features, K = 4 classes with the given sizes, class means 3 x Gaussian, unit
/// noise; samples interleaved (not sorted by class).
Instance make_instance(const std::vector<Index>& sizes, std::uint64_t seed) {
    RandomSource random(seed);
    const Index p = 6, k = static_cast<Index>(sizes.size());
    const Matrix<double> means = 3.0 * random.gaussian_matrix(p, k);
    Instance instance{Matrix<double>(p, 0), {}, k};
    std::vector<Index> remaining = sizes;
    for (bool added = true; added;) {
        added = false;
        for (Index c = 0; c < k; ++c)
            if (remaining[static_cast<std::size_t>(c)]-- > 0) {
                instance.features.conservativeResize(p, instance.features.cols() + 1);
                instance.features.col(instance.features.cols() - 1) = means.col(c) + random.gaussian_matrix(p, 1);
                instance.labels.push_back(c);
                added = true;
            }
    }
    return instance;
}

/// Sigma_W, Sigma_B and M formed the textbook way (loops of outer products), with
/// mu_G the mean of the samples or the mean of the class means.
template <class S>
struct Formed {
    Matrix<S> means, within, between;
};

template <class S>
Formed<S> formed(const Matrix<S>& h, const std::vector<Index>& labels, Index k, bool mean_of_samples) {
    const Index p = h.rows(), n = h.cols();
    Formed<S> f{Matrix<S>::Zero(p, k), Matrix<S>::Zero(p, p), Matrix<S>::Zero(p, p)};
    std::vector<Index> counts(static_cast<std::size_t>(k), 0);
    Vector<S> global = Vector<S>::Zero(p);
    for (Index i = 0; i < n; ++i) {
        f.means.col(labels[static_cast<std::size_t>(i)]) += h.col(i);
        ++counts[static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])];
        global += h.col(i);
    }
    for (Index c = 0; c < k; ++c) f.means.col(c) /= S(counts[static_cast<std::size_t>(c)]);
    global = mean_of_samples ? Vector<S>(global / S(n)) : Vector<S>(f.means.rowwise().sum() / S(k));
    for (Index i = 0; i < n; ++i) {
        const Vector<S> e = h.col(i) - f.means.col(labels[static_cast<std::size_t>(i)]);
        f.within += e * e.transpose();
    }
    f.within /= S(n);
    for (Index c = 0; c < k; ++c) {
        const Vector<S> d = f.means.col(c) - global;
        f.between += d * d.transpose();
    }
    f.between /= S(k);
    return f;
}

/// Pseudo-inverse of a symmetric PSD matrix keeping eigenvalues > cutoff * max |lambda|
/// (numpy.linalg.pinv with rcond = cutoff; scipy.linalg.pinv / torch.linalg.pinv with
/// rtol = cutoff = max(M, N) eps by default).
template <class S>
Matrix<S> pinv_by_cutoff(const Matrix<S>& a, const S& cutoff) {
    const SymmetricEigen<S> eig = symmetric_eigen(a);
    using std::abs;
    S largest(0);
    for (Index i = 0; i < eig.eigenvalues.size(); ++i) largest = std::max(largest, S(abs(eig.eigenvalues(i))));
    Matrix<S> result = Matrix<S>::Zero(a.rows(), a.cols());
    for (Index i = 0; i < eig.eigenvalues.size(); ++i)
        if (abs(eig.eigenvalues(i)) > cutoff * largest)
            result += eig.eigenvectors.col(i) * eig.eigenvectors.col(i).transpose() / eig.eigenvalues(i);
    return result;
}

/// scipy.sparse.linalg.svds(Sb, k) followed by eigvec @ diag(1/eigval) @ eigvec.T: the
/// inverse on the k largest eigen-directions of a symmetric PSD matrix.
template <class S>
Matrix<S> pinv_top(const Matrix<S>& a, Index k) {
    const SymmetricEigen<S> eig = symmetric_eigen(a);
    const Index n = a.rows();
    Matrix<S> result = Matrix<S>::Zero(n, n);
    for (Index i = n - k; i < n; ++i)
        result += eig.eigenvectors.col(i) * eig.eigenvectors.col(i).transpose() / eig.eigenvalues(i);
    return result;
}

template <class S>
S trace_product(const Matrix<S>& a, const Matrix<S>& b) {
    return Matrix<S>(a * b).trace();
}

}  // namespace

template <class S>
class ConformanceTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(ConformanceTest, BothScalars, ScalarName);

TYPED_TEST(ConformanceTest, Nc1ConventionsBalancedAndUnbalanced) {
    using S = TypeParam;
    const double tol = 1e4 * eps<S>();
    for (const std::vector<Index>& sizes : {std::vector<Index>{5, 5, 5, 5}, std::vector<Index>{3, 7, 4, 6}}) {
        SCOPED_TRACE(sizes[0] == sizes[1] ? "balanced" : "unbalanced");
        const Instance instance = make_instance(sizes, 11);
        const Matrix<S> h = from_double<S>(instance.features);
        const Index k = instance.num_classes, p = h.rows();
        const Formed<S> by_samples = formed(h, instance.labels, k, true);
        const Formed<S> by_classes = formed(h, instance.labels, k, false);
        const ClassStatistics<S> stats = class_statistics(h, instance.labels, k);
        const ClassStatistics<S> stats_classes =
            class_statistics(h, instance.labels, k, {GlobalMeanWeighting::class_means});

        // Jacot et al. (experiments): tr Sigma_W / tr Sigma_B.
        EXPECT_LT(relative_error(nc1_trace_ratio(stats), S(by_samples.within.trace() / by_samples.between.trace())), tol);
        EXPECT_LT(relative_error(nc1_trace_ratio(stats_classes),
                                 S(by_classes.within.trace() / by_classes.between.trace())),
                  tol);

        // tding1/Neural-Collapse validate_NC.py: mu_G = sample mean,
        // np.trace(Sigma_W @ scipy.linalg.pinv(Sigma_B)) / K, scipy's default rtol = p eps.
        const S scipy_cutoff = S(p) * ScalarTraits<S>::epsilon();
        const S tding = trace_product(by_samples.within, pinv_by_cutoff(by_samples.between, scipy_cutoff)) / S(k);
        EXPECT_LT(relative_error(nc1_pinv(stats), tding), tol);
        // mariuslindegaard/Intermediate_Neural_Collapse Measurer.py: scipy.linalg.pinv, no / K.
        EXPECT_LT(relative_error(nc1_pinv(stats, {RankRule::working_precision(), false}), S(tding * S(k))), tol);
        // numpy.linalg.pinv default rcond = 1e-15, with / K.
        const S numpy = trace_product(by_samples.within, pinv_by_cutoff(by_samples.between, S(1e-15))) / S(k);
        EXPECT_LT(relative_error(nc1_pinv(stats, {RankRule::relative_threshold(1e-15), true}), numpy), tol);

        // Papyan-Han-Donoho notebook lineage (glbreeze/neural_collapse nc_metric.py):
        // mu_G = mean of the class means, svds(Sb, k=K-1), np.trace(Sw @ inv_Sb), no / K;
        // the copies that append "/ C" correspond to divide_by_num_classes = true.
        const S svds = trace_product(by_classes.within, pinv_top(by_classes.between, k - 1));
        EXPECT_LT(relative_error(nc1_pinv(stats_classes, {RankRule::fixed(k - 1), false}), svds), tol);
        EXPECT_LT(relative_error(nc1_pinv(stats_classes, {RankRule::fixed(k - 1), true}), S(svds / S(k))), tol);
        // Rank K-1 truncation and the default cutoff agree here: Sigma_B has rank K-1.
        EXPECT_EQ(nc1_pinv_detailed(stats).rank, k - 1);

        // Galanti et al. CDNV, written out: V_c = mean_i |h_i - mu_c|^2, average over pairs.
        Vector<S> variances = Vector<S>::Zero(k);
        for (Index i = 0; i < h.cols(); ++i) {
            const Index c = instance.labels[static_cast<std::size_t>(i)];
            variances(c) += (h.col(i) - by_samples.means.col(c)).squaredNorm() / S(sizes[static_cast<std::size_t>(c)]);
        }
        S cdnv(0);
        for (Index i = 0; i < k; ++i)
            for (Index j = i + 1; j < k; ++j)
                cdnv += (variances(i) + variances(j)) /
                        (S(2) * (by_samples.means.col(i) - by_samples.means.col(j)).squaredNorm());
        EXPECT_LT(relative_error(nc1_cdnv(stats), S(cdnv / S(k * (k - 1) / 2))), tol);
    }
}

// NC2 and NC3 conventions on centred and uncentred means.
TYPED_TEST(ConformanceTest, Nc2Nc3Conventions) {
    using S = TypeParam;
    using std::abs;
    using std::sqrt;
    const double tol = 1e4 * eps<S>();
    const Instance instance = make_instance({4, 4, 4, 4}, 12);
    const Matrix<S> h = from_double<S>(instance.features);
    const Index k = instance.num_classes;
    const ClassStatistics<S> stats = class_statistics(h, instance.labels, k, {GlobalMeanWeighting::class_means});
    const Matrix<S>& m = stats.class_means;
    const Matrix<S> centred = m.colwise() - Vector<S>(m.rowwise().sum() / S(k));
    const Matrix<S> w = from_double<S>(RandomSource(13).gaussian_matrix(k, h.rows()));

    // The paper: kappa of the uncentred means = sqrt(lambda_max / lambda_min) of M^T M.
    const Vector<S> gram_eigenvalues = symmetric_eigenvalues(Matrix<S>(m.transpose() * m));
    EXPECT_LT(relative_error(nc2_class_mean_condition_number(m), S(sqrt(gram_eigenvalues(k - 1) / gram_eigenvalues(0)))),
              tol);

    // glbreeze compute_ETF(M~^T): WWT = M~^T M~ / ||.||_F - (I - 11^T/K)/sqrt(K-1), Frobenius norm.
    Matrix<S> gram = centred.transpose() * centred;
    gram /= sqrt(gram.squaredNorm());
    Matrix<S> target = Matrix<S>::Identity(k, k);
    target.array() -= S(1) / S(k);
    target /= sqrt(S(k - 1));
    EXPECT_LT(abs(nc2_simplex_etf_error(centred) - sqrt((gram - target).squaredNorm())), S(tol));

    // Papyan et al. equinorm as in the notebook lineage: torch.std (1/(K-1)) / mean of |mu~_c|.
    Vector<S> norms(k);
    for (Index c = 0; c < k; ++c) norms(c) = centred.col(c).norm();
    const S mean_norm = norms.sum() / S(k);
    const S sample_std = sqrt((norms.array() - mean_norm).square().sum() / S(k - 1));
    EXPECT_LT(relative_error(nc2_equinorm(centred, StandardDeviation::sample), S(sample_std / mean_norm)), tol);
    // numpy's np.std (1/K): population.
    const S population_std = sqrt((norms.array() - mean_norm).square().sum() / S(k));
    EXPECT_LT(relative_error(nc2_equinorm(centred), S(population_std / mean_norm)), tol);

    // The notebook's coherence(V): G = V^T V + 1/(K-1), zero diagonal, sum |G_ij| / (K(K-1)).
    Matrix<S> normalised = centred;
    for (Index c = 0; c < k; ++c) normalised.col(c) /= norms(c);
    Matrix<S> coherence = normalised.transpose() * normalised;
    coherence.array() += S(1) / S(k - 1);
    coherence.diagonal().setZero();
    EXPECT_LT(relative_error(nc2_equiangularity(centred).simplex_shift, S(coherence.cwiseAbs().sum() / S(k * (k - 1)))),
              tol);

    // Self-duality: felixsh/nc-toolbox nc3_self_duality = ||W/|W| - M~^T/|M~| || (centred,
    // not squared); the notebook's W_M_dist is its square.
    const S centred_distance = sqrt((w.transpose() / w.norm() - centred / centred.norm()).squaredNorm());
    EXPECT_LT(relative_error(nc3_self_duality(w, centred), centred_distance), tol);
    EXPECT_LT(relative_error(S(nc3_self_duality(w, centred) * nc3_self_duality(w, centred)),
                             S(centred_distance * centred_distance)),
              tol);
    // The paper (uncentred M) differs from the centred form whenever mu_G != 0.
    EXPECT_GT(ScalarTraits<S>::to_double(abs(nc3_self_duality(w, m) - centred_distance)), 1e-3);
    // tding1 compute_W_H_relation: ||W M~ / ||W M~||_F - (I - 11^T/K)/sqrt(K-1)||_F.
    Matrix<S> wh = w * centred;
    wh /= sqrt(wh.squaredNorm());
    EXPECT_LT(abs(nc3_classifier_etf_error(w, centred) - sqrt((wh - target).squaredNorm())), S(tol));
}
