#pragma once
// NC2, the geometry of the class means (THEORY.md §2). M = [mu_0 ... mu_{K-1}] (p x K)
// are the uncentred class means, M~ = M - mu_G 1^T the centred ones (ClassStatistics).
//
//   nc2_class_mean_condition_number(M, rule) = kappa(M) = s_1(M) / s_r(M), r = rule.rank
//       The paper's NC2 measure: MSE without biases drives the *uncentred* means to an
//       orthogonal frame, where kappa(M) = 1.
//   nc2_orthogonal_frame_error(M)  = || G/||G||_F - I/sqrt(K) ||_F,   G = M^T M
//       0 iff the means are orthogonal with equal norms (an orthogonal frame).
//   nc2_simplex_etf_error(M~)      = || G~/||G~||_F - (I - 11^T/K)/sqrt(K-1) ||_F,  G~ = M~^T M~
//       0 iff the centred means form a simplex equiangular tight frame (the cross-entropy
//       NC2 of Papyan et al.; Kothapalli 2023's normalisation).
//   nc2_equinorm(M~)               = std_c ||mu~_c|| / mean_c ||mu~_c||   (Papyan et al.)
//   nc2_equiangularity(M~).cosine_std    = std over pairs c < c' of cos(mu~_c, mu~_c')   (Papyan et al.)
//   nc2_equiangularity(M~).simplex_shift = mean over pairs of |cos(mu~_c, mu~_c') + 1/(K-1)|
//       (the "mutual coherence" of the Papyan-Han-Donoho notebook lineage).
// Standard deviations use 1/count (StandardDeviation::population, numpy's default ddof=0;
// defined for K = 2, where there is one pair) or 1/(count-1) (StandardDeviation::sample,
// torch.std's default, used by the notebook lineage for the equinorm).
// Each error is invariant under orthogonal maps and positive scalings of the features.
// Zero means give NaN (0/0), following IEEE arithmetic.
//
// Cost: O(p K^2) (Gram matrices K x K, SVD of a p x K matrix); no p x p matrix is formed.
// Accuracy: the Frobenius-normalised errors have absolute error a few eps; kappa(M) has
// relative error ~ eps kappa(M) (singular_values).

#include <cmath>

#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/product.hpp"

namespace ncverify {

enum class StandardDeviation { population, sample };

namespace detail {

/// Standard deviation of `values` with 1/n (population) or 1/(n-1) (sample).
template <class S>
S standard_deviation(const Vector<S>& values, StandardDeviation kind) {
    const Index n = values.size();
    if (n == 0) return S(0);
    if (kind == StandardDeviation::sample && n < 2)
        throw InvalidArgument("standard deviation: the sample (1/(n-1)) form needs at least two values");
    const S mean = values.sum() / S(n);
    const S squares = (values.array() - mean).matrix().squaredNorm();
    using std::sqrt;
    return sqrt(squares / S(kind == StandardDeviation::population ? n : n - 1));
}

/// || G/||G||_F - target ||_F.
template <class S>
S normalised_gram_distance(const Matrix<S>& gram, const Matrix<S>& target) {
    using std::sqrt;
    const S norm = sqrt(gram.squaredNorm());
    return sqrt((gram / norm - target).squaredNorm());
}

/// Cosines of the angles between the columns i < j of `vectors`, pair by pair.
template <class S>
Vector<S> pairwise_cosines(const Matrix<S>& vectors) {
    const Index k = vectors.cols();
    const Matrix<S> gram = multiply(vectors.transpose(), vectors);
    Vector<S> cosines(k * (k - 1) / 2);
    Index next = 0;
    using std::sqrt;
    for (Index i = 0; i < k; ++i)
        for (Index j = i + 1; j < k; ++j) cosines(next++) = gram(i, j) / sqrt(gram(i, i) * gram(j, j));
    return cosines;
}

}  // namespace detail

/// kappa(M) of the uncentred class means (p x K) under `rule`.
template <class S>
S nc2_class_mean_condition_number(const Matrix<S>& means, const RankRule& rule = RankRule::working_precision()) {
    return condition_number(means, rule);
}

/// || M^T M / ||M^T M||_F - I/sqrt(K) ||_F for the (uncentred) means M (p x K).
template <class S>
S nc2_orthogonal_frame_error(const Matrix<S>& means) {
    const Index k = means.cols();
    using std::sqrt;
    const Matrix<S> target = Matrix<S>::Identity(k, k) / sqrt(S(k));
    return detail::normalised_gram_distance(Matrix<S>(multiply(means.transpose(), means)), target);
}

/// || M~^T M~ / ||M~^T M~||_F - (I - 11^T/K)/sqrt(K-1) ||_F for centred means M~ (p x K, K >= 2).
template <class S>
S nc2_simplex_etf_error(const Matrix<S>& centred_means) {
    const Index k = centred_means.cols();
    if (k < 2) throw InvalidArgument("nc2_simplex_etf_error: needs K >= 2 class means");
    using std::sqrt;
    const Matrix<S> target =
        (Matrix<S>::Identity(k, k) - Matrix<S>::Constant(k, k, S(1) / S(k))) / sqrt(S(k - 1));
    return detail::normalised_gram_distance(Matrix<S>(multiply(centred_means.transpose(), centred_means)), target);
}

/// Coefficient of variation std_c ||mu~_c|| / mean_c ||mu~_c|| of the centred means' norms.
template <class S>
S nc2_equinorm(const Matrix<S>& centred_means, StandardDeviation kind = StandardDeviation::population) {
    const Vector<S> norms = centred_means.colwise().norm().transpose();
    return detail::standard_deviation(norms, kind) / (norms.sum() / S(norms.size()));
}

template <class S>
struct Equiangularity {
    S cosine_std;      // std over pairs c < c' of cos(mu~_c, mu~_c')
    S simplex_shift;   // mean over pairs of |cos(mu~_c, mu~_c') + 1/(K-1)|
};

/// Equiangularity of the centred means (p x K, K >= 2).
template <class S>
Equiangularity<S> nc2_equiangularity(const Matrix<S>& centred_means,
                                     StandardDeviation kind = StandardDeviation::population) {
    const Index k = centred_means.cols();
    if (k < 2) throw InvalidArgument("nc2_equiangularity: needs K >= 2 class means");
    const Vector<S> cosines = detail::pairwise_cosines(centred_means);
    const S simplex_cosine = S(-1) / S(k - 1);
    const S shift = (cosines.array() - simplex_cosine).abs().sum() / S(cosines.size());
    return {detail::standard_deviation(cosines, kind), shift};
}

}  // namespace ncverify
