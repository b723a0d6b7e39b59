// T4 (proofs_notes/T4_gradient_descent.md): the ball bounds of part (b) against
// independent computations (backpropagated gradients, central differences of the
// forward pass, Lanczos on exact Hessian-vector products) at random points of B_R; the
// initialization recipe (INIT holds with c = c_star); an end-to-end run: recipe ->
// phase 1 (eta = 0.99/lip_grad, lambda = 0) -> phase 2 (eta2 = 0.99 eta2_max) with the
// T4 monitor, every verifiable conclusion checked.
#include "ncverify/checkers/t4_gradient_descent.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>


#include "ncverify/checkers/registry.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/metrics/sharpness.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

std::vector<Index> sorted_labels(Index K, Index n) {
    std::vector<Index> labels;
    for (Index i = 0; i < K * n; ++i) labels.push_back(i / n);
    return labels;
}

const ProofStepCheck* find_step(const Verdict& verdict, const std::string& id) {
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id == id) return &step;
    return nullptr;
}

Matrix<double> output_at(const Network<double>& network, const Matrix<double>& x) {
    return forward(network, x).output();
}

Network<double> moved(const Network<double>& network, const std::vector<Matrix<double>>& direction, double t) {
    Network<double> result = network;
    for (std::size_t i = 0; i < direction.size(); ++i) result.weights[i] += t * direction[i];
    return result;
}

/// Gradient descent on `state` along `plan`, every step shown to `monitor`.
template <class S>
TrainingOutcome monitored_descent(TrainingState<S>& state, const Matrix<S>& x, const Matrix<S>& y,
                                  const TrainingPlan& plan, T4GradientDescentMonitor<S>& monitor) {
    return gradient_descent(state, x, y, plan, {}, StepObserver<S>([&](const StepView<S>& view) {
                                monitor.observe(view);
                                return true;
                            }));
}

/// Prints the monitor's verdict; no decided step failed, every hypothesis holds, and each
/// of `step_ids` was checked.
void expect_monitored_run_holds(const Verdict& verdict, std::initializer_list<const char*> step_ids) {
    std::cout << verdict_details(verdict) << "\n";
    EXPECT_EQ(verdict.first_failed_step(), nullptr);
    for (const HypothesisCheck& h : verdict.hypotheses)
        EXPECT_EQ(h.outcome, Comparison::holds) << h.name << ": " << h.statement;
    for (const char* id : step_ids) EXPECT_NE(find_step(verdict, id), nullptr) << id;
}

}  // namespace

