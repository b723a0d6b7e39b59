#pragma once
// A small classification problem for training tests: Gaussian inputs X (d x N), K
// balanced classes ordered by class, one-hot targets Y (K x N), and a network spec.

#include "ncverify/network/initialization.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify::testing {

struct SmallProblem {
    NetworkSpec spec;
    Matrix<double> inputs;   // d x N
    Matrix<double> targets;  // K x N one-hot, samples ordered by class
};

/// d inputs, K classes with n samples each, class means separated by `separation`;
/// every input column is scaled to unit Euclidean norm (so step sizes of order 0.1 are
/// stable for networks of moderate width).
inline SmallProblem small_problem(Index d, Index num_classes, Index per_class, std::vector<Index> widths,
                                  Index nonlinear_layers, Activation activation, std::uint64_t seed,
                                  double separation = 2.0) {
    RandomSource random(seed);
    const Index n = num_classes * per_class;
    const Matrix<double> means = separation * random.gaussian_matrix(d, num_classes);
    SmallProblem problem;
    problem.inputs = 0.5 * random.gaussian_matrix(d, n);
    problem.targets = Matrix<double>::Zero(num_classes, n);
    for (Index i = 0; i < n; ++i) {
        problem.inputs.col(i) += means.col(i / per_class);
        problem.targets(i / per_class, i) = 1.0;
        problem.inputs.col(i).normalize();
    }
    problem.spec.input_dim = d;
    problem.spec.widths = std::move(widths);
    problem.spec.nonlinear_layers = nonlinear_layers;
    problem.spec.linear_layers = static_cast<Index>(problem.spec.widths.size()) - nonlinear_layers;
    problem.spec.activation = activation;
    problem.spec.validate(num_classes);
    return problem;
}

}  // namespace ncverify::testing
