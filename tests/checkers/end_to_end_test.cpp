// End to end: train a network on synthetic data (L1 = 2 nonlinear, L2 = 3 linear layers,
// wide first layer) to near interpolation, with a weight-decay phase, then run every
// checker on the trained state. Every hypothesis is measured and T1 holds with slack.
#include <gtest/gtest.h>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/data/synthetic.hpp"
#include "ncverify/network/initialization.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;

TEST(EndToEnd, TrainedNetworkSatisfiesT1) {
    GaussianMixtureOptions data_options;
    data_options.input_dim = 30;
    data_options.num_classes = 4;
    data_options.samples_per_class = 6;
    data_options.mean_separation = 1.0;
    data_options.noise = 0.5;
    data_options.seed = 11;
    const Dataset data = gaussian_mixture(data_options);
    NetworkSpec spec;
    spec.input_dim = 30;
    spec.widths = {64, 32, 16, 8, 4};  // n_1 = 64 >= N = 24, pyramidal
    spec.nonlinear_layers = 2;
    spec.linear_layers = 3;
    spec.activation = Activation::smooth_leaky_relu(0.2);
    TrainingState<double> state{initialize_network(spec, {InitScheme::lecun, {}, 5}), 0};
    // Phase 1 fits without weight decay; phase 2 balances the linear layers (L1).
    const TrainingPlan plan = TrainingPlan::two_phase(3000, 0.02, 0.0, 2000, 0.02, 0.02);
    const TrainingOutcome outcome = gradient_descent<double>(state, data.inputs, data.one_hot(), plan, {}, {});
    ASSERT_EQ(outcome.status, TrainingStatus::completed) << outcome.message;

    const CheckState<double> check =
        check_state_from_network(state.network, data.inputs, data.labels, data.num_classes, Precision::ieee_double());
    const std::vector<Verdict> verdicts = run_checkers(check);
    ASSERT_FALSE(verdicts.empty());
    const Verdict& t1 = verdicts.front();
    ASSERT_EQ(t1.result, "T1");
    EXPECT_EQ(t1.status, VerdictStatus::holds) << verdict_details(t1);
    EXPECT_GT(t1.slack, 0.0);
    EXPECT_LT(t1.ratio, 1.0);
    for (const HypothesisCheck& h : t1.hypotheses) EXPECT_EQ(h.outcome, Comparison::holds) << h.name;
    EXPECT_GE(t1.steps.size(), 20u);
    std::cout << verdict_table(verdicts);
}
