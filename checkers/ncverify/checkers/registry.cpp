#include "ncverify/checkers/registry.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "ncverify/checkers/t1_nc1.hpp"
#include "ncverify/checkers/t2_nc2.hpp"
#include "ncverify/checkers/t3_nc3.hpp"
#include "ncverify/checkers/t5_near_optimal.hpp"
#include "ncverify/checkers/t6_large_step_stability.hpp"

namespace ncverify {

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
    std::vector<Verdict> verdicts;
    for (const CheckerEntry& entry : registry) {
        if (entry.kind != CheckerKind::state) continue;
        if (!selected.empty() && std::find(selected.begin(), selected.end(), entry.id) == selected.end()) continue;
        if constexpr (std::is_same_v<S, double>)
            verdicts.push_back(entry.run_double(state, options));
        else
            verdicts.push_back(entry.run_mpfr(state, options));
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
            verdicts.push_back(entry.run_network_double(state, options));
        else
            verdicts.push_back(entry.run_network_mpfr(state, options));
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
