// L1 along real gradient-descent trajectories: at 256 bits the identities hold to
// <= 1e-60 relative at every step; in double the residuals are reported at rounding level;
// the decay bounds hold and the verdict is `holds`. The regularized form (L1.13, L1.15)
// is also recomputed independently of the monitor, and broken on purpose (wrong lambda).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/balancedness_identity.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "support/relative_error.hpp"
#include "support/small_problem.hpp"
#include "support/verdict_assertions.hpp"

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

/// The largest lhs over the steps whose ID starts with `prefix` followed by '['.
double worst_lhs(const Verdict& verdict, const std::string& prefix) {
    double worst = 0;
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id.rfind(prefix + "[", 0) == 0) worst = std::max(worst, step.lhs);
    return worst;
}

bool has_step(const Verdict& verdict, const std::string& id) {
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id == id) return true;
    return false;
}

/// One recorded step of a run: the weights and the data gradients G_l at theta_t, and the
/// step setting that produced theta_{t+1}.
template <class S>
struct RecordedStep {
    std::vector<Matrix<S>> weights, gradients;
    StepSetting setting;
};

/// A random small problem (1-2 nonlinear, 2-3 linear layers, widths K..K+5) and GD setting.
struct RandomTrajectory {
    SmallProblem problem;
    std::uint64_t init_seed;
    double eta, lambda;
    Index steps;
};

RandomTrajectory random_trajectory() {
    const Index nonlinear = *rc::gen::inRange(1, 3), linear = *rc::gen::inRange(2, 4);
    const Index classes = *rc::gen::inRange(2, 5), per_class = *rc::gen::inRange(2, 5);
    const Index input_dim = *rc::gen::inRange(2, 7);
    std::vector<Index> widths;
    for (Index l = 0; l < nonlinear + linear - 1; ++l) widths.push_back(*rc::gen::inRange<Index>(classes, classes + 6));
    widths.push_back(classes);
    const double eta = *rc::gen::inRange(1, 50) / 1000.0, lambda = *rc::gen::inRange(0, 50) / 100.0;
    return {small_problem(input_dim, classes, per_class, widths, nonlinear, Activation::smooth_leaky_relu(0.1),
                          *rc::gen::arbitrary<std::uint64_t>()),
            *rc::gen::arbitrary<std::uint64_t>(), eta, lambda, *rc::gen::inRange<Index>(1, 9)};
}

/// Runs the trajectory in S, feeding `monitor` and recording every state.
template <class S>
std::vector<RecordedStep<S>> record_run(const RandomTrajectory& run, BalancednessIdentityMonitor<S>& monitor) {
    TrainingState<S> state{network_from_double<S>(initialize_network(run.problem.spec, {InitScheme::lecun, {}, run.init_seed})), 0};
    std::vector<RecordedStep<S>> recorded;
    gradient_descent<S>(state, from_double<S>(run.problem.inputs), from_double<S>(run.problem.targets),
                        TrainingPlan::constant(run.steps, run.eta, run.lambda), {}, [&](const StepView<S>& view) {
                            monitor.observe(view);
                            recorded.push_back({view.state.network.weights, view.evaluation.data_gradient, view.setting});
                            return true;
                        });
    return recorded;
}

