// Sharpness and Hessian-vector products against a dense Hessian built by central finite
// differences of the (exact, backpropagated) gradient at 256 bits, on tiny networks
// (P = 30 and 33 weights) with smooth activations (so sigma'' enters the Hessian).
#include <gtest/gtest.h>

#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/metrics/sharpness.hpp"
#include "ncverify/training/loss_and_gradient.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

struct HessianCase {
    Activation activation;
    std::vector<Index> widths;
    Index nonlinear_layers;
    const char* name;
};

SmallProblem case_problem(const HessianCase& c) {
    return small_problem(3, 2, 2, c.widths, c.nonlinear_layers, c.activation, 17);
}

/// Dense Hessian of C_lambda by central differences of the gradient:
/// column j = (g(theta + h e_j) - g(theta - h e_j)) / (2h), then symmetrised.
Matrix<Mpfr> finite_difference_hessian(const Network<Mpfr>& network, const Matrix<Mpfr>& x, const Matrix<Mpfr>& y,
                                       const Mpfr& lambda, const Mpfr& h) {
    const Vector<Mpfr> theta = flatten_weights(network.weights);
    const Index size = theta.size();
    const auto gradient = [&](const Vector<Mpfr>& at) {
        Network<Mpfr> moved{network.spec, unflatten_weights(at, network.spec)};
        const LossAndGradient<Mpfr> evaluation = loss_and_gradient(moved, x, y, lambda);
        std::vector<Matrix<Mpfr>> g;
        for (Index l = 1; l <= moved.num_layers(); ++l) g.push_back(evaluation.regularized_gradient(moved, l, lambda));
        return flatten_weights(g);
    };
    Matrix<Mpfr> hessian(size, size);
    for (Index j = 0; j < size; ++j) {
        Vector<Mpfr> plus = theta, minus = theta;
        plus(j) += h;
        minus(j) -= h;
        hessian.col(j) = (gradient(plus) - gradient(minus)) / (2 * h);
    }
    return (hessian + hessian.transpose()) / Mpfr(2);
}

class SharpnessTest : public ::testing::TestWithParam<HessianCase> {};

}  // namespace

// Central differences have truncation error h^2 |g'''| / 6 and rounding error
// eps |g| / h: with h = 1e-25 at 256 bits (eps ~ 1.7e-77) both are below 1e-50, so the
// finite-difference Hessian is exact to ~1e-50 relative. The R-operator product and
// Lanczos are exact up to rounding (~1e-75); the bound 1e-40 leaves a wide margin, while
// a missing sigma'' term or a transposed product gives O(1) errors.
TEST_P(SharpnessTest, MatchesDenseFiniteDifferenceHessianAt256Bits) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const HessianCase& c = GetParam();
    const SmallProblem problem = case_problem(c);
    const Network<Mpfr> network = network_from_double<Mpfr>(initialize_network(problem.spec, {InitScheme::he, {}, 5}));
    const Matrix<Mpfr> x = from_double<Mpfr>(problem.inputs), y = from_double<Mpfr>(problem.targets);
    const Mpfr lambda("0.01");
    const Matrix<Mpfr> dense = finite_difference_hessian(network, x, y, lambda, Mpfr("1e-25"));
    const Index size = dense.rows();
    ASSERT_EQ(size, problem.spec.parameter_count());

    // Hessian-vector product against the dense matrix, on a random direction.
    const Vector<Mpfr> v = from_double<Mpfr>(RandomSource(8).gaussian_matrix(size, 1));
    const Vector<Mpfr> hv =
        flatten_weights(hessian_vector_product(network, x, y, lambda, unflatten_weights(v, problem.spec)));
    const Vector<Mpfr> expected = dense * v;
    EXPECT_LT(ScalarTraits<Mpfr>::to_double(Mpfr(sqrt((hv - expected).squaredNorm() / expected.squaredNorm()))), 1e-40);

    // The top eigenvalue.
    const Vector<Mpfr> eigenvalues = symmetric_eigenvalues(dense);
    const Mpfr top = eigenvalues(size - 1);
    SharpnessOptions options;
    options.tolerance = 1e-70;
    options.max_iterations = 100;
    const SharpnessResult<Mpfr> result = sharpness(network, x, y, lambda, options);
    EXPECT_TRUE(result.converged);
    EXPECT_LE(result.iterations, size);
    EXPECT_LT(ScalarTraits<Mpfr>::to_double(Mpfr(abs(result.eigenvalue - top) / abs(top))), 1e-40)
        << "lanczos " << ScalarTraits<Mpfr>::to_double(result.eigenvalue) << " dense "
        << ScalarTraits<Mpfr>::to_double(top);
    EXPECT_LT(ScalarTraits<Mpfr>::to_double(Mpfr(result.residual_norm / abs(top))), 1e-60);
    // The eigenvector is a unit vector shaped like the weights.
    EXPECT_LT(ScalarTraits<Mpfr>::to_double(Mpfr(abs(flatten_weights(result.eigenvector).squaredNorm() - 1))), 1e-70);
}

