// Enclosures of the elementary quantities (enclosure/): ball arithmetic, activations,
// forward pass, loss, class statistics and balancedness, each against the approximate
// computation at 4x the precision (an independent evaluation order and rounding).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/enclosure/balancedness_enclosure.hpp"
#include "ncverify/enclosure/ball_matrix.hpp"
#include "ncverify/enclosure/class_statistics_enclosure.hpp"
#include "ncverify/enclosure/forward_pass_enclosure.hpp"
#include "ncverify/enclosure/loss_enclosure.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/network/forward_pass.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/random/random_source.hpp"
#include "ncverify/training/loss_and_gradient.hpp"

using namespace ncverify;

namespace {

Activation activation_number(int which) {
    switch (which) {
        case 0: return Activation::smooth_leaky_relu(0.2, 1.5);
        case 1: return Activation::leaky_relu(0.1);
        case 2: return Activation::relu();
        case 3: return Activation::tanh();
        default: return Activation::identity();
    }
}

/// Every entry of the ball matrix contains the corresponding Mpfr entry.
bool contains_all(const ArbMatrix& enclosure, const Matrix<Mpfr>& values) {
    if (enclosure.rows() != values.rows() || enclosure.cols() != values.cols()) return false;
    for (Index i = 0; i < values.rows(); ++i)
        for (Index j = 0; j < values.cols(); ++j)
            if (!entry_ball(enclosure, i, j).contains(values(i, j))) return false;
    return true;
}

}  // namespace

TEST(Ball, ArithmeticIsExactOnExactInputsAndReportsOutwardEndpoints) {
    const BallPrecisionScope scope(64);
    const Ball third = Ball(1) / Ball(3);
    // The double nearest 1/3 lies below 1/3: outward rounding puts lower() at or below it
    // and upper() strictly above it.
    EXPECT_LE(third.lower(), 1.0 / 3.0);
    EXPECT_GT(third.upper(), 1.0 / 3.0);
    {
        const MpfrPrecisionScope reference(Precision::mpfr_bits(256));
        EXPECT_TRUE(third.contains(Mpfr(Mpfr(1) / 3)));
    }
    EXPECT_LT(third.radius(), 1e-18);
    EXPECT_TRUE((Ball::exact(0.5) + Ball::exact(0.25)).contains(0.75));
    EXPECT_EQ((Ball::exact(0.5) * Ball(4)).radius(), 0.0);
    EXPECT_TRUE(certainly_less(third, Ball::exact(0.34)));
    EXPECT_FALSE(certainly_less(third, third));  // overlapping balls decide nothing
    EXPECT_TRUE(certainly_less_equal(Ball(2), Ball(2)));
    EXPECT_THROW(Ball::exact(std::nan("")), NonFiniteValue);
    // sqrt of a ball straddling 0 encloses sqrt of its non-negative part.
    Ball around_zero = Ball::exact(1e-30);
    arb_add_error_2exp_si(around_zero.get(), -80);
    EXPECT_EQ(sqrt(around_zero).lower(), 0.0);
}

RC_GTEST_PROP(ActivationEnclosure, ContainsTheValueAtFourTimesThePrecision, ()) {
    const Activation activation = activation_number(*rc::gen::inRange(0, 5));
    const double x = *rc::gen::inRange(-4000, 4000) / 97.0;
    const unsigned bits = *rc::gen::element(53u, 128u);
    const BallPrecisionScope scope(bits);
    const Ball enclosure = enclose_activation(activation, Ball::exact(x));
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(4 * bits));
    RC_ASSERT(enclosure.contains(activation.value(Mpfr(x))));
    RC_ASSERT(enclosure.radius() <= std::ldexp(std::max(1.0, std::abs(x)), 8 - static_cast<int>(bits)));
}

