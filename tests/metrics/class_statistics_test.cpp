// Class statistics: error contract, unsorted labels, the two global-mean weightings on
// a hand-computed unbalanced example, and the decomposition Sigma_T = Sigma_W + Sigma_B
// of balanced classes; in double and at 256 bits.
#include <gtest/gtest.h>

#include <limits>

#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/random/random_source.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

/// Expects `statement` to throw `Exception` with a message containing `fragment`.
template <class Exception, class F>
void expect_throw_with(F&& statement, const std::string& fragment) {
    try {
        statement();
        ADD_FAILURE() << "no exception; expected one mentioning \"" << fragment << "\"";
    } catch (const Exception& error) {
        EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
}

}  // namespace

template <class S>
class ClassStatisticsTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(ClassStatisticsTest, BothScalars, ScalarName);

TYPED_TEST(ClassStatisticsTest, ErrorsNameTheOffendingInput) {
    using S = TypeParam;
    const Matrix<S> h = from_double<S>(RandomSource(1).gaussian_matrix(3, 5));
    expect_throw_with<ShapeMismatch>([&] { class_statistics(h, {0, 1, 0, 1}, 2); }, "4 labels for 5 samples");
    expect_throw_with<InvalidArgument>([&] { class_statistics(h, {0, 1, 2, 1, 0}, 2); }, "sample 2 has label 2");
    expect_throw_with<InvalidArgument>([&] { class_statistics(h, {0, -1, 0, 1, 0}, 2); }, "sample 1 has label -1");
    expect_throw_with<InvalidArgument>([&] { class_statistics(h, {0, 0, 2, 2, 0}, 3); }, "class 1 has no sample");
    expect_throw_with<InvalidArgument>([&] { class_statistics(h, {0, 0, 0, 0, 0}, 1); }, "K >= 2");
    Matrix<S> bad = h;
    bad(2, 3) = S(std::numeric_limits<double>::quiet_NaN());
    expect_throw_with<NonFiniteValue>([&] { class_statistics(bad, {0, 1, 0, 1, 0}, 2); }, "sample 3");
    bad(2, 3) = S(std::numeric_limits<double>::infinity());
    expect_throw_with<NonFiniteValue>([&] { class_statistics(bad, {0, 1, 0, 1, 0}, 2); }, "sample 3");
}

