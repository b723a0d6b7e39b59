#pragma once
// The checker registry: every result ncverify checks, with how to run it.
//
//   kind = state       checks one network state (CheckState); run by run_checkers
//   kind = trajectory  checks a training trajectory; attached to training runs
//                      (BalancednessIdentityMonitor for L1; T4GradientDescentMonitor for
//                      T4), not run on a single state
//   kind = network     checks one state of the whole network with its data
//                      (NetworkCheckState: T6 needs the Hessian of C_lambda); run by
//                      run_network_checkers, skipped by run_checkers
//
// T5 is a state checker (its measured form reads the linear head only); its
// epsilon-optimality report needs the whole network and is given by the NetworkCheckState
// overload of check_t5_near_optimal.
//
// Certified mode (certification.hpp) is available for the state checkers T1 - T3 and
// T5 (`certify`). L1 has none: its identity is about the floating-point iterates of a
// run, which no enclosure of a single state can certify (proofs_notes/certificate.md §4).
// T4 and T6 have none either: certified mode for them is not implemented (T6's
// sharpness is a Lanczos estimate).

#include <string>
#include <vector>

#include "ncverify/checkers/certification.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/network_check_state.hpp"
#include "ncverify/checkers/verdict.hpp"

namespace ncverify {

enum class CheckerKind { state, trajectory, network };

struct CheckerEntry {
    std::string id;
    std::string title;
    Provenance provenance;
    std::string proof_note;
    CheckerKind kind;
    Verdict (*run_double)(const CheckState<double>&, const CheckerOptions&) = nullptr;
    Verdict (*run_mpfr)(const CheckState<Mpfr>&, const CheckerOptions&) = nullptr;
    CertifyFunction certify = nullptr;
    Verdict (*run_network_double)(const NetworkCheckState<double>&, const CheckerOptions&) = nullptr;
    Verdict (*run_network_mpfr)(const NetworkCheckState<Mpfr>&, const CheckerOptions&) = nullptr;
};

const std::vector<CheckerEntry>& checker_registry();

/// Runs the state checkers (all, or those named in `selected`) on one state. Throws
/// InvalidArgument naming an unknown id (with the valid ones) or a trajectory checker.
template <class S>
std::vector<Verdict> run_checkers(const CheckState<S>& state, const CheckerOptions& options = {},
                                  const std::vector<std::string>& selected = {});

/// Runs the network checkers (kind = network: all, or those named in `selected`) on one
/// network state. Throws InvalidArgument naming an unknown id or a checker of another kind.
template <class S>
std::vector<Verdict> run_network_checkers(const NetworkCheckState<S>& state, const CheckerOptions& options = {},
                                          const std::vector<std::string>& selected = {});

/// Certified mode: attaches to each verdict of a state checker (as returned by
/// run_checkers) its Certificate, computed from `source` with escalation.
void certify_verdicts(std::vector<Verdict>& verdicts, const CertifiedStateSource& source,
                      const CheckerOptions& options = {}, const CertificationOptions& certification = {});

extern template std::vector<Verdict> run_checkers(const CheckState<double>&, const CheckerOptions&,
                                                  const std::vector<std::string>&);
extern template std::vector<Verdict> run_checkers(const CheckState<Mpfr>&, const CheckerOptions&,
                                                  const std::vector<std::string>&);
extern template std::vector<Verdict> run_network_checkers(const NetworkCheckState<double>&, const CheckerOptions&,
                                                          const std::vector<std::string>&);
extern template std::vector<Verdict> run_network_checkers(const NetworkCheckState<Mpfr>&, const CheckerOptions&,
                                                          const std::vector<std::string>&);

}  // namespace ncverify
