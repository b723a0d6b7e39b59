// Closed forms: a hand-computed 2-class, 2-D example for every metric; exactly collapsed
// features (NC1 = 0 exactly at 256 bits); orthonormal class means (kappa = 1, zero
// orthogonal-frame error); balancedness and negativity by hand. In double and at 256 bits.
#include <gtest/gtest.h>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/metrics/nc2.hpp"
#include "ncverify/metrics/nc3.hpp"
#include "ncverify/metrics/nc4.hpp"
#include "ncverify/metrics/negativity.hpp"
#include "support/precision_fixture.hpp"
#include "support/relative_error.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

template <class S>
double to_d(const S& x) {
    return ScalarTraits<S>::to_double(x);
}

// The example (p = 2, K = 2, n = 2 per class):
//   class 0: h = (1,0), (3,0)   mu_0 = (2,0), residuals (-1,0), (1,0)
//   class 1: h = (1,1), (1,3)   mu_1 = (1,2), residuals (0,-1), (0,1)
// mu_G = (3/2, 1); centred means mu~_0 = (1/2, -1) = -mu~_1.
// Sigma_W = (1/4)(2 e1 e1^T + 2 e2 e2^T) = I/2,  tr Sigma_W = 1.
// Sigma_B = (1/2)(mu~_0 mu~_0^T + mu~_1 mu~_1^T) = mu~_0 mu~_0^T,  tr Sigma_B = 5/4.
template <class S>
Matrix<S> example_features() {
    Matrix<S> h(2, 4);
    h << S(1), S(3), S(1), S(1),  //
        S(0), S(0), S(1), S(3);
    return h;
}
const std::vector<Index> example_labels = {0, 0, 1, 1};

}  // namespace

template <class S>
class ClosedFormTest : public PrecisionTest<S> {};
TYPED_TEST_SUITE(ClosedFormTest, BothScalars, ScalarName);

