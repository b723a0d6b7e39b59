// Activations: derivatives against finite differences at 256 bits, the slope condition
// sigma' in [gamma, 1], and parameter validation.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <omp.h>

#include "ncverify/network/activation.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

const std::vector<Activation>& smooth_activations() {
    static const std::vector<Activation> all{Activation::smooth_leaky_relu(0.1, 1.0), Activation::smooth_leaky_relu(0.3, 7.0),
                                             Activation::tanh(), Activation::identity()};
    return all;
}

}  // namespace

// At 256 bits with h = 1e-25, central differences are exact to ~1e-48: first and second
// derivatives must agree to 1e-30 (relative to max(1, |value|)).
RC_GTEST_PROP(Activation, DerivativesMatchFiniteDifferences, ()) {
    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    const Activation activation = *rc::gen::elementOf(smooth_activations());
    const double x0 = *rc::gen::inRange(-20000, 20000) / 1000.0;
    const Mpfr x(x0), h("1e-25");
    const Mpfr d1 = (activation.value(Mpfr(x + h)) - activation.value(Mpfr(x - h))) / (2 * h);
    const Mpfr d2 = (activation.derivative(Mpfr(x + h)) - activation.derivative(Mpfr(x - h))) / (2 * h);
    RC_ASSERT(ScalarTraits<Mpfr>::to_double(abs(d1 - activation.derivative(x))) < 1e-30);
    RC_ASSERT(ScalarTraits<Mpfr>::to_double(abs(d2 - activation.second_derivative(x))) < 1e-30);
}

RC_GTEST_PROP(Activation, SmoothLeakyReluSlopeLiesInGammaOne, ()) {
    const double gamma = *rc::gen::inRange(1, 99) / 100.0;
    const double beta = *rc::gen::inRange(1, 50) / 5.0;
    const double x = *rc::gen::inRange(-100000, 100000) / 100.0;
    const Activation activation = Activation::smooth_leaky_relu(gamma, beta);
    const double slope = activation.derivative(x);
    RC_ASSERT(slope >= gamma);
    RC_ASSERT(slope <= 1.0);
    RC_ASSERT(std::isfinite(activation.value(x)));
}

TEST(Activation, ClosedFormValues) {
    const Activation smooth = Activation::smooth_leaky_relu(0.25, 2.0);
    EXPECT_EQ(smooth.value(0.0), 0.0);
    EXPECT_DOUBLE_EQ(smooth.derivative(0.0), 0.25 + 0.75 * 0.5);
    // Far from 0: slope 1 on the right, gamma on the left, offset -(1-gamma) log 2 / beta.
    EXPECT_NEAR(smooth.value(40.0), 40.0 - 0.75 * std::log(2.0) / 2.0, 1e-12);
    EXPECT_NEAR(smooth.value(-40.0), -10.0 - 0.75 * std::log(2.0) / 2.0, 1e-12);
    EXPECT_EQ(Activation::relu().value(-3.0), 0.0);
    EXPECT_EQ(Activation::relu().derivative(0.0), 0.0);
    EXPECT_EQ(Activation::leaky_relu(0.01).value(-2.0), -0.02);
    EXPECT_EQ(Activation::leaky_relu(0.01).derivative(0.0), 0.01);
    EXPECT_DOUBLE_EQ(Activation::tanh().derivative(0.0), 1.0);
}

TEST(Activation, GdConditionAndNames) {
    EXPECT_TRUE(Activation::smooth_leaky_relu(0.1).meets_gd_activation_condition());
    EXPECT_DOUBLE_EQ(Activation::smooth_leaky_relu(0.1).lower_slope_bound(), 0.1);
    EXPECT_TRUE(Activation::identity().meets_gd_activation_condition());
    EXPECT_FALSE(Activation::relu().meets_gd_activation_condition());
    EXPECT_FALSE(Activation::leaky_relu(0.1).meets_gd_activation_condition());
    EXPECT_FALSE(Activation::tanh().meets_gd_activation_condition());
    for (const char* name : {"smooth_leaky_relu", "leaky_relu", "relu", "tanh", "identity"})
        EXPECT_EQ(Activation::from_name(name, 0.2, 1.0).name(), name);
    EXPECT_THROW(Activation::from_name("gelu"), InvalidArgument);
    EXPECT_THROW(Activation::smooth_leaky_relu(0.0), InvalidArgument);
    EXPECT_THROW(Activation::smooth_leaky_relu(1.0), InvalidArgument);
    EXPECT_THROW(Activation::smooth_leaky_relu(0.1, -1.0), InvalidArgument);
    EXPECT_THROW(Activation::leaky_relu(1.5), InvalidArgument);
}

