#include "ncverify/checkers/registry.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "ncverify/checkers/t1_nc1.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/checkers/t3_nc3.hpp"
#include "ncverify/checkers/t5_near_optimal.hpp"
#include "ncverify/checkers/t6_large_step_stability.hpp"

namespace ncverify {
namespace {

// Extreme magnitudes (verdict.hpp: a valid input always gets a verdict).
//
// The checkers form products, squares and fourth powers of norms of their inputs. When
// the largest |entry| of every input matrix lies in [2^-100, 2^100] (dimensions < 2^31,
// so norms lie in [2^-100, 2^116]), products of up to eight such norms stay inside
// double's normal range [2^-1022, 2^1024) and the double evaluation neither overflows nor
// underflows. Outside that window - and whenever a double evaluation still meets a
// non-finite value - the checker is evaluated in MPFR at 53 bits instead: the same
// rounding unit, hence the same tolerances, with MPFR's exponent range (about 2^±2^30).
// The verdict says so in a note.
constexpr int double_safe_exponent = 100;

bool within_double_window(const Matrix<double>& m) {
    const double largest = m.size() == 0 ? 0.0 : m.cwiseAbs().maxCoeff();
    return largest == 0 || (largest >= std::ldexp(1.0, -double_safe_exponent) &&
                            largest <= std::ldexp(1.0, double_safe_exponent));
}

/// "" when every input is inside the window, else a sentence naming the first one outside.
std::string outside_double_window(const CheckState<double>& state) {
    const auto describe = [](const std::string& name, const Matrix<double>& m) {
        return fmt::format("the largest |entry| of {} is {:.3g}, outside [2^-{}, 2^{}] where double's products cannot "
                           "overflow or underflow",
                           name, m.cwiseAbs().maxCoeff(), double_safe_exponent, double_safe_exponent);
    };
    if (!within_double_window(state.head_input)) return describe("the features H_{L1}", state.head_input);
    for (Index j = 1; j <= state.linear_layers(); ++j)
        if (!within_double_window(state.head_weight(j)))
            return describe(fmt::format("head weight {} of {}", j, state.linear_layers()), state.head_weight(j));
    return {};
}

std::string outside_double_window(const NetworkCheckState<double>& state) {
    if (!within_double_window(state.inputs))
        return fmt::format("the largest |entry| of the inputs X is {:.3g}, outside [2^-{}, 2^{}]",
                           state.inputs.cwiseAbs().maxCoeff(), double_safe_exponent, double_safe_exponent);
    for (Index l = 1; l <= state.network.num_layers(); ++l)
        if (!within_double_window(state.network.weight(l)))
            return fmt::format("the largest |entry| of W_{} is {:.3g}, outside [2^-{}, 2^{}]", l,
                               state.network.weight(l).cwiseAbs().maxCoeff(), double_safe_exponent,
                               double_safe_exponent);
    return {};
}

CheckState<Mpfr> to_mpfr(const CheckState<double>& state, const Precision& precision) {
    return convert_check_state<Mpfr>(state, precision);
}

NetworkCheckState<Mpfr> to_mpfr(const NetworkCheckState<double>& state, const Precision& precision) {
    return network_check_state(network_from_double<Mpfr>(state.network), from_double<Mpfr>(state.inputs), state.labels,
                               state.num_classes, precision);
}

/// The verdict of a check that could not be evaluated at all (a non-finite value in a
/// decomposition even in MPFR): inconclusive, with the reason, never an error.
Verdict unevaluated_verdict(const CheckerEntry& entry, const std::string& precision, const std::string& why) {
    Verdict v = verdict_header(entry.id, entry.title, entry.provenance, entry.proof_note, precision);
    v.status = VerdictStatus::inconclusive;
    v.reason = fmt::format("the check could not be evaluated: {}; rerun with --certified or a higher precision", why);
    return v;
}

/// A double state: evaluated by `run`, or - outside the window, or when the double
/// evaluation meets a non-finite value - by `run_wide` on its exact MPFR-53 conversion.
template <class DoubleState, class WideState>
Verdict evaluate_double(const CheckerEntry& entry, const DoubleState& state, const CheckerOptions& options,
                        Verdict (*run)(const DoubleState&, const CheckerOptions&),
                        Verdict (*run_wide)(const WideState&, const CheckerOptions&)) {
    std::string why = outside_double_window(state);
    if (why.empty()) {
        try {
            Verdict v = run(state, options);
            if (v.range_exceeded_at.empty()) return v;
            why = fmt::format("in double, a value of {} is not finite", v.range_exceeded_at);
        } catch (const NonFiniteValue&) {
            why = "a decomposition in double met a value outside double's range";
        }
    }
    const Precision wide = Precision::mpfr_bits(53);
    const MpfrPrecisionScope scope(wide);
    try {
        Verdict v = run_wide(to_mpfr(state, wide), options);
        v.notes.insert(v.notes.begin(), fmt::format("evaluated in MPFR at 53 bits (the rounding unit of double, a far "
                                                    "wider exponent range) because {}",
                                                    why));
        return v;
    } catch (const NonFiniteValue&) {
        return unevaluated_verdict(entry, wide.to_string(), why + ", and a value is not finite in MPFR either");
    }
}

/// An MPFR state: evaluated as it is; a non-finite value gives an inconclusive verdict.
template <class State>
Verdict evaluate_mpfr(const CheckerEntry& entry, const State& state, const CheckerOptions& options,
                      Verdict (*run)(const State&, const CheckerOptions&)) {
    try {
        return run(state, options);
    } catch (const NonFiniteValue&) {
        return unevaluated_verdict(entry, state.precision.to_string(),
                                   "a value of the computation is not finite at this precision");
    }
}

}  // namespace

const std::vector<CheckerEntry>& checker_registry() {
    static const std::vector<CheckerEntry> registry{
        {"T1", "interpolation + balancedness => NC1 (Thm 3.1)", Provenance::explicit_constants, "proofs_notes/T1_nc1.md",
         CheckerKind::state, &check_t1_nc1<double>, &check_t1_nc1<Mpfr>, &certify_t1_nc1},
        {"T2", "interpolation + balancedness + conditioning => NC2 (Thm 3.1)", Provenance::explicit_constants,
         "proofs_notes/T2_nc2.md", CheckerKind::state, &check_t2_nc2<double>, &check_t2_nc2<Mpfr>, &certify_t2_nc2},
        {"T3", "interpolation + balancedness + conditioning => NC3", Provenance::explicit_constants,
         "proofs_notes/T3_nc3.md", CheckerKind::state, &check_t3_nc3<double>, &check_t3_nc3<Mpfr>, &certify_t3_nc3},
        {"L1", "GD balancedness identity and decay of ||D_l||", Provenance::explicit_constants,
         "proofs_notes/L1_balancedness.md", CheckerKind::trajectory, nullptr, nullptr},
        {"T4", "gradient descent on wide networks: PL phase, then balancing (Thm 4.4)", Provenance::explicit_constants,
         "proofs_notes/T4_gradient_descent.md", CheckerKind::trajectory, nullptr, nullptr},
        {"T5", "near-optimal solutions are well conditioned (Thm 5.2)", Provenance::explicit_constants,
         "proofs_notes/T5_near_optimal.md", CheckerKind::state, &check_t5_near_optimal<double>, &check_t5_near_optimal<Mpfr>,
         &certify_t5_near_optimal},
        {"T6", "large-step stability => well-conditioned linear part (Prop. 5.3)", Provenance::explicit_constants,
         "proofs_notes/T6_large_step_stability.md", CheckerKind::network, nullptr, nullptr, nullptr,
         &check_t6_large_step_stability<double>, &check_t6_large_step_stability<Mpfr>},
    };
    return registry;
}

template <class S>
std::vector<Verdict> run_checkers(const CheckState<S>& state, const CheckerOptions& options,
                                  const std::vector<std::string>& selected) {
    const std::vector<CheckerEntry>& registry = checker_registry();
    for (const std::string& id : selected) {
        const auto entry = std::find_if(registry.begin(), registry.end(), [&](const CheckerEntry& e) { return e.id == id; });
        if (entry == registry.end()) {
            std::string valid;
            for (const CheckerEntry& e : registry) valid += (valid.empty() ? "" : ", ") + e.id;
            throw InvalidArgument(fmt::format("checker \"{}\" is unknown; valid checkers: {}", id, valid));
        }
        if (entry->kind == CheckerKind::trajectory)
            throw InvalidArgument(fmt::format("checker {} checks a training trajectory, not a single state; it runs "
                                              "during `ncv train`",
                                              id));
        if (entry->kind == CheckerKind::network)
            throw InvalidArgument(fmt::format("checker {} needs the whole network and its data (NetworkCheckState), not "
                                              "the linear head; run it with run_network_checkers",
                                              id));
    }
    const FeatureDecompositionScope<S> shared_decomposition(state.head_input_decomposition);
    std::vector<Verdict> verdicts;
    for (const CheckerEntry& entry : registry) {
        if (entry.kind != CheckerKind::state) continue;
        if (!selected.empty() && std::find(selected.begin(), selected.end(), entry.id) == selected.end()) continue;
        if constexpr (std::is_same_v<S, double>)
            verdicts.push_back(evaluate_double(entry, state, options, entry.run_double, entry.run_mpfr));
        else
            verdicts.push_back(evaluate_mpfr(entry, state, options, entry.run_mpfr));
    }
    return verdicts;
}

template <class S>
std::vector<Verdict> run_network_checkers(const NetworkCheckState<S>& state, const CheckerOptions& options,
                                          const std::vector<std::string>& selected) {
    const std::vector<CheckerEntry>& registry = checker_registry();
    for (const std::string& id : selected) {
        const auto entry = std::find_if(registry.begin(), registry.end(), [&](const CheckerEntry& e) { return e.id == id; });
        if (entry == registry.end() || entry->kind != CheckerKind::network) {
            std::string valid;
            for (const CheckerEntry& e : registry)
                if (e.kind == CheckerKind::network) valid += (valid.empty() ? "" : ", ") + e.id;
            throw InvalidArgument(fmt::format("checker \"{}\" is not a network checker; valid network checkers: {}", id, valid));
        }
    }
    std::vector<Verdict> verdicts;
    for (const CheckerEntry& entry : registry) {
        if (entry.kind != CheckerKind::network) continue;
        if (!selected.empty() && std::find(selected.begin(), selected.end(), entry.id) == selected.end()) continue;
        if constexpr (std::is_same_v<S, double>)
            verdicts.push_back(
                evaluate_double(entry, state, options, entry.run_network_double, entry.run_network_mpfr));
        else
            verdicts.push_back(evaluate_mpfr(entry, state, options, entry.run_network_mpfr));
    }
    return verdicts;
}

void certify_verdicts(std::vector<Verdict>& verdicts, const CertifiedStateSource& source, const CheckerOptions& options,
                      const CertificationOptions& certification) {
    std::vector<CertifyFunction> functions;
    std::vector<Verdict*> targets;
    for (Verdict& verdict : verdicts)
        for (const CheckerEntry& entry : checker_registry())
            if (entry.id == verdict.result && entry.certify) {
                functions.push_back(entry.certify);
                targets.push_back(&verdict);
            }
    if (functions.empty()) return;
    std::vector<Certificate> certificates = certify_all_with_escalation(functions, source, options, certification);
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i]->certificate = std::move(certificates[i]);
}

template std::vector<Verdict> run_checkers(const CheckState<double>&, const CheckerOptions&, const std::vector<std::string>&);
template std::vector<Verdict> run_checkers(const CheckState<Mpfr>&, const CheckerOptions&, const std::vector<std::string>&);
template std::vector<Verdict> run_network_checkers(const NetworkCheckState<double>&, const CheckerOptions&,
                                                   const std::vector<std::string>&);
template std::vector<Verdict> run_network_checkers(const NetworkCheckState<Mpfr>&, const CheckerOptions&,
                                                   const std::vector<std::string>&);

}  // namespace ncverify
