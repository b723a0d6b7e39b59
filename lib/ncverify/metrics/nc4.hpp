#pragma once
// NC4, convergence to the nearest-class-mean (NCC) rule (THEORY.md §2):
//   nc4_ncc_agreement = (1/N) #{ i : argmax_c (H_L)_{c,i} = argmin_c ||h_i - mu_c|| }
// where H_L are the network outputs and h_i the features of any layer (Euclidean
// distances to that layer's class means). 1 = the network classifies like NCC; the
// "NCC mismatch" of Papyan et al. is 1 - agreement. Ties go to the smallest class index
// (numpy's argmax/argmin). Distances are computed as ||h_i - mu_c||^2 directly (not
// through ||h||^2 - 2<h, mu> + ||mu||^2, which cancels when features collapse).
// Cost O(p N K).

#include <vector>

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// argmax over each column of the outputs (K x N): the network's predicted classes.
template <class S>
std::vector<Index> network_predictions(const Matrix<S>& outputs) {
    std::vector<Index> predictions(static_cast<std::size_t>(outputs.cols()), 0);
    for (Index i = 0; i < outputs.cols(); ++i) {
        Index best = 0;
        for (Index c = 1; c < outputs.rows(); ++c)
            if (outputs(c, i) > outputs(best, i)) best = c;
        predictions[static_cast<std::size_t>(i)] = best;
    }
    return predictions;
}

/// argmin_c ||h_i - mu_c|| for each column h_i of the features (p x N), means p x K.
template <class S>
std::vector<Index> nearest_class_mean(const Matrix<S>& features, const Matrix<S>& means) {
    if (features.rows() != means.rows())
        throw ShapeMismatch(fmt::format("nearest_class_mean: features have {} rows but the class means {}",
                                        features.rows(), means.rows()));
    std::vector<Index> nearest(static_cast<std::size_t>(features.cols()), 0);
    for (Index i = 0; i < features.cols(); ++i) {
        Index best = 0;
        S best_distance = (features.col(i) - means.col(0)).squaredNorm();
        for (Index c = 1; c < means.cols(); ++c) {
            const S distance = (features.col(i) - means.col(c)).squaredNorm();
            if (distance < best_distance) {
                best_distance = distance;
                best = c;
            }
        }
        nearest[static_cast<std::size_t>(i)] = best;
    }
    return nearest;
}

/// Fraction of samples whose network prediction equals their nearest class mean.
template <class S>
S nc4_ncc_agreement(const Matrix<S>& features, const Matrix<S>& means, const std::vector<Index>& predictions) {
    if (static_cast<Index>(predictions.size()) != features.cols())
        throw ShapeMismatch(fmt::format("nc4_ncc_agreement: {} predictions for {} samples", predictions.size(),
                                        features.cols()));
    const std::vector<Index> nearest = nearest_class_mean(features, means);
    Index agree = 0;
    for (std::size_t i = 0; i < nearest.size(); ++i)
        if (nearest[i] == predictions[i]) ++agree;
    return S(agree) / S(features.cols());
}

}  // namespace ncverify
