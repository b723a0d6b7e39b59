// T5 (proofs_notes/T5_near_optimal.md): the Schatten cost bound and the measured form on
// random linear heads (rapidcheck); the equality case of part (a) against the singular
// values the instance was built with; the certified lower bound LB_cert against a brute
// force minimisation and against every state of GD runs; small networks trained to
// near-optimality from several seeds, with the epsilon-optimality report.
#include "ncverify/checkers/t5_near_optimal.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>


#include "ncverify/checkers/registry.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/training/gradient_descent.hpp"
#include "support/head_instances.hpp"
#include "support/small_problem.hpp"
#include "support/verdict_assertions.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

const ProofStepCheck* find_step(const Verdict& verdict, const std::string& id) {
    for (const ProofStepCheck& step : verdict.steps)
        if (step.id == id) return &step;
    return nullptr;
}

std::vector<Index> sorted_labels(Index K, Index n) {
    std::vector<Index> labels;
    for (Index i = 0; i < K * n; ++i) labels.push_back(i / n);
    return labels;
}

}  // namespace

RC_GTEST_PROP(T5NearOptimal, NoStepFailsOnRandomHeadsDouble, ()) {
    const Verdict verdict = check_t5_near_optimal(head_instance(*head_parameters()));
    RC_CLASSIFY(verdict.status == VerdictStatus::holds, "holds");
    RC_CLASSIFY(verdict.status == VerdictStatus::inconclusive, "inconclusive");
    RC_CLASSIFY(verdict.status == VerdictStatus::hypotheses_not_met, "hypotheses not met");
    assert_sound(verdict);
}

RC_GTEST_PROP(T5NearOptimal, NoStepFailsOnRandomHeadsMpfr256, ()) {
    const HeadParameters parameters = *head_parameters(3, 3);
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    assert_sound(check_t5_near_optimal(convert_state<Mpfr>(head_instance(parameters), precision)));
}

RC_GTEST_PROP(T5NearOptimal, BrokenInterpolationIsNeverReportedAsHolding, ()) {
    // ||E||_op >= 3 sqrt(n/K) > sqrt(n) for K <= 5 (head_instance.hpp, T1 test).
    RC_ASSERT(check_t5_near_optimal(head_instance(*head_parameters(), true)).status ==
              VerdictStatus::hypotheses_not_met);
}

// Part (a) is an equality for an exactly balanced chain (T5.4's equality case): with the
// instance's singular values s_i = scale 10^{-log10_kappa i/(K-1)} of every layer,
// lin_cost/L2 = sum_i s_i^2 = schatten (s_i(A) = s_i^{L2}). Computed here from the
// parameters, independently of the checker's SVDs; in double the sides agree to 1e-12
// relative (rounding of the SVDs and of the 1e-20 perturbation, none at this level).
TEST(T5NearOptimal, BalancedChainMakesPartAAnEquality) {
    HeadParameters p;
    p.num_classes = 3;
    p.per_class = 4;
    p.linear_layers = 3;
    p.widths = {6, 5, 4, 3};
    p.log10_kappa = 1.0;
    p.scale = 2.0;
    p.log10_perturbation = -20;
    p.log10_fit = -20;
    p.seed = 5;
    const Verdict verdict = check_t5_near_optimal(make_head_instance(p));
    double expected = 0;
    for (Index i = 0; i < p.num_classes; ++i) {
        const double s = p.scale * std::pow(10.0, -p.log10_kappa * double(i) / double(p.num_classes - 1));
        expected += s * s;
    }
    for (const char* id : {"T5.2", "T5.3", "T5.4"}) {
        const ProofStepCheck* step = find_step(verdict, id);
        ASSERT_NE(step, nullptr) << id << verdict_details(verdict);
        EXPECT_NEAR(step->lhs, expected, 1e-12 * expected) << id;
        EXPECT_NEAR(step->rhs, expected, 1e-12 * expected) << id;
        EXPECT_NE(step->outcome, Comparison::fails) << id;
    }
    EXPECT_NE(verdict.status, VerdictStatus::violated) << verdict_details(verdict);
}

// LB_cert (T5.18) is a lower bound on min C_lambda over *all* networks. Independent check
// on the one-dimensional problem it reduces to: for fixed u, the minimum over t of
// (lambda/2) u + K [1/2 (t - sqrt(n))^2 + (lambda L2/2)(t/Phi(u))^{2/L2}] is found by a
// fine grid (1,000 x 10,000 points, an *upper* estimate of that minimum); LB_cert must be
// below it for every u. Also LB_cert <= C_ub.
TEST(T5NearOptimal, CertifiedLowerBoundIsBelowTheReducedProblem) {
    const Index K = 3, n = 4, L1 = 2, L2 = 3;
    const double x_op = 2.5, lambda = 0.02, C_ub = 1.5;
    const double lb = t5_certified_lower_bound(x_op, K, n, L1, L2, lambda, C_ub);
    EXPECT_LE(lb, C_ub);
    EXPECT_GT(lb, 0.0);
    double reduced_min = C_ub;
    const double sqrt_n = std::sqrt(double(n)), p = 2.0 / L2;
    for (int j = 1; j <= 1000; ++j) {
        const double u = 2 * C_ub / lambda * j / 1000.0;
        const double phi = x_op * std::pow(u / L1, L1 / 2.0);
        double best = 1e300;
        for (int k = 0; k <= 10000; ++k) {
            const double t = sqrt_n * k / 10000.0;
            best = std::min(best, 0.5 * (t - sqrt_n) * (t - sqrt_n) + lambda * L2 / 2 * std::pow(t / phi, p));
        }
        reduced_min = std::min(reduced_min, lambda / 2 * u + K * best);
    }
    EXPECT_LE(lb, reduced_min);
    // The grid of 400 points loses little: within 10% of the reduced minimum here.
    EXPECT_GT(lb, 0.9 * reduced_min) << "lb " << lb << " reduced " << reduced_min;
}

