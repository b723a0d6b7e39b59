// End to end: train a network on synthetic data (L1 = 2 nonlinear, L2 = 3 linear layers,
// wide first layer) to near interpolation, with a weight-decay phase, then run every
// checker on the trained state. Every hypothesis is measured and T1 holds with slack.
#include <gtest/gtest.h>

#include "ncverify/checkers/registry.hpp"
#include "support/end_to_end_network.hpp"

using namespace ncverify;

TEST(EndToEnd, TrainedNetworkSatisfiesT1) {
    const ncverify::testing::TrainedNetwork trained = ncverify::testing::trained_end_to_end_network();
    ASSERT_EQ(trained.outcome.status, TrainingStatus::completed) << trained.outcome.message;
    const Dataset& data = trained.data;

    const CheckState<double> check =
        check_state_from_network(trained.network, data.inputs, data.labels, data.num_classes, Precision::ieee_double());
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
