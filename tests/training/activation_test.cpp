// Activations: derivatives against finite differences at 256 bits, the slope condition
// sigma' in [gamma, 1], and parameter validation.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/network/activation.hpp"

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