RC_GTEST_PROP(ForwardPassEnclosure, FeaturesAndLossContainTheFourTimesPrecisionForwardPass, ()) {
    NetworkSpec spec;
    spec.input_dim = *rc::gen::inRange(1, 6);
    spec.nonlinear_layers = *rc::gen::inRange(1, 3);
    spec.linear_layers = *rc::gen::inRange(1, 3);
    for (Index l = 0; l < spec.nonlinear_layers + spec.linear_layers; ++l) spec.widths.push_back(*rc::gen::inRange(1, 7));
    spec.activation = activation_number(*rc::gen::inRange(0, 5));
    const std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();
    const Network<double> network = initialize_network(spec, {InitScheme::lecun, {}, seed});
    const Index N = *rc::gen::inRange(1, 6);
    RandomSource random(seed + 1);
    const Matrix<double> inputs = random.gaussian_matrix(spec.input_dim, N);
    const Matrix<double> targets = random.gaussian_matrix(spec.widths.back(), N);
    const double weight_decay = *rc::gen::inRange(0, 100) / 1000.0;
    const unsigned bits = *rc::gen::element(53u, 96u);

    const BallPrecisionScope scope(bits);
    const std::vector<ArbMatrix> features = enclose_features(network, inputs, network.num_layers());
    const LossEnclosure loss = enclose_loss(network, inputs, targets, weight_decay);

    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(4 * bits));
    Network<Mpfr> reference_network{spec, {}};
    for (const Matrix<double>& w : network.weights) reference_network.weights.push_back(from_double<Mpfr>(w));
    const ForwardPass<Mpfr> pass = forward(reference_network, from_double<Mpfr>(inputs));
    for (Index l = 0; l <= network.num_layers(); ++l) RC_ASSERT(contains_all(features[std::size_t(l)], pass.H(l)));
    const Matrix<Mpfr> residual = pass.output() - from_double<Mpfr>(targets);
    Mpfr weights_squared(0);
    for (const Matrix<Mpfr>& w : reference_network.weights) weights_squared += w.squaredNorm();
    const Mpfr data_loss = residual.squaredNorm() / 2;
    RC_ASSERT(loss.data_loss.contains(data_loss));
    RC_ASSERT(loss.loss.contains(Mpfr(data_loss + Mpfr(weight_decay) * weights_squared / 2)));
}

RC_GTEST_PROP(ClassStatisticsEnclosure, ContainsTheFourTimesPrecisionStatistics, ()) {
    const Index p = *rc::gen::inRange(1, 8), K = *rc::gen::inRange(2, 5);
    std::vector<Index> labels;
    for (Index c = 0; c < K; ++c)
        for (Index i = 0, count = *rc::gen::inRange(1, 5); i < count; ++i) labels.push_back(c);
    const Index N = static_cast<Index>(labels.size());
    Matrix<double> features = RandomSource(*rc::gen::arbitrary<std::uint64_t>()).gaussian_matrix(p, N);
    if (*rc::gen::arbitrary<bool>())  // nearly collapsed features: tr Sigma_W tiny
        for (Index i = 0; i < N; ++i) features.col(i) = features.col(0) * double(labels[std::size_t(i)] + 1) + 1e-9 * features.col(i);
    const unsigned bits = *rc::gen::element(53u, 128u);
    const BallPrecisionScope scope(bits);
    const ClassStatisticsEnclosure enclosure = enclose_class_statistics(ArbMatrix::exact(features), labels, K);
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(4 * bits));
    const ClassStatistics<Mpfr> reference = class_statistics(from_double<Mpfr>(features), labels, K);
    RC_ASSERT(contains_all(enclosure.class_means, reference.class_means));
    RC_ASSERT(enclosure.within_trace.contains(reference.within_trace));
    RC_ASSERT(enclosure.between_trace.contains(reference.between_trace));
}

RC_GTEST_PROP(BalancednessEnclosure, ContainsTheFourTimesPrecisionGap, ()) {
    const Index a = *rc::gen::inRange(1, 7), b = *rc::gen::inRange(1, 7), c = *rc::gen::inRange(1, 7);
    RandomSource random(*rc::gen::arbitrary<std::uint64_t>());
    const Matrix<double> w = random.gaussian_matrix(b, a), w_next = random.gaussian_matrix(c, b);
    const BallPrecisionScope scope(128);
    const Ball gap = enclose_balancedness_gap(ArbMatrix::exact(w), ArbMatrix::exact(w_next), 128);
    const MpfrPrecisionScope reference_scope(Precision::mpfr_bits(512));
    RC_ASSERT(gap.contains(balancedness_gap(from_double<Mpfr>(w), from_double<Mpfr>(w_next))));
    RC_ASSERT(gap.radius() < 1e-30 * std::max(1.0, gap.upper()));
}

TEST(BallMatrix, ShapeErrorsNameBothOperands) {
    const ArbMatrix a(2, 3), b(3, 2);
    try {
        (void)certified_sum(a, b);
        FAIL() << "no exception";
    } catch (const ShapeMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("2x3 and 3x2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(certified_trace(a), ShapeMismatch);
    EXPECT_THROW(enclose_balancedness_matrix(a, a), ShapeMismatch);
}
