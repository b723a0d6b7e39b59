#include "ncverify/checkers/balancedness_identity.hpp"

#include <fmt/core.h>

#include "ncverify/checkers/verdict_builder.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/linalg/trace_norms.hpp"
#include "ncverify/metrics/balancedness.hpp"

namespace ncverify {

template <class S>
BalancednessIdentityMonitor<S>::BalancednessIdentityMonitor(NetworkSpec spec, Precision precision, CheckerOptions options)
    : spec_(std::move(spec)), precision_(precision), options_(options) {
    for (Index l = 0; l <= spec_.num_layers(); ++l) largest_dimension_ = std::max(largest_dimension_, spec_.width(l));
}

template <class S>
void BalancednessIdentityMonitor<S>::observe(const StepView<S>& view) {
    using std::abs;
    const Network<S>& network = view.state.network;
    const Index first_linear_pair = spec_.nonlinear_layers + 1;
    const S tau = checker_tolerance<S>(options_, largest_dimension_);
    if (pairs_.empty())
        for (Index l = first_linear_pair; l < spec_.num_layers(); ++l) {
            const S gap = balancedness_gap(network.weight(l), network.weight(l + 1));
            // Built in place: moving a record of Mpfr values trips GCC 12's
            // -Wmaybe-uninitialized inside Boost's mpfr move constructor at -O1.
            PairRecord& pair = pairs_.emplace_back();
            pair.layer = l;
            pair.initial_gap = pair.current_gap = pair.unrolled_bound = gap;
            pair.regularized_sharp = pair.regularized_bound = gap;
        }
    for (PairRecord& pair : pairs_) {
        // L1.3 at the current state.
        const auto index = static_cast<std::size_t>(pair.layer - 1);
        const Matrix<S>& w = network.weight(pair.layer);
        const Matrix<S>& w_next = network.weight(pair.layer + 1);
        const Matrix<S>& g = view.evaluation.data_gradient[index];
        const Matrix<S>& g_next = view.evaluation.data_gradient[index + 1];
        const S residual = frobenius_norm(Matrix<S>(multiply(w_next.transpose(), g_next) - multiply(g, w.transpose())));
        const S scale = frobenius_norm(w_next) * frobenius_norm(g_next) + frobenius_norm(w) * frobenius_norm(g);
        if (scale > 0) pair.worst_gradient_identity = std::max(pair.worst_gradient_identity, S(residual / scale));
    }
    if (previous_weights_) {
        const StepSetting& setting = *previous_setting_;
        const S eta(setting.learning_rate), lambda(setting.weight_decay);
        const S decay = (S(1) - eta * lambda) * (S(1) - eta * lambda);  // q_t of L1.5
        const S contraction = S(1) - S(2) * eta * lambda;                // 1 - 2 eta_t lambda_t of L1.13
        for (PairRecord& pair : pairs_) {
            const auto index = static_cast<std::size_t>(pair.layer - 1);
            const Matrix<S>& w_prev = (*previous_weights_)[index];
            const Matrix<S>& w_next_prev = (*previous_weights_)[index + 1];
            const Matrix<S>& g = (*previous_gradients_)[index];
            const Matrix<S>& g_next = (*previous_gradients_)[index + 1];
            const Matrix<S> previous_gap_matrix = balancedness_matrix(w_prev, w_next_prev);
            const Matrix<S>& w = network.weight(pair.layer);
            const Matrix<S>& w_next = network.weight(pair.layer + 1);
            const Matrix<S> actual = balancedness_matrix(w, w_next);
            // L1.5 (the (1 - eta lambda)^2 form), relative to the magnitudes of its terms.
            const Matrix<S> gradient_term = multiply(g_next.transpose(), g_next) - multiply(g, g.transpose());
            const Matrix<S> predicted = decay * previous_gap_matrix + eta * eta * gradient_term;
            const S scale = squared_frobenius_norm(w_next_prev) + squared_frobenius_norm(w_prev) +
                            eta * eta * (squared_frobenius_norm(g_next) + squared_frobenius_norm(g));
            pair.worst_identity_residual =
                std::max(pair.worst_identity_residual, S(frobenius_norm(Matrix<S>(actual - predicted)) / scale));
            // L1.13 (regularized form) with Gamma = G + lambda W, computed as in gradient_step.
            const Matrix<S> gamma = g + lambda * w_prev;
            const Matrix<S> gamma_next = g_next + lambda * w_next_prev;
            const Matrix<S> gamma_gram_next = multiply(gamma_next.transpose(), gamma_next);
            const Matrix<S> gamma_gram = multiply(gamma, gamma.transpose());
            const Matrix<S> regularized_term = gamma_gram_next - gamma_gram;
            const Matrix<S> regularized_prediction = contraction * previous_gap_matrix + eta * eta * regularized_term;
            // Rounding scale: every term of L1.13 and of its derivation (W(t+1)^T W(t+1), the
            // cross terms eta W^T Gamma that cancel only in exact arithmetic by L1.3,
            // (1 - 2 eta lambda) W^T W, eta^2 Gamma^T Gamma, for both layers) is a product of
            // matrices with ||.||_F <= ||W||_F + eta ||Gamma||_F (||W(t+1)||_F by L1.4), times at most
            // max(1, |1 - 2 eta lambda|); a computed product X^T Y errs by <= n u ||X||_F ||Y||_F,
            // so the residual is <= c n u M with M below and c a small constant (tau = 2^8 n u).
            const S reach_next = frobenius_norm(w_next_prev) + eta * frobenius_norm(gamma_next);
            const S reach = frobenius_norm(w_prev) + eta * frobenius_norm(gamma);
            const S magnitude = std::max(S(1), S(abs(contraction))) * (reach_next * reach_next + reach * reach);
            pair.worst_regularized_residual = std::max(
                pair.worst_regularized_residual, S(frobenius_norm(Matrix<S>(actual - regularized_prediction)) / magnitude));
            // L1.7 (one step), the L1.8 recursion, and the two L1.15 recursions.
            const S previous_gap = pair.current_gap;
            const S g_squared = symmetric_spectral_norm(gradient_term);
            pair.current_gap = symmetric_spectral_norm(actual);
            const Index t = updates_ + 1;
            pair.one_step.update(pair.current_gap, S(decay * previous_gap + eta * eta * g_squared), t, tau);
            pair.largest_gradient_term = std::max(pair.largest_gradient_term, g_squared);
            pair.unrolled_bound = decay * pair.unrolled_bound + eta * eta * g_squared;
            const S gamma_squared = std::max(symmetric_spectral_norm(gamma_gram_next), symmetric_spectral_norm(gamma_gram));
            pair.regularized_sharp =
                abs(contraction) * pair.regularized_sharp + eta * eta * symmetric_spectral_norm(regularized_term);
            pair.regularized_bound = abs(contraction) * pair.regularized_bound + eta * eta * gamma_squared;
            pair.regularized_sharp_steps.update(pair.current_gap, pair.regularized_sharp, t, tau);
            pair.regularized_steps.update(pair.current_gap, pair.regularized_bound, t, tau);
            if (pair.current_gap > 0) {
                const double slack = ScalarTraits<S>::to_double(pair.regularized_bound / pair.current_gap);
                pair.loosest = std::max(pair.loosest, slack);
                pair.tightest = std::min(pair.tightest, slack);
            }
        }
        ++updates_;
    }
    last_weights_ = network.weights;
    last_gradients_ = view.evaluation.data_gradient;
    last_setting_ = view.setting;
    if (!view.is_final) {
        if (constant_setting_ && (constant_setting_->learning_rate != view.setting.learning_rate ||
                                  constant_setting_->weight_decay != view.setting.weight_decay))
            plan_is_constant_ = false;
        if (!constant_setting_) constant_setting_ = view.setting;
        previous_weights_ = network.weights;
        previous_gradients_ = view.evaluation.data_gradient;
        previous_setting_ = view.setting;
    }
}

template <class S>
Verdict BalancednessIdentityMonitor<S>::verdict() const {
    Verdict header;
    header.result = "L1";
    header.title = "GD balancedness identity and decay of ||D_l||";
    header.provenance = Provenance::explicit_constants;
    header.proof_note = "proofs_notes/L1_balancedness.md";
    header.precision = precision_.to_string();
    VerdictBuilder<S> v(header, checker_tolerance<S>(options_, largest_dimension_));
    v.exact_hypothesis("linear pairs", "L2 >= 2", double(spec_.linear_layers), ">=", 2, spec_.linear_layers >= 2);
    v.exact_hypothesis("trajectory", "observed updates >= 1", double(updates_), ">=", 1, updates_ >= 1);
    if (pairs_.empty() || updates_ == 0) return v.finish();
    const bool closed_form = plan_is_constant_ && constant_setting_ && constant_setting_->weight_decay > 0;
    v.note(fmt::format("{} updates observed; every step checked. Identity residuals are relative: L1.3 to "
                       "||W_(l+1)||_F ||G_(l+1)||_F + ||W_l||_F ||G_l||_F, L1.5 to ||W_(l+1)||_F^2 + ||W_l||_F^2 + "
                       "eta^2 (||G_(l+1)||_F^2 + ||G_l||_F^2), L1.13 to max(1, |1 - 2 eta lambda|) "
                       "((||W_(l+1)||_F + eta ||Gamma_(l+1)||_F)^2 + (||W_l||_F + eta ||Gamma_l||_F)^2), at t",
                       updates_));
    double worst_ratio = -1;
    S worst_measured(0), worst_bound(1);
    std::string worst_name;
    const S tau = checker_tolerance<S>(options_, largest_dimension_);
    if (closed_form)
        v.hypothesis("step size", "0 < eta lambda < 2", S(constant_setting_->learning_rate) * S(constant_setting_->weight_decay),
                     "<", S(2));
    for (const PairRecord& pair : pairs_) {
        const std::string l = std::to_string(pair.layer);
        v.step("L1.3[" + l + "]", "max_t rel. residual of W_(l+1)^T G_(l+1) = G_l W_l^T", pair.worst_gradient_identity, "<=",
               "rounding level tau", tau);
        v.step("L1.5[" + l + "]", "max_t rel. residual of D(t+1) = (1 - eta lambda)^2 D(t) + eta^2 F(t)",
               pair.worst_identity_residual, "<=", "rounding level tau", tau);
        v.step("L1.13[" + l + "]", "max_t rel. residual of D(t+1) = (1 - 2 eta lambda) D(t) + eta^2 FGamma(t)",
               pair.worst_regularized_residual, "<=", "rounding level tau", tau);
        pair.one_step.report(v, "L1.7[" + l + "]", "||D_" + l + "(t+1)||_op", "<=",
                             "(1 - eta lambda)^2 ||D(t)||_op + eta^2 ||F(t)||_op");
        v.step("L1.8[" + l + "]", "||D_" + l + "(T)||_op", pair.current_gap, "<=",
               "unrolled: prod q_t ||D(0)|| + sum eta_t^2 prod_(s>t) q_s ||F(t)||", pair.unrolled_bound, pair.initial_gap);
        if (closed_form) {
            const S eta(constant_setting_->learning_rate), lambda(constant_setting_->weight_decay);
            using std::pow;
            const S q_power = pow((S(1) - eta * lambda) * (S(1) - eta * lambda), S(updates_));
            const S closed = q_power * pair.initial_gap +
                             eta * pair.largest_gradient_term * (S(1) - q_power) / (lambda * (S(2) - eta * lambda));
            v.step("L1.8[" + l + "]", "||D_" + l + "(T)||_op", pair.current_gap, "<=",
                   "q^T ||D(0)||_op + eta g^2 (1 - q^T) / (lambda (2 - eta lambda))", closed, pair.initial_gap);
            v.note(fmt::format("pair {}: the (1 - eta lambda)^2 closed form L1.8 is {} x ||D(T)||_op", l,
                               ScalarTraits<S>::to_double(closed / pair.current_gap)));
        }
        if (last_setting_ && last_setting_->weight_decay > 0) {
            const auto index = static_cast<std::size_t>(pair.layer - 1);
            const S lambda(last_setting_->weight_decay);
            const Matrix<S>& w = (*last_weights_)[index];
            const Matrix<S>& w_next = (*last_weights_)[index + 1];
            const Matrix<S> grad = (*last_gradients_)[index] + lambda * w;
            const Matrix<S> grad_next = (*last_gradients_)[index + 1] + lambda * w_next;
            v.step("L1.10[" + l + "]", "||D_" + l + "||_op at the last state", pair.current_gap, "<=",
                   "(||W_(l+1)|| ||grad_(l+1) C|| + ||W_l|| ||grad_l C||) / lambda",
                   (spectral_norm(w_next) * spectral_norm(grad_next) + spectral_norm(w) * spectral_norm(grad)) / lambda);
        }
        pair.regularized_sharp_steps.report(v, "L1.15[" + l + "]", "||D_" + l + "(t)||_op", "<=",
                                            "prod |1 - 2 eta lambda| ||D(0)|| + sum eta^2 prod |1 - 2 eta lambda| ||FGamma||_op");
        pair.regularized_steps.report(v, "L1.15[" + l + "]", "||D_" + l + "(t)||_op", "<=",
                                      "prod |1 - 2 eta lambda| ||D(0)|| + sum eta^2 prod |1 - 2 eta lambda| ||Gamma||_op^2");
        if (pair.tightest <= pair.loosest)
            v.note(fmt::format("pair {}: the regularized bound L1.15 (||Gamma||_op^2 form) is {} x ||D(T)||_op at T, "
                               "between {} and {} x ||D(t)||_op over the run",
                               l, ScalarTraits<S>::to_double(pair.regularized_bound / pair.current_gap), pair.tightest,
                               pair.loosest));
        const double ratio = ScalarTraits<S>::to_double(pair.current_gap / pair.regularized_bound);
        if (ratio > worst_ratio) {
            worst_ratio = ratio;
            worst_measured = pair.current_gap;
            worst_bound = pair.regularized_bound;
            worst_name = "regularized bound L1.15 at T (pair " + l + ")";
        }
    }
    v.conclude("||D_l(T)||_op (worst pair)", worst_measured, worst_name, worst_bound);
    return v.finish();
}

template class BalancednessIdentityMonitor<double>;
template class BalancednessIdentityMonitor<Mpfr>;

}  // namespace ncverify