// The vectorised double pass of the smooth leaky ReLU (Activation::evaluate) against a
// 256-bit evaluation of the same x (an independent route: MPFR's correctly rounded exp
// and log1p), within the bounds activation.hpp states: 16 u times the sum of the
// magnitudes of sigma's terms, 16 u for sigma' (u = 2^-53). The inputs cover both signs,
// 0 and -0, tiny and huge |x| (e underflows to 0) and the region |beta x| < 1e-8 where
// u = fl(1 + e) rounds to 1 ... 2.
TEST(Activation, FusedDoublePassIsWithinItsStatedBound) {
    RandomSource random(23);
    std::vector<double> xs{0.0, -0.0, 1e-300, -1e-300, 1e-17, -1e-17, 1e-9, -1e-9, 700.0, -700.0, 1e5, -1e5};
    const Matrix<double> gaussian = random.gaussian_matrix(1, 4000);
    for (Index k = 0; k < gaussian.size(); ++k) xs.push_back(gaussian(0, k) * (k % 4 == 0 ? 30.0 : 2.0));
    const Matrix<double> z = Eigen::Map<const Matrix<double>>(xs.data(), 1, static_cast<Index>(xs.size()));
    for (const Activation& sigma : {Activation::smooth_leaky_relu(0.1, 4.0), Activation::smooth_leaky_relu(0.3, 7.0),
                                    Activation::smooth_leaky_relu(0.9, 0.01)}) {
        Matrix<double> value, derivative;
        sigma.evaluate(z, &value, &derivative);
        MpfrPrecisionScope scope(Precision::mpfr_bits(256));
        const double gamma = sigma.slope(), beta = sigma.beta(), u = 0x1p-53;
        for (Index k = 0; k < z.size(); ++k) {
            const double x = z(0, k), t = beta * x, e = std::exp(-std::abs(t));
            const double magnitude =
                std::abs(gamma * x) + (1 - gamma) * (std::max(t, 0.0) + std::log1p(e) + std::log(2.0)) / beta;
            const double exact_value = ScalarTraits<Mpfr>::to_double(sigma.value(Mpfr(x)));
            const double exact_derivative = ScalarTraits<Mpfr>::to_double(sigma.derivative(Mpfr(x)));
            EXPECT_LE(std::abs(value(0, k) - exact_value), 16 * u * magnitude) << sigma.formula() << " at x = " << x;
            EXPECT_LE(std::abs(derivative(0, k) - exact_derivative), 16 * u) << sigma.formula() << " at x = " << x;
        }
    }
}

// evaluate: each output alone gives the same bits as both together, outputs are reused
// when the shape is unchanged, and a matrix large enough to be shared among threads gives
// the same bits with 1 and 2 threads (entries are independent).
TEST(Activation, EvaluateOutputsAreIndependentReusedAndThreadInvariant) {
    RandomSource random(29);
    const Matrix<double> z = 3.0 * random.gaussian_matrix(300, 200);
    const Activation sigma = Activation::smooth_leaky_relu(0.1, 4.0);
    Matrix<double> value, derivative;
    const int threads_before = omp_get_max_threads();
    omp_set_num_threads(1);
    sigma.evaluate(z, &value, &derivative);
    const double* storage = value.data();
    const Matrix<double> value_alone = sigma.apply(z), derivative_alone = sigma.apply_derivative(z);
    omp_set_num_threads(2);
    sigma.evaluate(z, &value, &derivative);
    omp_set_num_threads(threads_before);
    EXPECT_EQ(value.data(), storage);
    EXPECT_TRUE((value.array() == value_alone.array()).all());
    EXPECT_TRUE((derivative.array() == derivative_alone.array()).all());
    // Other kinds go entry by entry through value() and derivative().
    const Activation tanh = Activation::tanh();
    tanh.evaluate(z, &value, &derivative);
    EXPECT_EQ(value(7, 9), std::tanh(z(7, 9)));
    EXPECT_EQ(derivative(7, 9), tanh.derivative(z(7, 9)));
}

// The MPFR pass (in-place mpfr_* calls, exp and log1p correctly rounded through Arb with
// MPFR deciding the hard cases) gives exactly the bits of value() and derivative() (Boost
// operations, MPFR's own exp and log1p) at every entry: 4000 inputs with full-length
// significands at each of 53, 113, 256 and 1024 bits, and |beta x| up to ~2^21, beyond
// the Arb route's limit of 2^20.
TEST(Activation, MpfrPassIsBitIdenticalToScalarEvaluation) {
    RandomSource random(31);
    const Matrix<double> gaussian = random.gaussian_matrix(40, 100);
    for (const unsigned bits : {53u, 113u, 256u, 1024u}) {
        MpfrPrecisionScope scope(Precision::mpfr_bits(bits));
        Matrix<Mpfr> z = from_double<Mpfr>(gaussian);
        for (Index k = 0; k < z.size(); ++k) z.data()[k] = z.data()[k] * (k % 10 == 0 ? Mpfr(1 << 19) : Mpfr(5)) / 3;
        const Activation sigma = Activation::smooth_leaky_relu(0.1, 4.0);
        Matrix<Mpfr> value, derivative;
        sigma.evaluate(z, &value, &derivative);
        Index differing = 0;
        for (Index k = 0; k < z.size(); ++k) {
            const Mpfr& x = z.data()[k];
            differing += mpfr_equal_p(value.data()[k].backend().data(), sigma.value(x).backend().data()) == 0;
            differing += mpfr_equal_p(derivative.data()[k].backend().data(), sigma.derivative(x).backend().data()) == 0;
            differing += precision_bits_of(value.data()[k]) != working_precision_bits();
        }
        EXPECT_EQ(differing, 0) << bits << " bits";
    }
}
