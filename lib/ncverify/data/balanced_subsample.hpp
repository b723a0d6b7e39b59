#pragma once
// Class-ordered selection of samples: the rule every loader of data/ uses to pick which
// samples of a file enter a Dataset, and in which order.
//
// Given labels l_0, ..., l_{M-1} in [0, K) (the order of a source file) and n:
//   - n = 0: every sample is selected.
//   - n >= 1: for each class c in turn (c = 0, 1, ..., K-1), with one RandomSource(seed)
//     shared by all classes, let I_c = (i : l_i = c) in increasing order, m_c = |I_c|;
//     a partial Fisher-Yates shuffle picks n of them: for t = 0, ..., n-1, draw
//     j = uniform_integer(t, m_c - 1) and swap I_c[t] and I_c[j]; the selection of class
//     c is {I_c[0], ..., I_c[n-1]}. Every n-subset of a class is equally likely, and the
//     classes are drawn independently of one another.
// The result lists the selected indices ordered by class, and within a class by
// increasing original index. A seed therefore gives the same selection on every
// platform (see random/random_source.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// Indices into `labels` selected by the rule above. Throws InputError when a label is
/// outside [0, num_classes), when a class has no sample, or when a class has fewer than
/// n samples (naming the class, its count and `source`, e.g. the file the labels came
/// from); throws InvalidArgument when n < 0 or num_classes < 1.
std::vector<Index> balanced_subsample(const std::vector<Index>& labels, Index num_classes, Index samples_per_class,
                                      std::uint64_t seed, const std::string& source);

}  // namespace ncverify