INSTANTIATE_TEST_SUITE_P(Activations, SharpnessTest,
                         ::testing::Values(HessianCase{Activation::smooth_leaky_relu(0.1, 2.0), {4, 3, 2}, 1,
                                                       "smooth_leaky_relu"},
                                           HessianCase{Activation::tanh(), {3, 3, 3, 2}, 2, "tanh_two_nonlinear"}),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

// Double against 256 bits on the same exact weights (P = 81): Lanczos in double with
// tolerance 1e-12 stops with a Ritz residual ~1e-12 |lambda|, so the Rayleigh quotient is
// within ~1e-12 (and rounding ~1e-14) of the top eigenvalue; the 256-bit run stops at
// 1e-20. 1e-9 relative leaves a margin.
TEST(Sharpness, DoubleAgreesWithHighPrecision) {
    const SmallProblem problem = small_problem(4, 3, 3, {7, 5, 3}, 1, Activation::smooth_leaky_relu(0.2), 4);
    const Network<double> network = initialize_network(problem.spec, {InitScheme::lecun, {}, 6});
    SharpnessOptions options;
    options.tolerance = 1e-12;
    const SharpnessResult<double> low = sharpness(network, problem.inputs, problem.targets, 0.005, options);
    EXPECT_TRUE(low.converged);
    EXPECT_LT(low.residual_norm, 1e-9 * std::abs(low.eigenvalue));
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    options.tolerance = 1e-20;
    const SharpnessResult<Mpfr> high = sharpness(network_from_double<Mpfr>(network), from_double<Mpfr>(problem.inputs),
                                                 from_double<Mpfr>(problem.targets), Mpfr(0.005), options);
    const double reference = ScalarTraits<Mpfr>::to_double(high.eigenvalue);
    EXPECT_LT(std::abs(low.eigenvalue - reference), 1e-9 * std::abs(reference));
}

TEST(Sharpness, RejectsMisshapenDirectionsAndOptions) {
    const SmallProblem problem = small_problem(3, 2, 2, {4, 3, 2}, 1, Activation::tanh(), 1);
    const Network<double> network = initialize_network(problem.spec, {});
    const HessianOperator<double> hessian(network, problem.inputs, problem.targets, 0.0);
    std::vector<Matrix<double>> direction = network.weights;
    direction.pop_back();
    EXPECT_THROW(hessian.apply(direction), ShapeMismatch);
    direction = network.weights;
    direction[1] = Matrix<double>::Zero(2, 2);
    EXPECT_THROW(hessian.apply(direction), ShapeMismatch);
    SharpnessOptions options;
    options.max_iterations = 0;
    EXPECT_THROW(sharpness(network, problem.inputs, problem.targets, 0.0, options), InvalidArgument);
    EXPECT_THROW(HessianOperator<double>(network, problem.inputs, Matrix<double>::Zero(3, 4), 0.0), ShapeMismatch);
}