// Small networks trained by GD on C_lambda from three seeds. C_best is the
// best final loss; for every run: no step fails (T5.17/T5.18 with LB_cert against every
// recorded state of its trajectory as well), eps_est = C_lambda - C_best >= 0 and
// eps_est <= eps_cert = C_lambda - LB_cert (LB_cert <= min C_lambda <= C_best).
TEST(T5NearOptimal, NetworksTrainedToNearOptimalityFromSeveralSeeds) {
    const Index K = 2, n = 3;
    const SmallProblem problem = small_problem(5, K, n, {8, 4, 3, 2}, 1, Activation::smooth_leaky_relu(0.2), 21);
    const double lambda = 0.01, eta = 0.1;
    std::vector<Network<double>> finals;
    std::vector<double> losses;
    double worst_state_ratio = 0;  // max over recorded states of LB_cert / C_lambda(theta_t)
    for (std::uint64_t seed : {1, 2, 3}) {
        TrainingState<double> training{initialize_network(problem.spec, {InitScheme::lecun, {}, seed}), 0};
        std::vector<double> recorded;
        const StepObserver<double> observer = [&](const StepView<double>& view) {
            if (view.state.step % 500 == 0 || view.is_final) recorded.push_back(view.evaluation.loss);
            return true;
        };
        const TrainingOutcome outcome = gradient_descent(training, problem.inputs, problem.targets,
                                                         TrainingPlan::constant(20000, eta, lambda), {}, observer);
        ASSERT_EQ(outcome.status, TrainingStatus::completed) << outcome.message;
        const double x_op = spectral_norm(problem.inputs);
        const double lb = t5_certified_lower_bound(x_op, K, n, problem.spec.nonlinear_layers,
                                                   problem.spec.linear_layers, lambda, recorded.back());
        for (double c : recorded) {
            EXPECT_LE(lb, c);
            worst_state_ratio = std::max(worst_state_ratio, lb / c);
        }
        finals.push_back(training.network);
        losses.push_back(recorded.back());
    }
    const double best = *std::min_element(losses.begin(), losses.end());
    CheckerOptions options;
    options.weight_decay = lambda;
    options.best_loss = best;
    for (std::size_t i = 0; i < finals.size(); ++i) {
        const Verdict verdict = check_t5_near_optimal(
            network_check_state(finals[i], problem.inputs, sorted_labels(K, n), K, Precision::ieee_double()), options);
        EXPECT_EQ(verdict.first_failed_step(), nullptr) << verdict_details(verdict);
        EXPECT_NE(verdict.status, VerdictStatus::violated) << verdict_details(verdict);
        EXPECT_NE(verdict.status, VerdictStatus::hypotheses_not_met) << verdict_details(verdict);
        const ProofStepCheck* t518 = find_step(verdict, "T5.18");
        ASSERT_NE(t518, nullptr) << verdict_details(verdict);
        const double eps_cert = losses[i] - t518->lhs, eps_est = losses[i] - best;
        EXPECT_GE(eps_est, 0.0);
        EXPECT_LE(eps_est, eps_cert);
        std::cout << "seed " << i + 1 << ": C_lambda " << losses[i] << " eps_est " << eps_est << " eps_cert "
                  << eps_cert << " LB_cert/C_lambda " << t518->lhs / losses[i] << " kappa_A^(2/L2)/kA_pow_meas "
                  << verdict.ratio << " status " << verdict_status_name(verdict.status) << "\n";
        for (const ProofStepCheck& step : verdict.steps)
            if (step.outcome == Comparison::tight)
                std::cout << "  tight (equal within rounding): " << step.id << " " << step.lhs_name << " " << step.lhs
                          << " " << step.relation << " " << step.rhs << "\n";
    }
    std::cout << "worst LB_cert/C_lambda over recorded states " << worst_state_ratio << "\n";
    // The same state at 128 bits (the network form in MPFR): no step fails.
    {
        const Precision precision = Precision::mpfr_bits(128);
        MpfrPrecisionScope scope(precision);
        const Verdict high = check_t5_near_optimal(
            network_check_state(network_from_double<Mpfr>(finals[0]), from_double<Mpfr>(problem.inputs),
                                sorted_labels(K, n), K, precision),
            options);
        EXPECT_EQ(high.first_failed_step(), nullptr) << verdict_details(high);
        EXPECT_NE(high.status, VerdictStatus::violated);
    }
}

TEST(T5NearOptimal, IsAStateChecker) {
    const std::vector<Verdict> verdicts =
        run_checkers(head_instance(HeadParameters{2, 3, 2, {3, 2, 2}, 0.5, 1.0, -3, -3, 0, 7, false}));
    EXPECT_TRUE(std::any_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return v.result == "T5"; }));
}
