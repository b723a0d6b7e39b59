// The backpropagated gradient against central finite differences at 256 bits, and the
// double gradient against the 256-bit one.
#include <gtest/gtest.h>

#include "ncverify/training/loss_and_gradient.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

struct GradientCase {
    Activation activation;
    const char* name;
};

class GradientTest : public ::testing::TestWithParam<GradientCase> {};

/// ||g - g_fd||_inf / ||g||_inf with g the gradient of C_lambda for every weight.
// Central differences (C(w + h) - C(w - h)) / 2h have truncation error h^2 |C'''| / 6
// and rounding error ~ eps |C| / h. At 256 bits (eps ~ 1.7e-77) with h = 1e-25 both are
// below 1e-48 relative, so the bound 1e-30 leaves a wide margin; a wrong
// backward pass (a missing sigma' factor, a transposed product) gives O(1) errors.
double finite_difference_error(const GradientCase& c) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const SmallProblem problem = small_problem(4, 3, 2, {7, 5, 4, 3}, 2, c.activation, 5);
    const Network<Mpfr> network = network_from_double<Mpfr>(initialize_network(problem.spec, {InitScheme::he, {}, 9}));
    const Matrix<Mpfr> x = from_double<Mpfr>(problem.inputs), y = from_double<Mpfr>(problem.targets);
    const Mpfr lambda("0.01");
    const LossAndGradient<Mpfr> evaluation = loss_and_gradient(network, x, y, lambda);
    const Mpfr h("1e-25");
    Mpfr worst(0), largest(0);
    for (Index l = 1; l <= network.num_layers(); ++l) {
        const Matrix<Mpfr> g = evaluation.regularized_gradient(network, l, lambda);
        for (Index j = 0; j < g.cols(); ++j)
            for (Index i = 0; i < g.rows(); ++i) {
                Network<Mpfr> plus = network, minus = network;
                plus.weight(l)(i, j) += h;
                minus.weight(l)(i, j) -= h;
                const Mpfr fd = (loss_and_gradient(plus, x, y, lambda).loss - loss_and_gradient(minus, x, y, lambda).loss) /
                                (2 * h);
                worst = std::max(worst, Mpfr(abs(fd - g(i, j))));
                largest = std::max(largest, Mpfr(abs(g(i, j))));
            }
    }
    return ScalarTraits<Mpfr>::to_double(worst / largest);
}

}  // namespace

TEST_P(GradientTest, MatchesCentralFiniteDifferencesAt256Bits) {
    EXPECT_LT(finite_difference_error(GetParam()), 1e-30) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(Activations, GradientTest,
                         ::testing::Values(GradientCase{Activation::smooth_leaky_relu(0.1, 2.0), "smooth_leaky_relu"},
                                           GradientCase{Activation::tanh(), "tanh"},
                                           GradientCase{Activation::identity(), "identity"}),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

// Same exact weights and data: the double gradient differs from the 256-bit one only
// by double rounding, ~ (depth * width) eps relative; 1e-12 allows ~4e3 eps.
TEST(Gradient, DoubleAgreesWithHighPrecision) {
    const SmallProblem problem = small_problem(6, 4, 5, {30, 20, 10, 4}, 2, Activation::smooth_leaky_relu(0.2), 3);
    const Network<double> network = initialize_network(problem.spec, {InitScheme::lecun, {}, 4});
    const LossAndGradient<double> low = loss_and_gradient(network, problem.inputs, problem.targets, 0.003);
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const LossAndGradient<Mpfr> high = loss_and_gradient(network_from_double<Mpfr>(network), from_double<Mpfr>(problem.inputs),
                                                         from_double<Mpfr>(problem.targets), Mpfr(0.003));
    EXPECT_LT(std::abs(low.loss - ScalarTraits<Mpfr>::to_double(high.loss)) / low.loss, 1e-13);
    for (std::size_t l = 0; l < low.data_gradient.size(); ++l) {
        const Matrix<double> reference = to_double(high.data_gradient[l]);
        EXPECT_LT((low.data_gradient[l] - reference).norm() / reference.norm(), 1e-12) << "layer " << l + 1;
    }
}

TEST(Gradient, ShapeErrorsNameTheShapes) {
    const SmallProblem problem = small_problem(4, 3, 2, {6, 3, 3}, 1, Activation::tanh(), 1);
    const Network<double> network = initialize_network(problem.spec, {});
    EXPECT_THROW(loss_and_gradient(network, Matrix<double>(Matrix<double>::Zero(5, 6)), problem.targets, 0.0),
                 ShapeMismatch);
    EXPECT_THROW(loss_and_gradient(network, problem.inputs, Matrix<double>(Matrix<double>::Zero(3, 5)), 0.0),
                 ShapeMismatch);
}
