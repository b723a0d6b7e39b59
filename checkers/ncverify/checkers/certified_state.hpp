#pragma once
// CertifiedState: what the certified checkers read, the ball counterpart of CheckState
// (check_state.hpp). Head weights are exact ball matrices of the stored weights; the
// head input H_{L1} is either exact (features supplied directly) or the enclosure of
// the forward pass from the exact weights and inputs (enclosure/forward_pass_enclosure.hpp).
//
// A CertifiedStateSource builds the state for one precision of the escalation ladder
// (certification.hpp): `bits` is the precision of the approximate decompositions, and the
// forward pass is re-enclosed at the BallPrecisionScope in force when it is called.

#include <functional>
#include <memory>
#include <vector>

#include "ncverify/checkers/check_state.hpp"
#include "ncverify/enclosure/ball_matrix.hpp"
#include "ncverify/network/network.hpp"

namespace ncverify {

struct CertifiedState {
    std::vector<ArbMatrix> head_weights;  // W_{L1+1} .. W_L, exact
    ArbMatrix head_input{0, 0};           // H_{L1}, exact or enclosed
    std::vector<Index> labels;            // sorted by class
    Index num_classes = 0;
    unsigned bits = 53;                   // approximation precision (53 = double)
    /// The head has biases: Theorem 3.1 does not cover it, and certification reports the
    /// "bias-free head" hypothesis as not met without calling a certify function
    /// (certification.cpp); head_features would ignore the biases.
    bool head_has_biases = false;

    Index linear_layers() const { return static_cast<Index>(head_weights.size()); }
    Index num_samples() const { return head_input.cols(); }
    /// W_{L1+j}, j = 1 .. L2.
    const ArbMatrix& head_weight(Index j) const { return head_weights.at(static_cast<std::size_t>(j - 1)); }
    /// H_{L1+j} = W_{L1+j} ... W_{L1+1} H_{L1}, j = 0 .. L2, enclosed.
    ArbMatrix head_features(Index j) const;
    /// Y (K x N, exact).
    ArbMatrix targets() const;
    /// Samples per class when all classes have the same count, else 0.
    Index samples_per_class() const;
};

using CertifiedStateSource = std::function<CertifiedState(unsigned bits)>;

/// From a CheckState whose head input is taken as exact: right for supplied features
/// (check_state_from_features), NOT a proof for a state built from a network (its
/// H_{L1} was computed in floating point; use certified_source_from_network).
template <class S>
CertifiedStateSource certified_source_from_features(const CheckState<S>& state);

/// From a network and its data: H_{L1} is enclosed from the exact weights and inputs.
/// Labels are validated as in check_state_from_network.
template <class S>
CertifiedStateSource certified_source_from_network(const Network<S>& network, const Matrix<S>& inputs,
                                                   std::vector<Index> labels, Index num_classes);

extern template CertifiedStateSource certified_source_from_features(const CheckState<double>&);
extern template CertifiedStateSource certified_source_from_features(const CheckState<Mpfr>&);
extern template CertifiedStateSource certified_source_from_network(const Network<double>&, const Matrix<double>&,
                                                                   std::vector<Index>, Index);
extern template CertifiedStateSource certified_source_from_network(const Network<Mpfr>&, const Matrix<Mpfr>&,
                                                                   std::vector<Index>, Index);

}  // namespace ncverify
