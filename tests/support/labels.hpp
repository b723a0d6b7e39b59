#pragma once
// Labels of K balanced classes of n samples, sorted by class (THEORY.md §1), and their
// one-hot matrix Y = I_K (x) 1_n^T.

#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify::testing {

inline std::vector<Index> class_sorted_labels(Index K, Index n) {
    std::vector<Index> labels(static_cast<std::size_t>(K * n));
    for (Index i = 0; i < K * n; ++i) labels[static_cast<std::size_t>(i)] = i / n;
    return labels;
}

inline Matrix<double> class_one_hot(Index K, Index n) {
    Matrix<double> y = Matrix<double>::Zero(K, K * n);
    for (Index i = 0; i < K * n; ++i) y(i / n, i) = 1;
    return y;
}

}  // namespace ncverify::testing
