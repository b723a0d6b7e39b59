// Metamorphic properties of the state checkers (T1, T2, T3, T5 through run_checkers, as
// `ncv check` runs them): transformations of an instance that leave every hypothesis and
// every conclusion of the theorems true must not change a verdict's status, except
// towards `inconclusive` (a precision limit, named in the verdict's reason):
//   - exact rescalings of a consecutive pair by powers of two, H_{L1} x 2^k with
//     W_{L1+1} x 2^-k, or W_j x 2^k with W_{j+1} x 2^-k (the outputs and every H_l with
//     l > j are unchanged; extreme exponents up to 2^±600 included);
//   - a large common offset added to H_{L1} along an exact null direction of W_{L1+1};
//   - an orthogonal change of basis in a hidden layer, W_j -> Q W_j, W_{j+1} -> W_{j+1} Q^T;
//   - a permutation of the samples within each class.
// No verdict may ever be `violated` or `proof_step_failed` (the theorems are proved).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"
#include "support/head_instances.hpp"
#include "support/verdict_assertions.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

/// The statuses of the state checkers, in registry order.
template <class S>
std::vector<Verdict> verdicts_of(const CheckState<S>& state) {
    return run_checkers(state);
}

/// Every verdict of `transformed` has the status of the same checker's verdict on
/// `original`, or is inconclusive; neither is violated or has a failing proof step.
void assert_status_invariant(const std::vector<Verdict>& original, const std::vector<Verdict>& transformed,
                             const std::string& transformation) {
    RC_ASSERT(original.size() == transformed.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        for (const Verdict* v : {&original[i], &transformed[i]}) {
            if (v->status == VerdictStatus::violated || v->status == VerdictStatus::proof_step_failed)
                RC_FAIL(transformation + ": " + verdict_details(*v));
        }
        const bool same = original[i].status == transformed[i].status;
        const bool towards_inconclusive = transformed[i].status == VerdictStatus::inconclusive;
        if (!same && !towards_inconclusive)
            RC_FAIL(transformation + ": " + original[i].result + " was " + verdict_status_name(original[i].status) +
                    ", now " + verdict_status_name(transformed[i].status) + "\noriginal:\n" +
                    verdict_details(original[i]) + "\ntransformed:\n" + verdict_details(transformed[i]));
        if (towards_inconclusive && !same) RC_ASSERT(!transformed[i].reason.empty());
    }
}

/// Smallest nonzero |entry| (for exactness of a power-of-two rescaling), +inf if none.
double smallest_magnitude(const Matrix<double>& m) {
    double smallest = INFINITY;
    for (Index i = 0; i < m.size(); ++i)
        if (m.data()[i] != 0) smallest = std::min(smallest, std::abs(m.data()[i]));
    return smallest;
}

/// The pair (j, j+1) rescaled by 2^k and 2^-k; j = 0 means (H_{L1}, W_{L1+1}). Returns
/// false when a scaled entry would leave double's normal range (the scaling is then not exact).
bool rescale_pair(CheckState<double>& state, Index j, int k) {
    Matrix<double>& up = j == 0 ? state.head_input : state.head_weights[std::size_t(j - 1)];
    Matrix<double>& down = state.head_weights[std::size_t(j)];
    const auto exact_after = [](const Matrix<double>& m, int e) {
        const double large = m.cwiseAbs().maxCoeff(), small = smallest_magnitude(m);
        return std::ldexp(large, e) < 0x1p1000 && std::ldexp(small, e) > 0x1p-1000;
    };
    if (!exact_after(up, k) || !exact_after(down, -k)) return false;
    up = up.unaryExpr([k](double x) { return std::ldexp(x, k); });
    down = down.unaryExpr([k](double x) { return std::ldexp(x, -k); });
    return true;
}

const int extreme_exponents[] = {-600, -332, -100, -30, -14, -1, 1, 14, 30, 100, 332, 600};

}  // namespace

RC_GTEST_PROP(Invariance, PowerOfTwoRescalingOfAConsecutivePairDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    const CheckState<double> state = head_instance(parameters);
    const Index j = *rc::gen::inRange<Index>(0, state.linear_layers());
    const int k = *rc::gen::elementOf(std::vector<int>(std::begin(extreme_exponents), std::end(extreme_exponents)));
    CheckState<double> scaled = state;
    RC_PRE(rescale_pair(scaled, j, k));
    RC_CLASSIFY(std::abs(k) > 100, "exponent beyond the double window (MPFR-53 evaluation)");
    assert_status_invariant(verdicts_of(state), verdicts_of(scaled), "pair " + std::to_string(j) + " x 2^" + std::to_string(k));
}

