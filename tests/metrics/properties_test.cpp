// Randomised properties of the metrics, in double and at 256 bits (rapidcheck: a failure
// prints the shrunk case and its seed, and replays with RC_PARAMS, see README.md):
// - NC1 and NC2 (and NC4) are invariant under orthogonal maps and positive scalings of
//   the features;
// - balancedness vanishes on constructed balanced chains W_l = U_l Sigma U_{l-1}^T;
// - kappa(A)^(1/L2) = kappa(W_L) for constructed exactly balanced linear parts.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/metrics/nc2.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "ncverify/network/network.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using ncverify::testing::eps;
using ncverify::testing::test_precision;

namespace {

/// |a - b| <= rel * max(|a|, |b|) + abs_floor, as doubles (the floor covers metrics whose
/// exact value is 0, e.g. the equiangularity spread of K = 2 classes).
template <class S>
void assert_close(const S& a, const S& b, double rel, double abs_floor, const char* what) {
    using std::abs;
    using std::max;
    const double difference = ScalarTraits<S>::to_double(S(abs(a - b)));
    const double scale = ScalarTraits<S>::to_double(S(max(abs(a), abs(b))));
    if (!(difference <= rel * scale + abs_floor))
        RC_FAIL(std::string(what) + ": " + std::to_string(difference) + " apart at scale " + std::to_string(scale));
}

template <class S>
std::vector<S> collapse_metrics(const Matrix<S>& h, const std::vector<Index>& labels, Index k) {
    const ClassStatistics<S> stats = class_statistics(h, labels, k);
    const Equiangularity<S> angles = nc2_equiangularity(stats.centred_means);
    return {nc1_trace_ratio(stats),
            nc1_pinv(stats),
            nc1_pinv(stats, {RankRule::fixed(k - 1), false}),
            nc1_cdnv(stats),
            nc2_class_mean_condition_number(stats.class_means),
            nc2_orthogonal_frame_error(stats.class_means),
            nc2_simplex_etf_error(stats.centred_means),
            nc2_equinorm(stats.centred_means),
            angles.cosine_std,
            angles.simplex_shift};
}

// Features: K class means 3 x Gaussian plus unit Gaussian noise, p >= K + 2 (so the means
// are well conditioned: kappa(M) rarely above 1e2). Q H with Q orthogonal and c H with
// c in [0.1, 10) change the inputs by ~p eps relative; the metrics' sensitivity is at most
// ~kappa(M~)^2 (the pseudo-inverse of Sigma_B), so 1e-8 relative in double (1e-60 at
// 256 bits) leaves a wide margin; the 100 eps absolute floor covers zero values.
template <class S>
void check_invariance() {
    MpfrPrecisionScope scope(test_precision<S>());
    const Index k = *rc::gen::inRange<Index>(2, 5);
    const Index p = *rc::gen::inRange<Index>(k + 2, 9);
    const Index n = *rc::gen::inRange<Index>(2, 5);
    RandomSource random(*rc::gen::arbitrary<std::uint64_t>());
    const Matrix<S> means = S(3) * from_double<S>(random.gaussian_matrix(p, k));
    Matrix<S> h(p, k * n);
    std::vector<Index> labels;
    for (Index i = 0; i < k * n; ++i) {
        h.col(i) = means.col(i % k) + from_double<S>(random.gaussian_matrix(p, 1));
        labels.push_back(i % k);
    }
    const Matrix<S> q = random_orthonormal_columns<S>(p, p, random);
    const S c(0.1 + 9.9 * random.uniform());
    const std::vector<S> reference = collapse_metrics(h, labels, k);
    const std::vector<S> rotated = collapse_metrics(Matrix<S>(multiply(q, h)), labels, k);
    const std::vector<S> scaled = collapse_metrics(Matrix<S>(c * h), labels, k);
    const double rel = std::is_same_v<S, double> ? 1e-8 : 1e-60;
    const char* names[] = {"nc1_trace_ratio", "nc1_pinv",         "nc1_pinv(K-1, no /K)", "nc1_cdnv",
                           "kappa(M)",        "orthogonal frame", "simplex ETF",          "equinorm",
                           "equiangular std", "equiangular shift"};
    for (std::size_t i = 0; i < reference.size(); ++i) {
        assert_close(rotated[i], reference[i], rel, 100 * eps<S>(), names[i]);
        assert_close(scaled[i], reference[i], rel, 100 * eps<S>(), names[i]);
    }
    const ClassStatistics<S> stats = class_statistics(h, labels, k);
    const std::vector<Index> nearest = nearest_class_mean(h, stats.class_means);
    RC_ASSERT(nearest_class_mean(Matrix<S>(c * h), Matrix<S>(c * stats.class_means)) == nearest);
}

// A balanced chain: W_l = U_l Sigma U_{l-1}^T with U_l (n_l x r) orthonormal columns, so
// W_{l+1}^T W_{l+1} = U_l Sigma^2 U_l^T = W_l W_l^T and D_l = 0. The computed D_l is a
// difference of two products of size ||Sigma||^2 with rounding ~ n eps ||Sigma||^2 each
// (plus the orthonormality defect of U, a few eps): gap <= 100 n eps ||Sigma||^2.
template <class S>
void check_balanced_chain_gap() {
    MpfrPrecisionScope scope(test_precision<S>());
    const Index layers = *rc::gen::inRange<Index>(2, 5);
    const Index r = *rc::gen::inRange<Index>(1, 4);
    std::vector<Index> widths;
    for (Index l = 0; l <= layers; ++l) widths.push_back(*rc::gen::inRange<Index>(r, 9));
    RandomSource random(*rc::gen::arbitrary<std::uint64_t>());
    Vector<S> sigma(r);
    for (Index i = 0; i < r; ++i) sigma(i) = S(0.5 + 4.5 * random.uniform());
    std::vector<Matrix<S>> u;
    for (Index l = 0; l <= layers; ++l) u.push_back(random_orthonormal_columns<S>(widths[static_cast<std::size_t>(l)], r, random));
    std::vector<Matrix<S>> w;
    for (Index l = 1; l <= layers; ++l)
        w.push_back(multiply(Matrix<S>(u[static_cast<std::size_t>(l)] * sigma.asDiagonal()),
                             u[static_cast<std::size_t>(l - 1)].transpose()));
    const S top = sigma.maxCoeff();
    const Index widest = *std::max_element(widths.begin(), widths.end());
    for (std::size_t l = 0; l + 1 < w.size(); ++l) {
        const S gap = balancedness_gap(w[l], w[l + 1]);
        RC_ASSERT(ScalarTraits<S>::to_double(gap / (top * top)) <= 100.0 * static_cast<double>(widest) * eps<S>());
        RC_ASSERT(ScalarTraits<S>::to_double(relative_balancedness_gap(w[l], w[l + 1])) <=
                  100.0 * static_cast<double>(widest) * eps<S>());
    }
}

// An exactly balanced linear part A = W_L ... W_{L1+1} with W_l = U_l Sigma U_{l-1}^T and
// U_L square (K x K): A = U_L Sigma^{L2} U_{L1}^T, so kappa(A) = kappa(Sigma)^{L2} and
// kappa(A)^{1/L2} = kappa(Sigma) = kappa(W_L). kappa(Sigma) <= 10 and L2 <= 4 keep
// kappa(A) <= 1e4, computed to ~1e4 eps relative: 1e-10 (double) and 1e-60 (256 bits).
template <class S>
void check_balanced_linear_part() {
    MpfrPrecisionScope scope(test_precision<S>());
    const Index k = *rc::gen::inRange<Index>(2, 5);
    const Index linear = *rc::gen::inRange<Index>(2, 5);
    RandomSource random(*rc::gen::arbitrary<std::uint64_t>());
    NetworkSpec spec;
    spec.input_dim = *rc::gen::inRange<Index>(2, 6);
    spec.nonlinear_layers = 1;
    spec.linear_layers = linear;
    spec.widths = {k + *rc::gen::inRange<Index>(0, 4)};
    for (Index l = 1; l < linear; ++l) spec.widths.push_back(std::max(k, spec.widths.back() - (l % 2)));
    spec.widths.push_back(k);
    Vector<S> sigma(k);
    for (Index i = 0; i < k; ++i) sigma(i) = S(1.0 + 9.0 * random.uniform());
    Network<S> network{spec, {}};
    network.weights.push_back(from_double<S>(random.gaussian_matrix(spec.widths[0], spec.input_dim)));
    Matrix<S> previous = random_orthonormal_columns<S>(spec.widths[0], k, random);
    for (Index l = 2; l <= spec.num_layers(); ++l) {
        const Matrix<S> next = random_orthonormal_columns<S>(spec.width(l), k, random);
        network.weights.push_back(multiply(Matrix<S>(next * sigma.asDiagonal()), previous.transpose()));
        previous = next;
    }
    network.validate_weights();
    const S kappa_a = condition_number(network.linear_part());
    const S kappa_w = condition_number(network.weight(spec.num_layers()));
    using std::pow;
    const double rel = std::is_same_v<S, double> ? 1e-10 : 1e-60;
    assert_close(S(pow(kappa_a, S(1) / S(linear))), kappa_w, rel, 0.0, "kappa(A)^(1/L2) vs kappa(W_L)");
    assert_close(kappa_w, S(sigma.maxCoeff() / sigma.minCoeff()), rel, 0.0, "kappa(W_L) vs kappa(Sigma)");
}

}  // namespace

RC_GTEST_PROP(MetricsProperties, CollapseMetricsInvariantDouble, ()) { check_invariance<double>(); }
RC_GTEST_PROP(MetricsProperties, CollapseMetricsInvariantMpfr256, ()) { check_invariance<Mpfr>(); }
RC_GTEST_PROP(MetricsProperties, BalancedChainHasZeroGapDouble, ()) { check_balanced_chain_gap<double>(); }
RC_GTEST_PROP(MetricsProperties, BalancedChainHasZeroGapMpfr256, ()) { check_balanced_chain_gap<Mpfr>(); }
RC_GTEST_PROP(MetricsProperties, BalancedLinearPartRootDouble, ()) { check_balanced_linear_part<double>(); }
RC_GTEST_PROP(MetricsProperties, BalancedLinearPartRootMpfr256, ()) { check_balanced_linear_part<Mpfr>(); }