// Samples need not be ordered by class: interleaving the classes while keeping the order
// within each class sums the same numbers in the same order, so every statistic is
// bit-identical (the residuals are permuted with the samples).
TYPED_TEST(ClassStatisticsTest, UnsortedLabelsGiveTheSameStatistics) {
    using S = TypeParam;
    RandomSource random(2);
    const Matrix<S> sorted = from_double<S>(random.gaussian_matrix(4, 6));
    const std::vector<Index> sorted_labels = {0, 0, 0, 1, 1, 1};
    const std::vector<Index> order = {3, 0, 4, 1, 2, 5};  // within-class order kept
    Matrix<S> shuffled(4, 6);
    std::vector<Index> shuffled_labels(6);
    for (Index i = 0; i < 6; ++i) {
        shuffled.col(i) = sorted.col(order[static_cast<std::size_t>(i)]);
        shuffled_labels[static_cast<std::size_t>(i)] = sorted_labels[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
    }
    const ClassStatistics<S> a = class_statistics(sorted, sorted_labels, 2);
    const ClassStatistics<S> b = class_statistics(shuffled, shuffled_labels, 2);
    EXPECT_EQ(a.class_means, b.class_means);
    EXPECT_EQ(a.global_mean, b.global_mean);
    EXPECT_EQ(a.class_variances, b.class_variances);
    EXPECT_EQ(a.between_trace, b.between_trace);
    EXPECT_EQ(a.class_counts, b.class_counts);
    for (Index i = 0; i < 6; ++i) EXPECT_EQ(b.residuals.col(i), a.residuals.col(order[static_cast<std::size_t>(i)]));
}

// Unbalanced classes, by hand: class 0 = {(0,0), (2,0)}, class 1 = {(0,3)}.
//   mu_0 = (1, 0), mu_1 = (0, 3); V_0 = 1, V_1 = 0; tr Sigma_W = (1 + 1 + 0)/3 = 2/3.
//   samples:     mu_G = (2/3)(1,0) + (1/3)(0,3) = (2/3, 1),
//                M~ = [(1/3, -1), (-2/3, 2)], tr Sigma_B = (1/9 + 1 + 4/9 + 4)/2 = 25/9.
//   class_means: mu_G = (1/2, 3/2), M~ = [(1/2, -3/2), (-1/2, 3/2)], tr Sigma_B = 5/2.
TYPED_TEST(ClassStatisticsTest, UnbalancedWeightingsByHand) {
    using S = TypeParam;
    Matrix<S> h(2, 3);
    h << S(0), S(2), S(0), S(0), S(0), S(3);
    const std::vector<Index> labels = {0, 0, 1};
    const ClassStatistics<S> by_samples = class_statistics(h, labels, 2);
    const ClassStatistics<S> by_classes = class_statistics(h, labels, 2, {GlobalMeanWeighting::class_means});
    EXPECT_EQ(by_samples.class_counts, (std::vector<Index>{2, 1}));
    EXPECT_EQ(by_samples.class_means(0, 0), S(1));
    EXPECT_EQ(by_samples.class_means(1, 1), S(3));
    EXPECT_EQ(by_samples.class_variances(0), S(1));
    EXPECT_EQ(by_samples.class_variances(1), S(0));
    // Each value is a handful of correctly rounded operations: 4 eps relative.
    const double tol = 4 * eps<S>();
    EXPECT_LT(relative_error(by_samples.within_trace, S(S(2) / S(3))), tol);
    EXPECT_LT(relative_error(by_samples.global_mean(0), S(S(2) / S(3))), tol);
    EXPECT_EQ(by_samples.global_mean(1), S(1));
    EXPECT_LT(relative_error(by_samples.between_trace, S(S(25) / S(9))), 8 * eps<S>());
    EXPECT_EQ(by_classes.global_mean(0), S(0.5));
    EXPECT_EQ(by_classes.global_mean(1), S(1.5));
    EXPECT_EQ(by_classes.between_trace, S(2.5));
    EXPECT_EQ(by_classes.within_trace, by_samples.within_trace);
}

// Balanced classes: the total covariance splits as Sigma_T = Sigma_W + Sigma_B, and the
// traces kept in ClassStatistics equal the traces of the formed covariances. Each side
// is a sum of O(N) products of size ~1: relative agreement 1e2 N eps.
TYPED_TEST(ClassStatisticsTest, BalancedTotalCovarianceDecomposes) {
    using S = TypeParam;
    RandomSource random(3);
    const Index p = 5, k = 3, n = 4;
    Matrix<S> h = from_double<S>(random.gaussian_matrix(p, k * n));
    std::vector<Index> labels;
    for (Index i = 0; i < k * n; ++i) labels.push_back(i % k);  // interleaved classes
    const ClassStatistics<S> stats = class_statistics(h, labels, k);
    const ClassStatistics<S> by_classes = class_statistics(h, labels, k, {GlobalMeanWeighting::class_means});
    EXPECT_LT(relative_matrix_error(by_classes.global_mean, stats.global_mean), 10 * eps<S>());
    const Matrix<S> centred = h.colwise() - stats.global_mean;
    const Matrix<S> total = multiply(centred, centred.transpose()) / S(k * n);
    const Matrix<S> sum = stats.within_covariance() + stats.between_covariance();
    const double tol = 100.0 * static_cast<double>(k * n) * eps<S>();
    EXPECT_LT(relative_matrix_error(sum, total), tol);
    EXPECT_LT(relative_error(S(stats.within_covariance().trace()), stats.within_trace), tol);
    EXPECT_LT(relative_error(S(stats.between_covariance().trace()), stats.between_trace), tol);
}