// Every value below is a few correctly rounded operations (or an SVD of a 2 x 2 matrix,
// backward stable with constant ~10) away from its closed form: relative error <= 64 eps
// for nonzero values, absolute <= 64 eps for the normalised errors that vanish.
TYPED_TEST(ClosedFormTest, TwoClassExampleEveryMetric) {
    using S = TypeParam;
    using std::sqrt;
    const double tol = 64 * eps<S>();
    const ClassStatistics<S> stats = class_statistics(example_features<S>(), example_labels, 2);
    EXPECT_EQ(stats.within_trace, S(1));
    EXPECT_EQ(stats.between_trace, S(1.25));

    // NC1 trace ratio = 1 / (5/4) = 4/5.
    EXPECT_LT(relative_error(nc1_trace_ratio(stats), S(S(4) / S(5))), tol);
    // Sigma_B = (5/4) u u^T with u = mu~_0/|mu~_0|, so Sigma_B^+ = (4/5) u u^T and
    // tr(Sigma_W Sigma_B^+) = (4/5) u^T (I/2) u = 2/5; with /K: 1/5. Rank 1.
    const Nc1PinvResult<S> pinv = nc1_pinv_detailed(stats);
    EXPECT_EQ(pinv.rank, 1);
    EXPECT_LT(relative_error(pinv.value, S(S(1) / S(5))), tol);
    EXPECT_LT(relative_error(nc1_pinv(stats, {RankRule::working_precision(), false}), S(S(2) / S(5))), tol);
    EXPECT_LT(relative_error(nc1_pinv(stats, {RankRule::fixed(1), true}), S(S(1) / S(5))), tol);
    // CDNV: V_0 = V_1 = 1, |mu_0 - mu_1|^2 = |(1,-2)|^2 = 5, one pair: (1 + 1)/(2 * 5) = 1/5.
    EXPECT_LT(relative_error(nc1_cdnv(stats), S(S(1) / S(5))), tol);

    // NC2. M = [[2, 1], [0, 2]], G = M^T M = [[4, 2], [2, 5]], eigenvalues (9 +- sqrt 17)/2,
    // kappa(M) = sqrt((9 + sqrt 17)/(9 - sqrt 17)).
    const S root17 = sqrt(S(17));
    EXPECT_LT(relative_error(nc2_class_mean_condition_number(stats.class_means),
                             S(sqrt((S(9) + root17) / (S(9) - root17)))),
              tol);
    // ||G/||G||_F - I/sqrt 2||_F^2 = 1 - 2 tr(G)/(||G||_F sqrt 2) + 1 with ||G||_F = 7, tr G = 9.
    EXPECT_LT(relative_error(nc2_orthogonal_frame_error(stats.class_means), S(sqrt(S(2) - S(9) * sqrt(S(2)) / S(7)))),
              tol);
    // Centred means of two classes are opposite: G~ = (5/4)[[1, -1], [-1, 1]], which normalised
    // is exactly (I - 11^T/2)/sqrt(1): the simplex ETF error, the equinorm and both
    // equiangularity measures (one pair, cos = -1 = -1/(K-1)) vanish.
    EXPECT_LT(to_d(nc2_simplex_etf_error(stats.centred_means)), tol);
    EXPECT_LT(to_d(nc2_equinorm(stats.centred_means)), tol);
    const Equiangularity<S> angles = nc2_equiangularity(stats.centred_means);
    EXPECT_LT(to_d(angles.cosine_std), tol);
    EXPECT_LT(to_d(angles.simplex_shift), tol);
    EXPECT_THROW(nc2_equiangularity(stats.centred_means, StandardDeviation::sample), InvalidArgument);

    // NC3 with W = [[1, 0], [1, 1]] (rows w_0, w_1):
    //   cos(mu_0, w_0) = 2/(2 * 1) = 1, cos(mu_1, w_1) = 3/(sqrt 5 sqrt 2) = 3/sqrt 10.
    Matrix<S> w(2, 2);
    w << S(1), S(0), S(1), S(1);
    const Nc3Alignment<S> alignment = nc3_alignment(stats.class_means, w);
    const S cos1 = S(3) / sqrt(S(10));
    EXPECT_LT(relative_error(alignment.cosines(0), S(1)), tol);
    EXPECT_LT(relative_error(alignment.min_cosine, cos1), tol);
    EXPECT_LT(relative_error(alignment.mean_cosine, S((S(1) + cos1) / S(2))), tol);
    // Self-duality: ||W^T/a - M/b||^2 = 2 - 2 <W^T, M>/(a b), a = ||W||_F = sqrt 3,
    // b = ||M||_F = 3, <W^T, M> = w_0.mu_0 + w_1.mu_1 = 2 + 3 = 5.
    EXPECT_LT(relative_error(nc3_self_duality(w, stats.class_means), S(sqrt(S(2) - S(10) / (S(3) * sqrt(S(3)))))),
              tol);
    // Centred: ||M~||_F = sqrt(5/2), <W^T, M~> = 1/2 + (-1/2 + 1) = 1.
    EXPECT_LT(relative_error(nc3_self_duality(w, stats.centred_means), S(sqrt(S(2) - S(2) / sqrt(S(7.5))))), tol);
    // W M~ = [[1/2, -1/2], [-1/2, 1/2]]: normalised, exactly the K = 2 simplex target.
    EXPECT_LT(to_d(nc3_classifier_etf_error(w, stats.centred_means)), tol);
    EXPECT_THROW(nc3_alignment(stats.class_means, Matrix<S>(Matrix<S>::Zero(3, 2))), ShapeMismatch);

    // NC4: nearest means of the four samples are 0, 0, 1, 1 (squared distances
    // (1, 4), (1, 8), (2, 1), (10, 1)); predictions 0, 0, 1, 0 agree on 3 of 4.
    EXPECT_EQ(nearest_class_mean(example_features<S>(), stats.class_means), (std::vector<Index>{0, 0, 1, 1}));
    Matrix<S> outputs(2, 4);
    outputs << S(1), S(2), S(0), S(5),  //
        S(0), S(1), S(1), S(4);
    EXPECT_EQ(network_predictions(outputs), (std::vector<Index>{0, 0, 1, 0}));
    EXPECT_EQ(nc4_ncc_agreement(example_features<S>(), stats.class_means, network_predictions(outputs)),
              S(S(3) / S(4)));
}