// Part (b) at a random point theta of B_R (R = R_max times a factor in (0, 1], theta_0 =
// the recipe or a LeCun draw): the measured sides come from routes independent of the
// bounds. Df[u] and D^2f[u,u] by central differences with h = 1e-4 (truncation h^2 |f'''|
// ~ 1e-8 relative, far below the margins the note measured: worst ratios 0.78 and 0.21);
// ||grad^2 C_0|| by Lanczos (an estimate from below of the top eigenvalue; the bound
// holds for |eigenvalues|). Each measured/bound ratio must be <= 1 + 1e-6 (the difference
// error), the PL side (T4.5) is exact up to rounding.
RC_GTEST_PROP(T4GradientDescent, BallBoundsHoldAtRandomPointsOfTheBall, ()) {
    const Index K = *rc::gen::inRange(2, 4), n = *rc::gen::inRange(1, 3), N = K * n;
    const Index L1 = *rc::gen::inRange(1, 3), L2 = *rc::gen::inRange(2, 4);
    std::vector<Index> widths{N + *rc::gen::inRange(0, 3)};
    Index previous = K + *rc::gen::inRange(0, 4);
    for (Index l = 2; l <= L1 + L2 - 1; ++l) {
        widths.push_back(previous);
        previous = std::max(K, previous - *rc::gen::inRange(0, 2));
    }
    widths.push_back(K);
    const double gamma = *rc::gen::inRange(20, 80) / 100.0, beta = *rc::gen::inRange(50, 350) / 100.0;
    const auto seed = *rc::gen::arbitrary<std::uint32_t>();
    const SmallProblem problem =
        small_problem(*rc::gen::inRange(2, 5), K, n, widths, L1, Activation::smooth_leaky_relu(gamma, beta), seed);
    Network<double> network = initialize_network(problem.spec, {InitScheme::lecun, {}, seed + 1});
    const NetworkCheckState<double> initial =
        network_check_state(network, problem.inputs, sorted_labels(K, n), K, Precision::ieee_double());
    const T4Initialization<double> q0 = t4_initialization_quantities(initial);
    RC_PRE(q0.R_max > 0);
    const double R = q0.R_max * *rc::gen::inRange(10, 101) / 100.0;
    const T4Initialization<double> q = t4_initialization_quantities(initial, R);
    // theta = theta_0 + delta, ||delta|| = R times a factor in [0, 1], spread over all layers or on one.
    RandomSource random(seed + 2);
    std::vector<Matrix<double>> delta;
    const Index only = *rc::gen::inRange<Index>(0, problem.spec.num_layers() + 1);  // 0: all layers
    for (Index l = 1; l <= problem.spec.num_layers(); ++l)
        delta.push_back((only == 0 || only == l ? 1.0 : 0.0) *
                        random.gaussian_matrix(problem.spec.width(l), problem.spec.width(l - 1)));
    double norm = 0;
    for (const Matrix<double>& m : delta) norm += m.squaredNorm();
    const double radius = R * *rc::gen::inRange(0, 101) / 100.0;
    for (Matrix<double>& m : delta) m *= radius / std::sqrt(norm);
    const Network<double> theta = moved(network, delta, 1.0);
    const Matrix<double>& x = problem.inputs;
    const Matrix<double>& y = problem.targets;
    const LossAndGradient<double> evaluation = loss_and_gradient(theta, x, y, 0.0);
    const double e_F = std::sqrt(2 * evaluation.data_loss);
    double g2 = 0;
    for (Index l = 1; l <= problem.spec.num_layers(); ++l) {
        const double gl = evaluation.data_gradient[std::size_t(l - 1)].norm();
        g2 += gl * gl;
        RC_ASSERT(gl <= q.ball.gbar_l[std::size_t(l - 1)] * e_F * (1 + 1e-12));                  // T4.10 per layer
        RC_ASSERT(spectral_norm(theta.weight(l)) <= q.wbar[std::size_t(l - 1)] * (1 + 1e-12));   // T4.6
        RC_ASSERT(spectral_norm(evaluation.pass.H(l)) <= q.hbar[std::size_t(l)] * (1 + 1e-12));  // T4.7
    }
    RC_ASSERT(std::sqrt(g2) <= q.ball.gbar * e_F * (1 + 1e-12));    // T4.10
    RC_ASSERT(e_F <= (q.e0 + q.ball.gbar * radius) * (1 + 1e-12));  // T4.12
    // T4.5 pointwise and T4.9 (R <= R_max): ||grad||^2 >= alpha_PL C_0.
    RC_ASSERT(g2 >= q.alpha_PL * evaluation.data_loss * (1 - 1e-12));
    // T4.11, T4.13 along a random unit direction u (differences of the forward pass).
    std::vector<Matrix<double>> u;
    double unorm = 0;
    for (Index l = 1; l <= problem.spec.num_layers(); ++l) {
        u.push_back(random.gaussian_matrix(problem.spec.width(l), problem.spec.width(l - 1)));
        unorm += u.back().squaredNorm();
    }
    for (Matrix<double>& m : u) m /= std::sqrt(unorm);
    const double h = 1e-4;
    const Matrix<double> plus = output_at(moved(theta, u, h), x), minus = output_at(moved(theta, u, -h), x);
    const Matrix<double> center = output_at(theta, x);
    const double df = ((plus - minus) / (2 * h)).norm();
    const double d2f = ((plus - 2 * center + minus) / (h * h)).norm();
    RC_ASSERT(df <= q.ball.gbar * (1 + 1e-6));
    RC_ASSERT(d2f <= q.ball.hess2 * (1 + 1e-6) + 1e-6);
    // T4.14: the top eigenvalue of grad^2 C_0 (Lanczos, from below) <= lip_grad.
    SharpnessOptions options;
    options.tolerance = 1e-10;
    const SharpnessResult<double> top = sharpness(theta, x, y, 0.0, options);
    RC_ASSERT(top.eigenvalue <= q.lip_grad * (1 + 1e-9));
    RC_CLASSIFY(q.ball.gbar * q.e0 * 4 <= q.alpha_PL * R, "INIT holds");
}