/// The regularized form recomputed from the recorded states, independently of the monitor
/// (singular values instead of symmetric eigenvalues): asserts, for every linear pair l and
/// step t, L1.13 to the working precision, ||D_l(t+1) - (1 - 2 eta lambda) D_l(t) -
/// eta^2 (Gamma_(l+1)^T Gamma_(l+1) - Gamma_l Gamma_l^T)||_F <= 2^8 n u M_t with M_t the scale
/// of the monitor's derivation (balancedness_identity.cpp), and L1.15 in its stated form,
/// ||D_l(t)||_op <= (1 + 2^8 n u) bound_l(t). Returns bound_l(T) for each pair.
template <class S>
std::vector<S> assert_regularized_form(const std::vector<RecordedStep<S>>& recorded, const NetworkSpec& spec) {
    using std::abs;
    Index n = 1;
    for (Index l = 0; l <= spec.num_layers(); ++l) n = std::max(n, spec.width(l));
    const S rounding = S(256) * S(n) * ScalarTraits<S>::epsilon();
    std::vector<S> bounds;
    for (Index l = spec.nonlinear_layers + 1; l < spec.num_layers(); ++l) {
        const auto i = static_cast<std::size_t>(l - 1);
        S bound = spectral_norm(balancedness_matrix(recorded[0].weights[i], recorded[0].weights[i + 1]));
        for (std::size_t t = 0; t + 1 < recorded.size(); ++t) {
            const RecordedStep<S>& now = recorded[t];
            const S eta(now.setting.learning_rate), lambda(now.setting.weight_decay);
            const Matrix<S> gamma = now.gradients[i] + lambda * now.weights[i];
            const Matrix<S> gamma_next = now.gradients[i + 1] + lambda * now.weights[i + 1];
            const Matrix<S> next_gap = balancedness_matrix(recorded[t + 1].weights[i], recorded[t + 1].weights[i + 1]);
            const Matrix<S> predicted = (S(1) - S(2) * eta * lambda) * balancedness_matrix(now.weights[i], now.weights[i + 1]) +
                                        eta * eta * (gamma_next.transpose() * gamma_next - gamma * gamma.transpose());
            const S reach = frobenius_norm(now.weights[i]) + eta * frobenius_norm(gamma);
            const S reach_next = frobenius_norm(now.weights[i + 1]) + eta * frobenius_norm(gamma_next);
            const S scale = std::max(S(1), S(abs(S(1) - S(2) * eta * lambda))) * (reach * reach + reach_next * reach_next);
            RC_ASSERT(frobenius_norm(Matrix<S>(next_gap - predicted)) <= rounding * scale);
            const S gamma_op = std::max(spectral_norm(gamma), spectral_norm(gamma_next));
            bound = abs(S(1) - S(2) * eta * lambda) * bound + eta * eta * gamma_op * gamma_op;
            RC_ASSERT(spectral_norm(next_gap) <= (S(1) + rounding) * bound);
        }
        bounds.push_back(bound);
    }
    return bounds;
}

/// The property for one scalar: the independent recomputation above, no monitor step
/// fails, L1.13 is reported below the tolerance, and the monitor's conclusion (L1.15 at T,
/// worst pair) is one of the independently computed bounds, to 2^8 n u relative.
template <class S>
void check_regularized_form_on_random_trajectory(const Precision& precision) {
    const RandomTrajectory run = random_trajectory();
    MpfrPrecisionScope scope(precision);
    BalancednessIdentityMonitor<S> monitor(run.problem.spec, precision);
    const std::vector<RecordedStep<S>> recorded = record_run<S>(run, monitor);
    const std::vector<S> bounds = assert_regularized_form<S>(recorded, run.problem.spec);
    const Verdict verdict = monitor.verdict();
    assert_sound(verdict);
    RC_ASSERT(worst_lhs(verdict, "L1.13") <= verdict.tolerance);
    bool found = false;
    for (const S& bound : bounds)
        found |= relative_error<S>(S(verdict.bound), bound) <= std::max(1e-13, 1e3 * eps<S>());
    RC_ASSERT(found);
}

}  // namespace

TEST(BalancednessIdentity, ExactAt256Bits) {
    const Verdict verdict = monitored_run<Mpfr>(Precision::mpfr_bits(256), TrainingPlan::constant(30, 0.02, 0.05));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    EXPECT_LT(worst_lhs(verdict, "L1.5"), 1e-60);
    EXPECT_LT(worst_lhs(verdict, "L1.13"), 1e-60);
    EXPECT_LE(verdict.ratio, 1.0);
    for (const char* id : {"L1.3", "L1.5", "L1.13", "L1.7", "L1.8", "L1.10", "L1.15"})
        for (const char* pair : {"[3]", "[4]"})
            EXPECT_TRUE(has_step(verdict, std::string(id) + pair)) << id << pair;
}

