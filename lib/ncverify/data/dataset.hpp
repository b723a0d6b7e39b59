#pragma once
// Dataset: the training data (X, Y) of the paper, held as the exact doubles that every
// later stage sees. Networks convert `inputs` exactly to a higher precision with
// `from_double<S>` (linalg/matrix.hpp), so one Dataset gives the same numbers in every
// precision.
//
// Layout: X = `inputs` is d x N, one column per sample; samples are ordered by class
// (every sample of class 0, then of class 1, ...), so `labels` is non-decreasing and the
// class means, within-class covariances and one-hot targets of the paper are contiguous
// column blocks. Y = `one_hot()` is K x N with Y(c, i) = 1 iff labels[i] == c.
//
// Every loader and generator of data/ returns a Dataset that passes `validate()`.

#include <cstdint>
#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

struct Dataset {
    /// d x N, one column per sample, samples ordered by class.
    Matrix<double> inputs;
    /// N labels in [0, num_classes), non-decreasing.
    std::vector<Index> labels;
    /// K >= 1; every class has at least one sample.
    Index num_classes = 0;
    /// What the data is and how it was selected, e.g. "fashion-mnist[train, 100/class, seed 0, pool7]".
    std::string name;
    /// Empty, or K names (class_names[c] names class c), e.g. "setosa".
    std::vector<std::string> class_names;
    /// Empty (generated data), or N indices: source_indices[i] is the position of sample i
    /// in the file it was read from (0-based), so a selection can be traced back and reproduced.
    std::vector<Index> source_indices;

    /// d, the number of features per sample.
    Index input_dim() const { return inputs.rows(); }
    /// N, the number of samples.
    Index num_samples() const { return inputs.cols(); }

    /// counts[c] = number of samples of class c, for c in [0, K). Requires every label in
    /// [0, K) and throws InputError otherwise.
    std::vector<Index> class_counts() const;
    /// True when every class has the same number of samples (N = K n). Requires labels in
    /// [0, K), as class_counts().
    bool is_balanced() const;
    /// Y, K x N, Y(c, i) = 1 iff labels[i] == c, else 0. Requires labels in [0, K), as
    /// class_counts().
    Matrix<double> one_hot() const;

    /// Subtracts the mean input x_bar = (1/N) sum_i x_i from every column, so each feature
    /// has mean zero up to rounding. x_bar is summed in double in sample order, then
    /// divided by N (the same doubles on every platform). Throws InputError when N = 0.
    void center_inputs();

    /// Checks every invariant above and throws InputError naming the dataset and the first
    /// violation: K < 1, d < 1, labels.size() != N, a label outside [0, K) (with its sample
    /// index), samples not ordered by class (with the two samples), a class without
    /// samples, a NaN or infinite input (with its sample index and feature), class_names
    /// or source_indices of the wrong length.
    void validate() const;
};

}  // namespace ncverify
