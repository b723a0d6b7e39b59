// Network specification validation, GD assumptions, initialization.
#include <gtest/gtest.h>

#include "ncverify/network/gd_assumptions.hpp"
#include "ncverify/network/initialization.hpp"

using namespace ncverify;

namespace {

NetworkSpec reference_spec() {
    NetworkSpec spec;
    spec.input_dim = 784;
    spec.widths = {1024, 512, 256, 128, 10};
    spec.nonlinear_layers = 3;
    spec.linear_layers = 2;
    return spec;
}

std::string validation_message(const NetworkSpec& spec, Index classes) {
    try {
        spec.validate(classes);
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(NetworkSpec, ValidationNamesTheField) {
    EXPECT_EQ(validation_message(reference_spec(), 10), "");
    NetworkSpec spec = reference_spec();
    spec.widths[2] = 0;
    EXPECT_NE(validation_message(spec, 10).find("widths[2] (n_3) = 0"), std::string::npos);
    spec = reference_spec();
    spec.input_dim = -1;
    EXPECT_NE(validation_message(spec, 10).find("input_dim"), std::string::npos);
    spec = reference_spec();
    EXPECT_NE(validation_message(spec, 7).find("number of classes K = 7"), std::string::npos);
    spec.linear_layers = 3;
    EXPECT_NE(validation_message(spec, 10).find("nonlinear_layers + linear_layers"), std::string::npos);
    spec = reference_spec();
    spec.nonlinear_layers = 0;
    spec.linear_layers = 5;
    EXPECT_NE(validation_message(spec, 10).find("nonlinear_layers (L1) = 0"), std::string::npos);
    EXPECT_EQ(reference_spec().parameter_count(), 784 * 1024 + 1024 * 512 + 512 * 256 + 256 * 128 + 128 * 10);
}

TEST(GdAssumptions, PyramidalWideAndActivation) {
    NetworkSpec spec = reference_spec();
    GdAssumptions report = check_gd_assumptions(spec, 1000);
    EXPECT_TRUE(report.all_hold()) << report.failures.front();
    EXPECT_DOUBLE_EQ(report.gamma, 0.1);
    report = check_gd_assumptions(spec, 2000);
    EXPECT_FALSE(report.wide_first_layer);
    spec.widths = {1024, 128, 256, 128, 10};
    report = check_gd_assumptions(spec, 1000);
    EXPECT_FALSE(report.pyramidal);
    ASSERT_EQ(report.failures.size(), 1u);
    EXPECT_NE(report.failures[0].find("n_2 = 128 < n_3 = 256"), std::string::npos);
    spec = reference_spec();
    spec.activation = Activation::relu();
    EXPECT_FALSE(check_gd_assumptions(spec, 1000).smooth_activation_with_slope_bound);
    spec.nonlinear_layers = 4;
    spec.linear_layers = 1;
    EXPECT_FALSE(check_gd_assumptions(spec, 1000).enough_linear_layers);
}

TEST(Initialization, VarianceOfEachScheme) {
    NetworkSpec spec;
    spec.input_dim = 400;
    spec.widths = {300, 200, 10};
    spec.nonlinear_layers = 1;
    spec.linear_layers = 2;
    for (InitScheme scheme : {InitScheme::lecun, InitScheme::he, InitScheme::xavier}) {
        const Network<double> network = initialize_network(spec, {scheme, {1.0, 0.5, 2.0}, 17});
        for (Index l = 1; l <= 2; ++l) {
            const double fan_in = double(spec.width(l - 1)), fan_out = double(spec.width(l));
            const double variance = scheme == InitScheme::lecun ? 1 / fan_in
                                    : scheme == InitScheme::he  ? 2 / fan_in
                                                                : 2 / (fan_in + fan_out);
            const double scale = l == 1 ? 1.0 : 0.5;
            const double measured = network.weight(l).squaredNorm() / double(network.weight(l).size());
            // Sample variance of >= 6e4 Gaussians: relative standard error sqrt(2/6e4) ~ 0.6%.
            EXPECT_NEAR(measured / (scale * scale * variance), 1.0, 0.03) << init_scheme_name(scheme) << " layer " << l;
        }
    }
}

TEST(Initialization, SameSeedSameWeightsInEveryPrecision) {
    NetworkSpec spec;
    spec.input_dim = 5;
    spec.widths = {8, 4, 3};
    spec.nonlinear_layers = 1;
    spec.linear_layers = 2;
    const Network<double> a = initialize_network(spec, {InitScheme::lecun, {}, 42});
    const Network<double> b = initialize_network(spec, {InitScheme::lecun, {}, 42});
    const Network<double> c = initialize_network(spec, {InitScheme::lecun, {}, 43});
    for (Index l = 1; l <= 3; ++l) {
        EXPECT_EQ(a.weight(l), b.weight(l));
        EXPECT_NE(a.weight(l), c.weight(l));
    }
    MpfrPrecisionScope scope(Precision::mpfr_bits(512));
    const Network<Mpfr> high = network_from_double<Mpfr>(a);
    for (Index l = 1; l <= 3; ++l) EXPECT_EQ(to_double(high.weight(l)), a.weight(l));
    EXPECT_THROW(initialize_network(spec, {InitScheme::lecun, {1.0, 2.0}, 1}), InvalidArgument);
    EXPECT_THROW(initialize_network(spec, {InitScheme::lecun, {1.0, -2.0, 1.0}, 1}), InvalidArgument);
    EXPECT_THROW(init_scheme_from_name("orthogonal"), InvalidArgument);
}
