#pragma once
// Enclosures of the class statistics of metrics/class_statistics.hpp (THEORY.md §2),
// with the global mean weighted by samples (the default there; with balanced classes it
// is also the mean of the class means):
//   M = [mu_0 .. mu_{K-1}],  tr Sigma_W = (1/N) sum_i ||h_i - mu_{c(i)}||^2,
//   tr Sigma_B = (1/K) ||M - mu_G 1^T||_F^2.
// Every quantity is evaluated in ball arithmetic from a ball feature matrix, so it
// contains the exact value for every feature matrix inside the balls. Residuals are
// formed explicitly (never as ||h||^2 - ||mu||^2), as in the approximate route.
//
// Throws ShapeMismatch when labels.size() != N and InvalidArgument for a label outside
// [0, K) or an empty class.

#include <vector>

#include "ncverify/enclosure/ball.hpp"
#include "ncverify/linalg/arb_matrix.hpp"

namespace ncverify {

struct ClassStatisticsEnclosure {
    ArbMatrix class_means{0, 0};  // M, p x K
    Ball within_trace;            // tr Sigma_W
    Ball between_trace;           // tr Sigma_B
};

ClassStatisticsEnclosure enclose_class_statistics(const ArbMatrix& features, const std::vector<Index>& labels,
                                                  Index num_classes);

}  // namespace ncverify
