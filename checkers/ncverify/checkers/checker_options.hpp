#pragma once
// Options shared by the checkers.
//
// epsilon1, epsilon2, radius: the constants of a theorem's hypotheses (THEORY.md §3:
//   ||H_L - Y||_F <= eps1, ||D_l||_op <= eps2, norms <= r). When absent, a checker uses
//   the tightest admissible values, i.e. the measured ones.
// weight_decay, learning_rate: lambda of C_lambda and the step eta of gradient descent,
//   for the checkers whose statements involve them (T5: C_lambda(theta) and 2 eps/lambda;
//   T6: the stability hypothesis sharp <= 2/eta and the Hessian's lambda I). Absent:
//   lambda = 0, and the statements that need eta are skipped with a note.
// best_loss: C_best, the best value of C_lambda the user has found (e.g. by long GD
//   runs); T5 reports eps_est = C_lambda(theta) - C_best, an *estimate* of the
//   suboptimality (min C_lambda <= C_best, so the true suboptimality is >= eps_est).
// relative_tolerance: tau of verdict.hpp; by default 2^8 * max(dimension) * epsilon of
//   the working precision, a bound on the relative rounding error of the backward-stable
//   computations the checkers use (products, SVDs, symmetric eigenvalues).

#include <optional>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

struct CheckerOptions {
    std::optional<double> epsilon1;
    std::optional<double> epsilon2;
    std::optional<double> radius;
    std::optional<double> relative_tolerance;
    std::optional<double> weight_decay;
    std::optional<double> learning_rate;
    std::optional<double> best_loss;
};

template <class S>
S checker_tolerance(const CheckerOptions& options, Index largest_dimension) {
    if (options.relative_tolerance) return S(*options.relative_tolerance);
    return S(256) * S(std::max<Index>(largest_dimension, 1)) * ScalarTraits<S>::epsilon();
}

}  // namespace ncverify