// The recipe (§2.8) with c = c_star meets INIT with R = R_max (T4.30), and T4.28 - T4.29 hold.
TEST(T4GradientDescent, RecipeMeetsInit) {
    const SmallProblem problem = small_problem(3, 2, 2, {5, 3, 3, 2}, 2, Activation::smooth_leaky_relu(0.5), 4);
    const T4Recipe recipe = t4_initialization_recipe(problem.spec, problem.inputs, 7);
    EXPECT_GE(recipe.c, recipe.c_star);
    const Verdict verdict = check_t4_initialization(
        network_check_state(recipe.network, problem.inputs, sorted_labels(2, 2), 2, Precision::ieee_double()));
    EXPECT_EQ(verdict.status, VerdictStatus::holds) << verdict_details(verdict);
    ASSERT_NE(find_step(verdict, "T4.30"), nullptr) << verdict_details(verdict);
    ASSERT_NE(find_step(verdict, "T4.29"), nullptr) << verdict_details(verdict);
    std::cout << "recipe: c_star = " << recipe.c_star << ", INIT ratio 4 gbar e0/(alpha_PL R_max) = " << verdict.ratio
              << ", T4.29 gbar/gbar_recipe = " << find_step(verdict, "T4.29")->lhs / find_step(verdict, "T4.29")->rhs
              << "\n";
    // A LeCun draw of the same spec does not meet INIT (the verdict says so, never "holds").
    const Verdict lecun =
        check_t4_initialization(network_check_state(initialize_network(problem.spec, {InitScheme::lecun, {}, 7}),
                                                    problem.inputs, sorted_labels(2, 2), 2, Precision::ieee_double()));
    EXPECT_EQ(lecun.status, VerdictStatus::hypotheses_not_met) << verdict_details(lecun);
}

// End to end (< 1 minute): recipe -> phase 1 in double with eta = 0.99/lip_grad and lambda
// = 0 for T1_len(eps1^2/4) steps, observed by a double monitor -> phase 2 from theta_T1
// (converted exactly) at 512 bits with lambda2 = eps1^2/(4 theta_bar^2) (so that c_level <=
// eps1^2/2) and eta2 = 0.99 eta2_max, observed by an MPFR monitor for 20 steps. Phase 2
// runs in MPFR because eta2_max = 1/lip2 is ~6e-49 here: in double the phase-2 iterates do not move
// at all (the updates are below the weights' ulp), and every phase-2 inequality would be
// an equality within rounding; at 512 bits (u ~ 1e-154) they are decided.
// Verified: every hypothesis (A1 - A3, INIT, eta <= 1/lip_grad, eta2 <= eta2_max, c_level
// <= eps1^2/2), the per-step inequalities of phase 1 (T4.5 - T4.17) and of phase 2
// (T4.22 - T4.26), T4.18 at T1_len, and T4.27 at the end (NC1 <= B_meas <= B_r with eps2
// the T4.25 bound at the last step). Not verifiable: ||D_l|| <= eps2 at T2_len (~5e69
// steps of size eta2_max), and, in double, the phase-1 steps taken after the loss has
// reached the floating-point floor (C_0 ~ 1e-25), which are equalities within rounding:
// both verdicts are inconclusive for these reasons only (checked below), never "violated".
TEST(T4GradientDescent, EndToEndRecipeTrainingAndEveryConclusion) {
    const Index K = 2, n = 2;
    const SmallProblem problem = small_problem(3, K, n, {5, 3, 2}, 1, Activation::smooth_leaky_relu(0.5), 11);
    const T4Recipe recipe = t4_initialization_recipe(problem.spec, problem.inputs, 3);
    const NetworkCheckState<double> initial =
        network_check_state(recipe.network, problem.inputs, sorted_labels(K, n), K, Precision::ieee_double());
    const T4Initialization<double> q = t4_initialization_quantities(initial);
    const double eta = 0.99 / q.lip_grad, eps1 = 0.5, eps2 = 1e-3;
    const double T1_len = std::ceil(2 / (eta * q.alpha_PL) * std::log(q.C0 / (eps1 * eps1 / 4)));
    std::cout << "c = " << recipe.c << ", lip_grad = " << q.lip_grad << ", eta = " << eta
              << ", eta alpha_PL = " << eta * q.alpha_PL << ", T1_len = " << T1_len << "\n";
    ASSERT_LT(T1_len, 3e6) << "the example is too large to run";
    const Index T1 = static_cast<Index>(T1_len);
    CheckerOptions options;
    options.epsilon1 = eps1;
    options.epsilon2 = eps2;

    // Phase 1 (double).
    T4GradientDescentMonitor<double> monitor1(initial, options, 1000);
    TrainingState<double> state{recipe.network, 0};
    TrainingOutcome outcome =
        monitored_descent(state, problem.inputs, problem.targets, TrainingPlan::constant(T1, eta, 0.0), monitor1);
    ASSERT_EQ(outcome.status, TrainingStatus::completed) << outcome.message;
    const Verdict phase1 = monitor1.verdict();
    expect_monitored_run_holds(phase1, {"T4.5", "T4.9", "T4.10", "T4.12", "T4.15", "T4.17", "T4.18"});
    for (const ProofStepCheck& s : phase1.steps)
        if (s.outcome != Comparison::holds) {
            EXPECT_EQ(s.outcome, Comparison::tight) << s.id;
            EXPECT_NE(s.lhs_name.find("within rounding"), std::string::npos) << s.id << " " << s.lhs_name;
        }
    EXPECT_EQ(find_step(phase1, "T4.18")->outcome, Comparison::holds);
    EXPECT_EQ(phase1.conclusion, Comparison::holds);
    EXPECT_NE(phase1.status, VerdictStatus::violated);

    // Phase 2 (512 bits).
    const Precision precision = Precision::mpfr_bits(512);
    MpfrPrecisionScope scope(precision);
    const double lambda2 = eps1 * eps1 / (4 * q.theta_bar * q.theta_bar);
    const Matrix<Mpfr> x = from_double<Mpfr>(problem.inputs), y = from_double<Mpfr>(problem.targets);
    TrainingState<Mpfr> state2{network_from_double<Mpfr>(state.network), T1};
    const T4Phase2<Mpfr> p = t4_phase2_quantities(state2.network, x, y, Mpfr(lambda2), eps2);
    const double eta2 = 0.99 * ScalarTraits<Mpfr>::to_double(p.eta2_max);
    std::cout << "lambda2 = " << lambda2 << ", c_level = " << p.c_level << ", eta2_max = " << p.eta2_max << "\n";
    const NetworkCheckState<Mpfr> initial2 =
        network_check_state(network_from_double<Mpfr>(recipe.network), x, sorted_labels(K, n), K, precision);
    T4GradientDescentMonitor<Mpfr> monitor2(initial2, options, 1);
    outcome = monitored_descent(state2, x, y, TrainingPlan::two_phase(T1, eta, 0.0, 20, eta2, lambda2), monitor2);
    ASSERT_EQ(outcome.status, TrainingStatus::completed) << outcome.message;
    const Verdict phase2 = monitor2.verdict();
    expect_monitored_run_holds(phase2, {"T4.22", "T4.23", "T4.24", "T4.25", "T4.26", "T4.27"});
    for (const ProofStepCheck& s : phase2.steps) EXPECT_EQ(s.outcome, Comparison::holds) << s.id << " " << s.lhs_name;
    EXPECT_EQ(phase2.conclusion, Comparison::holds);
    // The only open item is T2_len (reported in a note); the verdict is inconclusive for it.
    EXPECT_EQ(phase2.status, VerdictStatus::inconclusive);
    Index open = 0;
    for (const std::string& note : phase2.notes)
        if (note.find("not verifiable") != std::string::npos) {
            ++open;
            EXPECT_NE(note.find("T2_len"), std::string::npos) << note;
        }
    EXPECT_EQ(open, 1);
}

