// Biases of imported networks (network.hpp, check_state.hpp, bias_hypotheses.hpp): the
// forward pass and its enclosure include them; a head with biases is never checked or
// certified as if they were absent; nonlinear biases change H_{L1}, which the checkers of
// Theorem 3.1 then read as it is.
#include <gtest/gtest.h>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/enclosure/forward_pass_enclosure.hpp"
#include "ncverify/network/forward_pass.hpp"
#include "ncverify/random/random_source.hpp"
#include "support/labels.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

/// d = 3, widths 5-4-2 (L1 = 1, smooth leaky ReLU), random weights; biases on the layers
/// listed (as random vectors).
Network<double> random_network(RandomSource& random, std::vector<Index> biased) {
    NetworkSpec spec;
    spec.input_dim = 3;
    spec.widths = {5, 4, 2};
    spec.nonlinear_layers = 1;
    spec.linear_layers = 2;
    spec.activation = Activation::smooth_leaky_relu(0.2);
    Network<double> network{spec, {}};
    for (Index l = 1; l <= 3; ++l) network.weights.push_back(random.gaussian_matrix(spec.width(l), spec.width(l - 1)));
    network.biases.assign(3, Vector<double>());
    for (Index l : biased) network.biases[std::size_t(l - 1)] = random.gaussian_matrix(spec.width(l), 1).col(0);
    network.validate_weights();
    return network;
}

}  // namespace

TEST(Biases, ForwardPassAddsEachBiasToItsPreActivations) {
    RandomSource random(1);
    const Network<double> network = random_network(random, {1, 3});
    const Matrix<double> x = random.gaussian_matrix(3, 6);
    const ForwardPass<double> pass = forward(network, x);
    const Matrix<double> z1 = network.weight(1) * x + network.bias(1).replicate(1, 6);  // an independent route
    EXPECT_LE((pass.Z(1) - z1).norm(), 1e-14 * z1.norm());
    const Matrix<double> z3 = network.weight(3) * pass.H(2) + network.bias(3).replicate(1, 6);
    EXPECT_LE((pass.Z(3) - z3).norm(), 1e-14 * z3.norm());
    // No bias on layer 2. Not compared bit for bit: forward may form the product with BLAS
    // and the reference with Eigen, in different summation orders. Each entry sums 5 O(1)
    // products, so the rounding is below 5u|W_2||H_1| ~ 1e-15 relative; a bias (standard
    // Gaussian entries) would differ by O(1).
    const Matrix<double> z2 = network.weight(2) * pass.H(1);
    EXPECT_LE((pass.Z(2) - z2).norm(), 1e-14 * z2.norm());
}

TEST(Biases, EnclosedForwardPassContainsTheBiasedFeatures) {
    RandomSource random(2);
    const Network<double> network = random_network(random, {1});
    const Matrix<double> x = random.gaussian_matrix(3, 4);
    // The reference at 256 bits, rounded to double: within 1e-15 relative of the enclosure's values.
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    const ForwardPass<Mpfr> reference = forward(network_from_double<Mpfr>(network), from_double<Mpfr>(x));
    const std::vector<ArbMatrix> enclosed = enclose_features(network, x, 1);
    for (Index i = 0; i < enclosed[1].rows(); ++i)
        for (Index j = 0; j < enclosed[1].cols(); ++j)
            EXPECT_TRUE(entry_ball(enclosed[1], i, j).contains(reference.H(1)(i, j))) << i << ", " << j;
}

TEST(Biases, AHeadWithBiasesMeetsNoHypothesisOfTheorem31AndIsNeverCertified) {
    RandomSource random(3);
    const Network<double> network = random_network(random, {3});
    const Matrix<double> x = random.gaussian_matrix(3, 4);
    const CheckState<double> state = check_state_from_network(network, x, class_sorted_labels(2, 2), 2, Precision::ieee_double());
    ASSERT_TRUE(state.has_head_biases());
    std::vector<Verdict> verdicts = run_checkers(state);
    certify_verdicts(verdicts, certified_source_from_network(network, x, class_sorted_labels(2, 2), 2));
    for (const Verdict& v : verdicts) {
        EXPECT_EQ(v.status, VerdictStatus::hypotheses_not_met) << verdict_details(v);
        EXPECT_NE(v.reason.find("bias-free head"), std::string::npos) << v.reason;
        ASSERT_TRUE(v.certificate);
        EXPECT_EQ(v.certificate->status, CertifiedStatus::hypotheses_not_met) << v.result;
    }
}

TEST(Biases, NonlinearBiasesEnterTheFeaturesTheHeadReceives) {
    RandomSource random(4);
    const Network<double> network = random_network(random, {1});
    const Matrix<double> x = random.gaussian_matrix(3, 4);
    const CheckState<double> state = check_state_from_network(network, x, class_sorted_labels(2, 2), 2, Precision::ieee_double());
    EXPECT_FALSE(state.has_head_biases());
    EXPECT_EQ(state.head_input, forward(network, x).H(1));
    Network<double> without = network;
    without.biases.clear();
    EXPECT_GT((state.head_input - forward(without, x).H(1)).norm(), 1e-3);
}