// In double the identity holds only up to rounding: the residual is reported (~1e-16) and
// stays below the checker's tolerance tau = 256 * 16 * 2^-52 ~ 9e-13.
TEST(BalancednessIdentity, RoundingResidualInDouble) {
    const Verdict verdict = monitored_run<double>(Precision::ieee_double(), TrainingPlan::constant(200, 0.05, 0.1));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    for (const char* id : {"L1.5", "L1.13"}) {
        const double residual = worst_lhs(verdict, id);
        EXPECT_GT(residual, 0.0) << id;
        EXPECT_LT(residual, 1e-13) << id;
    }
}

// A varying plan (two phases): of L1.8 only the unrolled (variable-step) form applies, not
// the closed form q^T ...; the regularized bound L1.15 applies to any plan.
TEST(BalancednessIdentity, TwoPhasePlanUsesTheUnrolledBound) {
    const Verdict verdict =
        monitored_run<double>(Precision::ieee_double(), TrainingPlan::two_phase(50, 0.05, 0.0, 50, 0.05, 0.1));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    for (const ProofStepCheck& step : verdict.steps) EXPECT_NE(step.rhs_name.rfind("q^T", 0), 0u) << step.id;
    EXPECT_TRUE(has_step(verdict, "L1.8[3]"));
    EXPECT_TRUE(has_step(verdict, "L1.15[3]"));
}

// Random small trajectories (1-8 GD steps), in double and at 256 bits: L1.13 holds to the
// working precision and L1.15 holds at every step, recomputed independently of the monitor.
RC_GTEST_PROP(BalancednessIdentity, RegularizedFormOnRandomTrajectoriesDouble, ()) {
    check_regularized_form_on_random_trajectory<double>(Precision::ieee_double());
}
RC_GTEST_PROP(BalancednessIdentity, RegularizedFormOnRandomTrajectoriesMpfr256, ()) {
    check_regularized_form_on_random_trajectory<Mpfr>(Precision::mpfr_bits(256));
}

// The identity broken on purpose: the monitor is told a weight decay 1.5 x the one the run
// used. L1.13 (and L1.5) must then fail: the residual is eta * 0.5 lambda * 2 ||D|| / M,
// orders of magnitude above tau.
TEST(BalancednessIdentity, WrongWeightDecayBreaksTheIdentity) {
    const SmallProblem problem = small_problem(6, 3, 4, {16, 8, 6, 5, 3}, 2, Activation::smooth_leaky_relu(0.1), 55);
    TrainingState<double> state{initialize_network(problem.spec, {InitScheme::lecun, {}, 8}), 0};
    BalancednessIdentityMonitor<double> monitor(problem.spec, Precision::ieee_double());
    gradient_descent<double>(state, problem.inputs, problem.targets, TrainingPlan::constant(20, 0.05, 0.1), {},
                             [&](const StepView<double>& view) {
                                 StepSetting wrong = view.setting;
                                 wrong.weight_decay *= 1.5;
                                 monitor.observe({view.state, view.evaluation, wrong, view.is_final});
                                 return true;
                             });
    const Verdict verdict = monitor.verdict();
    EXPECT_EQ(verdict.status, VerdictStatus::violated) << verdict_details(verdict);
    for (const char* id : {"L1.13[3]", "L1.13[4]", "L1.5[3]", "L1.5[4]"}) {
        EXPECT_TRUE(has_step(verdict, id)) << id;
        for (const ProofStepCheck& step : verdict.steps) {
            if (step.id == id) {
                EXPECT_EQ(step.outcome, Comparison::fails) << id << ": " << step.lhs;
            }
        }
    }
    EXPECT_GT(worst_lhs(verdict, "L1.13"), 1e3 * verdict.tolerance);
}