RC_GTEST_PROP(Invariance, CommonOffsetInTheNullSpaceOfTheFirstHeadLayerDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    CheckState<double> original = head_instance(parameters);
    // An exact null direction of W_{L1+1}: zero its column j, so W_{L1+1} e_j = 0 in
    // floating point too (a computed null vector u leaves ||W u|| ~ eps kappa(W) ||W||,
    // which a large offset turns into a real change of the outputs).
    const Index j = *rc::gen::inRange<Index>(0, original.head_input.rows());
    original.head_weights[0].col(j).setZero();
    // Offset 2^e >= 2 max_i |H(j, i)|, times 2^0 .. 2^26. Row j of the original is
    // replaced by fl(H(j, i) + offset) - offset, an exact subtraction (Sterbenz: the sum
    // lies in [offset/2, 2 offset]), so shifted = original + offset e_j 1^T holds exactly.
    const double spread = original.head_input.row(j).cwiseAbs().maxCoeff();
    const int spread_exponent = spread > 0 ? std::ilogb(spread) : 0;
    const double offset = std::ldexp(1.0, spread_exponent + 2 + *rc::gen::inRange(0, 27));
    for (Index i = 0; i < original.num_samples(); ++i)
        original.head_input(j, i) = (original.head_input(j, i) + offset) - offset;
    CheckState<double> shifted = original;
    shifted.head_input.row(j).array() += offset;
    for (Index i = 0; i < original.num_samples(); ++i) RC_ASSERT(shifted.head_input(j, i) - offset == original.head_input(j, i));
    assert_status_invariant(verdicts_of(original), verdicts_of(shifted), "offset " + std::to_string(offset));
}

RC_GTEST_PROP(Invariance, OrthogonalChangeOfBasisInAHiddenLayerDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    const CheckState<double> state = head_instance(parameters);
    // Hidden width j (1 <= j < L2): between W_j (rows) and W_{j+1} (columns); j = 0 is H_{L1}.
    const Index j = *rc::gen::inRange<Index>(0, state.linear_layers());
    RandomSource random(*rc::gen::arbitrary<std::uint32_t>());
    CheckState<double> rotated = state;
    Matrix<double>& left = j == 0 ? rotated.head_input : rotated.head_weights[std::size_t(j - 1)];
    Matrix<double>& right = rotated.head_weights[std::size_t(j)];
    const Matrix<double> q = random_orthonormal_columns<double>(left.rows(), left.rows(), random);
    left = multiply(q, left);
    right = multiply(right, Matrix<double>(q.transpose()));
    assert_status_invariant(verdicts_of(state), verdicts_of(rotated), "rotation of hidden layer " + std::to_string(j));
}

RC_GTEST_PROP(Invariance, PermutationOfSamplesWithinClassesDouble, ()) {
    const HeadParameters parameters = *head_parameters();
    const CheckState<double> state = head_instance(parameters);
    RandomSource random(*rc::gen::arbitrary<std::uint32_t>());
    CheckState<double> permuted = state;
    const Index n = parameters.per_class;
    for (Index c = 0; c < parameters.num_classes; ++c)
        for (Index i = n - 1; i > 0; --i) {  // Fisher-Yates within the block of class c
            const Index r = random.uniform_integer(0, i);
            permuted.head_input.col(c * n + i).swap(permuted.head_input.col(c * n + r));
        }
    assert_status_invariant(verdicts_of(state), verdicts_of(permuted), "permutation within classes");
}

// The same at 256 bits on fewer instances (each costs about 100 times more): exact
// rescalings with extreme exponents and within-class permutations.
RC_GTEST_PROP(Invariance, RescalingAndPermutationMpfr256, ()) {
    const HeadParameters parameters = *head_parameters(3, 3);
    const CheckState<double> state = head_instance(parameters);
    const Index j = *rc::gen::inRange<Index>(0, state.linear_layers());
    const int k = *rc::gen::elementOf(std::vector<int>{-600, -30, 14, 332});
    CheckState<double> scaled = state;
    RC_PRE(rescale_pair(scaled, j, k));
    const Index n = parameters.per_class;
    scaled.head_input.col(0).swap(scaled.head_input.col(n - 1));  // a transposition within class 0
    const Precision precision = Precision::mpfr_bits(256);
    MpfrPrecisionScope scope(precision);
    assert_status_invariant(verdicts_of(convert_state<Mpfr>(state, precision)),
                            verdicts_of(convert_state<Mpfr>(scaled, precision)), "256 bits, pair x 2^k and a swap");
}
