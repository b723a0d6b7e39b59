// L1 along real gradient-descent trajectories: at 256 bits the identity holds to
// <= 1e-60 relative at every step; in double the residual is reported at rounding level;
// the decay bound holds and the verdict is `holds`.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/balancedness_identity.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

template <class S>
Verdict monitored_run(const Precision& precision, const TrainingPlan& plan) {
    MpfrPrecisionScope scope(precision);
    const SmallProblem problem = small_problem(6, 3, 4, {16, 8, 6, 5, 3}, 2, Activation::smooth_leaky_relu(0.1), 55);
    TrainingState<S> state{network_from_double<S>(initialize_network(problem.spec, {InitScheme::lecun, {}, 8})), 0};
    BalancednessIdentityMonitor<S> monitor(problem.spec, precision);
    gradient_descent<S>(state, from_double<S>(problem.inputs), from_double<S>(problem.targets), plan, {},
                        [&](const StepView<S>& view) {
                            monitor.observe(view);
                            return true;
                        });
    return monitor.verdict();
}

double worst_identity_residual(const Verdict& verdict) {
    double worst = 0;
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id.rfind("L1.5", 0) == 0) worst = std::max(worst, step.lhs);
    return worst;
}

}  // namespace

TEST(BalancednessIdentity, ExactAt256Bits) {
    const Verdict verdict = monitored_run<Mpfr>(Precision::mpfr_bits(256), TrainingPlan::constant(30, 0.02, 0.05));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    EXPECT_LT(worst_identity_residual(verdict), 1e-60);
    EXPECT_LE(verdict.ratio, 1.0);
    EXPECT_EQ(verdict.steps.size(), 5u * 2u);  // L1.3, L1.5, L1.7, L1.8, L1.10 for pairs 3 and 4
}

// In double the identity holds only up to rounding: the residual is reported (~1e-16) and
// stays below the checker's tolerance tau = 256 * 16 * 2^-52 ~ 9e-13.
TEST(BalancednessIdentity, RoundingResidualInDouble) {
    const Verdict verdict = monitored_run<double>(Precision::ieee_double(), TrainingPlan::constant(200, 0.05, 0.1));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    const double residual = worst_identity_residual(verdict);
    EXPECT_GT(residual, 0.0);
    EXPECT_LT(residual, 1e-13);
}

// A varying plan (two phases): only the unrolled bound applies.
TEST(BalancednessIdentity, TwoPhasePlanUsesTheUnrolledBound) {
    const Verdict verdict =
        monitored_run<double>(Precision::ieee_double(), TrainingPlan::two_phase(50, 0.05, 0.0, 50, 0.05, 0.1));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    for (const ProofStepCheck& step : verdict.steps) EXPECT_EQ(step.id.find("L1.8"), std::string::npos);
}

// Random small networks (1-2 nonlinear, 2-3 linear layers), step sizes and weight decays:
// along 6 GD steps no L1 step fails and the verdict is never `violated`.
RC_GTEST_PROP(BalancednessIdentity, NoStepFailsOnRandomTrajectories, ()) {
    const Index nonlinear = *rc::gen::inRange(1, 3), linear = *rc::gen::inRange(2, 4);
    const Index classes = *rc::gen::inRange(2, 5), per_class = *rc::gen::inRange(2, 5);
    const Index input_dim = *rc::gen::inRange(2, 7);
    std::vector<Index> widths;
    for (Index l = 0; l < nonlinear + linear - 1; ++l) widths.push_back(*rc::gen::inRange<Index>(classes, classes + 6));
    widths.push_back(classes);
    const double eta = *rc::gen::inRange(1, 50) / 1000.0, lambda = *rc::gen::inRange(0, 50) / 100.0;
    const SmallProblem problem = small_problem(input_dim, classes, per_class, widths, nonlinear,
                                               Activation::smooth_leaky_relu(0.1), *rc::gen::arbitrary<std::uint64_t>());
    TrainingState<double> state{initialize_network(problem.spec, {InitScheme::lecun, {}, *rc::gen::arbitrary<std::uint64_t>()}), 0};
    BalancednessIdentityMonitor<double> monitor(problem.spec, Precision::ieee_double());
    gradient_descent<double>(state, problem.inputs, problem.targets, TrainingPlan::constant(6, eta, lambda), {},
                             [&](const StepView<double>& view) {
                                 monitor.observe(view);
                                 return true;
                             });
    const Verdict verdict = monitor.verdict();
    for (const ProofStepCheck& step : verdict.steps)
        if (step.outcome == Comparison::fails) RC_FAIL("step " + step.id + " fails: " + verdict_details(verdict));
    RC_ASSERT(verdict.status != VerdictStatus::violated);
}
