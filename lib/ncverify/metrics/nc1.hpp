#pragma once
// NC1, within-class variability collapse (THEORY.md §2), from ClassStatistics:
//
//   nc1_trace_ratio = tr Sigma_W / tr Sigma_B                     (the paper's experiments)
//   nc1_pinv        = tr(Sigma_W Sigma_B^+) / K                   (Papyan et al. 2020)
//                     or tr(Sigma_W Sigma_B^+) (divide_by_num_classes = false)
//   nc1_cdnv        = mean over class pairs i < j of (V_i + V_j) / (2 ||mu_i - mu_j||^2)
//                                                                 (Galanti et al. 2022)
// All are 0 for exactly collapsed features and invariant under orthogonal maps and
// positive scalings of the features. Degenerate inputs follow IEEE arithmetic: a ratio
// with a zero denominator is +inf (NaN for 0/0); a rank-0 Sigma_B gives Sigma_B^+ = 0 and
// nc1_pinv = 0 (the numpy/scipy convention for pinv of the zero matrix).
//
// Sigma_B^+ without forming p x p matrices. With the thin SVD M~ = U diag(s) V^T,
// Sigma_B = U diag(s^2/K) U^T, whose eigenvalues lambda_i = s_i^2 / K are the singular
// values of Sigma_B. The rank rule decides on (lambda_i), as a p x p matrix, exactly as a
// pseudo-inverse of the formed Sigma_B would:
//   RankRule::working_precision()      lambda_i > p eps lambda_1   (scipy.linalg.pinv, torch.linalg.pinv)
//   RankRule::relative_threshold(1e-15) lambda_i > 1e-15 lambda_1  (numpy.linalg.pinv default rcond)
//   RankRule::fixed(K - 1)             the K-1 largest             (scipy.sparse.linalg.svds(Sb, k=K-1))
// and then tr(Sigma_W Sigma_B^+) = (K/N) sum_{i<r} ||u_i^T E||^2 / s_i^2: O(p N K) work
// instead of O(p^3). Computing lambda_i from the SVD of M~ is more accurate than from the
// formed Sigma_B (whose small eigenvalues carry errors ~ p eps lambda_1), so rank
// decisions can differ from numpy's only for directions within that noise.
//
// Accuracy (documented in docs/metrics.md): nc1_trace_ratio and nc1_cdnv have relative
// error a few eps (sums of squares); nc1_pinv a few eps times lambda_1 / lambda_r.

#include <cmath>
#include <string>

#include "ncverify/linalg/rank_rule.hpp"
#include "ncverify/linalg/singular_value_decomposition.hpp"
#include "ncverify/metrics/class_statistics.hpp"

namespace ncverify {

/// tr Sigma_W / tr Sigma_B.
template <class S>
S nc1_trace_ratio(const ClassStatistics<S>& stats) {
    return stats.within_trace / stats.between_trace;
}

struct Nc1PinvOptions {
    /// Which eigenvalues of Sigma_B are inverted (see the table above).
    RankRule rank_rule = RankRule::working_precision();
    /// true: tr(Sigma_W Sigma_B^+) / K (Papyan et al.); false: without the 1/K.
    bool divide_by_num_classes = true;
};

template <class S>
struct Nc1PinvResult {
    S value;
    Index rank = 0;            // r, the number of inverted directions of Sigma_B
    Vector<S> between_eigenvalues;  // lambda_i = s_i(M~)^2 / K, descending (min(p, K) of them)
};

/// tr(Sigma_W Sigma_B^+) [/ K] with the rank used; see the header comment.
template <class S>
Nc1PinvResult<S> nc1_pinv_detailed(const ClassStatistics<S>& stats, const Nc1PinvOptions& options = {}) {
    const SingularValueDecomposition<S> svd = thin_svd(stats.centred_means);
    const S k(stats.num_classes);
    Nc1PinvResult<S> result;
    result.between_eigenvalues = svd.singular_values.cwiseProduct(svd.singular_values) / k;
    const Index p = stats.feature_dim();
    result.rank = options.rank_rule.rank(result.between_eigenvalues, p, p);
    if (result.rank == 0) {
        result.value = S(0);
        return result;
    }
    const Matrix<S> projected = multiply(svd.U.leftCols(result.rank).transpose(), stats.residuals);  // r x N
    S sum(0);
    for (Index i = 0; i < result.rank; ++i) sum += projected.row(i).squaredNorm() / result.between_eigenvalues(i);
    // tr(Sigma_W Sigma_B^+) = (1/N) sum_i ||u_i^T E||^2 / lambda_i.
    result.value = sum / S(stats.num_samples());
    if (options.divide_by_num_classes) result.value /= k;
    return result;
}

/// tr(Sigma_W Sigma_B^+) / K (or without / K); the value of nc1_pinv_detailed.
template <class S>
S nc1_pinv(const ClassStatistics<S>& stats, const Nc1PinvOptions& options = {}) {
    return nc1_pinv_detailed(stats, options).value;
}

/// Class-distance normalised variance averaged over the K(K-1)/2 pairs i < j:
/// (V_i + V_j) / (2 ||mu_i - mu_j||^2), V_c the mean squared distance of class c to mu_c.
template <class S>
S nc1_cdnv(const ClassStatistics<S>& stats) {
    const Index k = stats.num_classes;
    S sum(0);
    for (Index i = 0; i < k; ++i)
        for (Index j = i + 1; j < k; ++j) {
            const S distance = (stats.class_means.col(i) - stats.class_means.col(j)).squaredNorm();
            sum += (stats.class_variances(i) + stats.class_variances(j)) / (S(2) * distance);
        }
    return sum / S(k * (k - 1) / 2);
}

}  // namespace ncverify
