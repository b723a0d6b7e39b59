#pragma once
// NC3, alignment of the class means with the classifier (THEORY.md §2). The classifier
// W is K x p (row w_c scores class c; W_L for the penultimate features H_{L-1}); the
// means M (p x K) are uncentred unless stated.
//
//   nc3_alignment(M, W): cos(mu_c, w_c) for every c, their mean (the paper's measure,
//       1 = aligned) and their minimum.
//   nc3_self_duality(W, M) = || W^T/||W||_F - M/||M||_F ||_F  (Papyan et al.'s
//       self-duality distance, not squared; pass M~ for the centred variant of
//       Papyan et al. / felixsh/nc-toolbox; the notebook lineage reports its square).
//   nc3_classifier_etf_error(W, M~) = || W M~/||W M~||_F - (I - 11^T/K)/sqrt(K-1) ||_F
//       (the "W-H relation" of tding1/Neural-Collapse, Kothapalli 2023's self-duality error).
// Throws ShapeMismatch unless W is K x p for means p x K. Zero rows or means give NaN.
// Cost O(p K^2). Accuracy: absolute error a few eps on each cosine and distance.

#include <cmath>
#include <string>

#include <fmt/core.h>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"

namespace ncverify {

namespace detail {

template <class S>
void check_classifier_shape(const Matrix<S>& classifier, const Matrix<S>& means, const char* what) {
    if (classifier.rows() != means.cols() || classifier.cols() != means.rows())
        throw ShapeMismatch(fmt::format("{}: the classifier is {}x{} but the class means are {}x{}; it must be K x p for "
                                        "p x K means",
                                        what, classifier.rows(), classifier.cols(), means.rows(), means.cols()));
}

}  // namespace detail

template <class S>
struct Nc3Alignment {
    Vector<S> cosines;  // cos(mu_c, w_c), c = 0 .. K-1
    S mean_cosine;
    S min_cosine;
};

/// cos(mu_c, w_c) = <mu_c, w_c> / (||mu_c|| ||w_c||) for each class, with mean and minimum.
template <class S>
Nc3Alignment<S> nc3_alignment(const Matrix<S>& means, const Matrix<S>& classifier) {
    detail::check_classifier_shape(classifier, means, "nc3_alignment");
    const Index k = means.cols();
    Nc3Alignment<S> result;
    result.cosines.resize(k);
    using std::sqrt;
    for (Index c = 0; c < k; ++c) {
        const S dot = classifier.row(c).dot(means.col(c).transpose());
        result.cosines(c) = dot / sqrt(classifier.row(c).squaredNorm() * means.col(c).squaredNorm());
    }
    result.mean_cosine = result.cosines.sum() / S(k);
    result.min_cosine = result.cosines.minCoeff();
    return result;
}

/// || W^T/||W||_F - M/||M||_F ||_F.
template <class S>
S nc3_self_duality(const Matrix<S>& classifier, const Matrix<S>& means) {
    detail::check_classifier_shape(classifier, means, "nc3_self_duality");
    using std::sqrt;
    const S w_norm = sqrt(classifier.squaredNorm()), m_norm = sqrt(means.squaredNorm());
    return sqrt((classifier.transpose() / w_norm - means / m_norm).squaredNorm());
}

/// || W M~/||W M~||_F - (I - 11^T/K)/sqrt(K-1) ||_F for centred means M~ (K >= 2).
template <class S>
S nc3_classifier_etf_error(const Matrix<S>& classifier, const Matrix<S>& centred_means) {
    detail::check_classifier_shape(classifier, centred_means, "nc3_classifier_etf_error");
    const Index k = centred_means.cols();
    if (k < 2) throw InvalidArgument("nc3_classifier_etf_error: needs K >= 2 classes");
    using std::sqrt;
    const Matrix<S> product = multiply(classifier, centred_means);
    const Matrix<S> target =
        (Matrix<S>::Identity(k, k) - Matrix<S>::Constant(k, k, S(1) / S(k))) / sqrt(S(k - 1));
    return sqrt((product / sqrt(product.squaredNorm()) - target).squaredNorm());
}

}  // namespace ncverify