// Part (d): phase 1 with a small weight decay from the recipe (INIT with 8: the recipe's
// ratio 4 gbar e0/(alpha_PL R_max) is 0.26 here), eta = 0.99/(2 lip_grad), lambda = 0.01,
// 20,000 steps (drift1b(T) <= R, checked as a step): T4.19 and T4.20 hold at every decided
// step, nothing fails.
TEST(T4GradientDescent, PhaseOneWithWeightDecay) {
    const Index K = 2, n = 2;
    const SmallProblem problem = small_problem(3, K, n, {5, 3, 2}, 1, Activation::smooth_leaky_relu(0.5), 11);
    const T4Recipe recipe = t4_initialization_recipe(problem.spec, problem.inputs, 3);
    const NetworkCheckState<double> initial =
        network_check_state(recipe.network, problem.inputs, sorted_labels(K, n), K, Precision::ieee_double());
    const T4Initialization<double> q = t4_initialization_quantities(initial);
    const double eta = 0.99 / (2 * q.lip_grad), lambda = 0.01;
    T4GradientDescentMonitor<double> monitor(initial, {}, 1000);
    TrainingState<double> state{recipe.network, 0};
    const TrainingOutcome outcome =
        monitored_descent(state, problem.inputs, problem.targets, TrainingPlan::constant(20000, eta, lambda), monitor);
    ASSERT_EQ(outcome.status, TrainingStatus::completed) << outcome.message;
    const Verdict verdict = monitor.verdict();
    expect_monitored_run_holds(verdict, {"T4.19", "T4.20"});
    for (const ProofStepCheck& s : verdict.steps) {
        if (s.outcome != Comparison::holds) {
            EXPECT_NE(s.lhs_name.find("within rounding"), std::string::npos) << s.id;
        }
    }
    EXPECT_EQ(verdict.conclusion, Comparison::holds);
}

TEST(T4GradientDescent, IsATrajectoryChecker) {
    const std::vector<CheckerEntry>& registry = checker_registry();
    const auto entry =
        std::find_if(registry.begin(), registry.end(), [](const CheckerEntry& e) { return e.id == "T4"; });
    ASSERT_NE(entry, registry.end());
    EXPECT_EQ(entry->kind, CheckerKind::trajectory);
    EXPECT_EQ(entry->certify, nullptr);
}
