#pragma once
// The "no biases" hypotheses (THEORY.md §1: the paper's networks have none). A network
// imported with biases is checked as it is stored, never as if its biases were absent:
// a checker whose theorem assumes no bias reports the hypothesis as not met and
// evaluates nothing else; `ncv measure` reports NC1-NC4 of the real outputs.

#include <string>

#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/verdict_builder.hpp"

namespace ncverify {

/// The hypothesis "bias-free <part>" given the number of layers with a bias; returns
/// whether it holds.
template <class S>
bool bias_free_hypothesis(const std::string& part, Index biased_layers, VerdictBuilder<S>& v) {
    v.exact_hypothesis("bias-free " + part, "no layer has a bias (the theorem assumes none)", double(biased_layers), "=",
                       0, biased_layers == 0);
    if (biased_layers > 0)
        v.note("the " + part + " has biases, which the theorem does not cover, so nothing else is evaluated; "
               "`ncv measure` reports NC1-NC4 of this network's real outputs");
    return biased_layers == 0;
}

/// Theorem 3.1 (T1-T3) and T5's head form: the linear head W_{L1+1} .. W_L has no bias.
template <class S>
bool bias_free_head_hypothesis(const CheckState<S>& state, VerdictBuilder<S>& v) {
    Index biased = 0;
    for (Index j = 1; j <= state.linear_layers(); ++j) biased += state.has_head_bias(j);
    return bias_free_hypothesis("head", biased, v);
}

/// Results about the whole network (T5's epsilon-optimality report, T6): no layer has a
/// bias (their costs, gradients and Hessians are those of the bias-free network).
template <class S>
bool bias_free_network_hypothesis(const Network<S>& network, VerdictBuilder<S>& v) {
    Index biased = 0;
    for (Index l = 1; l <= network.num_layers(); ++l) biased += network.has_bias(l);
    return bias_free_hypothesis("network", biased, v);
}

}  // namespace ncverify