// Balancedness by hand: W_1 = diag(2, 1), W_2 = [1 1].
//   D_1 = W_2^T W_2 - W_1 W_1^T = [[1,1],[1,1]] - [[4,0],[0,1]] = [[-3, 1], [1, 0]],
//   eigenvalues (-3 +- sqrt 13)/2, ||D_1||_op = (3 + sqrt 13)/2, ||W_1||_op^2 = 4.
// Negativity by hand: leaky ReLU of slope 1/2 on Z = [2 -2]: Z - sigma(Z) = [0 -1],
//   ||Z - sigma(Z)||_op = 1, ||Z||_op = sqrt 8.
TYPED_TEST(ClosedFormTest, BalancednessAndNegativityByHand) {
    using S = TypeParam;
    using std::sqrt;
    const double tol = 64 * eps<S>();
    Matrix<S> w1(2, 2), w2(1, 2), z(1, 2);
    w1 << S(2), S(0), S(0), S(1);
    w2 << S(1), S(1);
    z << S(2), S(-2);
    const S gap = (S(3) + sqrt(S(13))) / S(2);
    EXPECT_LT(relative_error(balancedness_gap(w1, w2), gap), tol);
    EXPECT_LT(relative_error(relative_balancedness_gap(w1, w2), S(gap / S(4))), tol);
    EXPECT_LT(relative_error(negativity(z, Activation::leaky_relu(0.5)), S(S(1) / sqrt(S(8)))), tol);
}

// Features equal to their class means. At 256 bits the class sums of n_c = 3 copies of
// a 53-bit number are exact (55 bits) and so is the division by 3, hence every residual
// is exactly 0 and so are NC1 (all three forms). In double 3 mu rounds, the computed
// mean may differ from mu by an ulp, and NC1 is ~eps^2: below 1e-28.
TYPED_TEST(ClosedFormTest, ExactlyCollapsedFeatures) {
    using S = TypeParam;
    RandomSource random(5);
    const Index p = 6, k = 4, n = 3;
    const Matrix<S> means = from_double<S>(random.gaussian_matrix(p, k));
    Matrix<S> h(p, k * n);
    std::vector<Index> labels;
    for (Index i = 0; i < k * n; ++i) {
        h.col(i) = means.col(i % k);
        labels.push_back(i % k);
    }
    const ClassStatistics<S> stats = class_statistics(h, labels, k);
    if constexpr (std::is_same_v<S, Mpfr>) {
        EXPECT_EQ(stats.class_means, means);
        EXPECT_EQ(nc1_trace_ratio(stats), S(0));
        EXPECT_EQ(nc1_pinv(stats), S(0));
        EXPECT_EQ(nc1_cdnv(stats), S(0));
    } else {
        EXPECT_LT(nc1_trace_ratio(stats), 1e-28);
        EXPECT_LT(nc1_pinv(stats), 1e-28);
        EXPECT_LT(nc1_cdnv(stats), 1e-28);
    }
}

// Orthonormal class means. The Hadamard columns / 2 are exactly orthonormal, so
// M^T M = I exactly and the orthogonal-frame error is exactly 0; kappa comes from an SVD
// (singular values within ~10 eps of 1). Random orthonormal columns (Householder, a few
// eps from orthonormal) scaled by 3: kappa - 1 and the error are O(p eps); 100 eps bound.
TYPED_TEST(ClosedFormTest, OrthonormalMeansAreAnOrthogonalFrame) {
    using S = TypeParam;
    Matrix<S> hadamard(4, 4);
    hadamard << S(1), S(1), S(1), S(1),  //
        S(1), S(-1), S(1), S(-1),        //
        S(1), S(1), S(-1), S(-1),        //
        S(1), S(-1), S(-1), S(1);
    const Matrix<S> exact = hadamard / S(2);
    EXPECT_EQ(nc2_orthogonal_frame_error(exact), S(0));
    EXPECT_LT(to_d(S(nc2_class_mean_condition_number(exact) - S(1))), 16 * eps<S>());

    RandomSource random(6);
    const Matrix<S> frame = S(3) * random_orthonormal_columns<S>(7, 4, random);
    EXPECT_LT(to_d(S(nc2_class_mean_condition_number(frame) - S(1))), 100 * eps<S>());
    EXPECT_LT(to_d(nc2_orthogonal_frame_error(frame)), 100 * eps<S>());
    // Not a simplex: the ETF error of orthonormal (uncentred) vectors is far from 0.
    EXPECT_GT(to_d(nc2_simplex_etf_error(frame)), 0.1);
}
