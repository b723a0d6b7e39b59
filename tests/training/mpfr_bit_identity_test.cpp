// MPFR results are frozen bit for bit (issue 18: faster MPFR kernels must not change a
// single bit). The expected digests below were produced by the code before the in-place
// MPFR activation kernels (commit 78695bc, Boost expression arithmetic per entry); they
// are FNV-1a hashes of the exact base-16 strings of every number, so any change in any
// bit of any entry changes them. A failure message prints the new digest: update the
// constants only for a deliberate change of the MPFR arithmetic, never for speed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ncverify/training/gradient_descent.hpp"
#include "support/small_problem.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

/// Exact base-16 representation of x (mpfr_get_str with n = 0 reads back exactly; base 16
/// is a power of 2, so the digits are the significand's bits), with its precision.
std::string exact_hex(const Mpfr& x) {
    mpfr_exp_t exponent = 0;
    char* digits = mpfr_get_str(nullptr, &exponent, 16, 0, x.backend().data(), MPFR_RNDN);
    std::string text = std::string(digits) + "p" + std::to_string(exponent) + "/" + std::to_string(precision_bits_of(x));
    mpfr_free_str(digits);
    return text;
}

struct Digest {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64-bit offset basis
    void add(const std::string& text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 1099511628211ull;
        }
        hash ^= 0xff;  // separator: "ab","c" and "a","bc" hash differently
        hash *= 1099511628211ull;
    }
    void add(const Matrix<Mpfr>& m) {
        for (Index k = 0; k < m.size(); ++k) add(exact_hex(m.data()[k]));
    }
};

/// A grid of pre-activations on both sides of 0 (and 0 itself), with long significands.
Matrix<Mpfr> pre_activation_grid() {
    Matrix<Mpfr> z(7, 9);
    for (Index j = 0; j < z.cols(); ++j)
        for (Index i = 0; i < z.rows(); ++i) z(i, j) = (Mpfr(static_cast<int>(i * 9 + j)) - 31) / 7;
    z(3, 4) = 0;
    return z;
}

struct Frozen {
    unsigned bits;
    std::uint64_t activation_digest;  // sigma and sigma' on pre_activation_grid(), beta = 4
    std::uint64_t trajectory_digest;  // weights and losses of 6 GD steps
};

class MpfrBitIdentity : public ::testing::TestWithParam<Frozen> {};

}  // namespace

// sigma and sigma' of the smooth leaky ReLU (gamma 0.1, beta 4: configs/reference.toml)
// entry by entry, through Activation::apply / apply_derivative and the fused pass used by
// forward.
TEST_P(MpfrBitIdentity, ActivationValuesAreFrozen) {
    const Frozen frozen = GetParam();
    MpfrPrecisionScope scope(Precision::mpfr_bits(frozen.bits));
    const Activation sigma = Activation::smooth_leaky_relu(0.1, 4.0);
    const Matrix<Mpfr> z = pre_activation_grid();
    Digest digest;
    digest.add(sigma.apply(z));
    digest.add(sigma.apply_derivative(z));
    EXPECT_EQ(digest.hash, frozen.activation_digest) << "new digest: " << digest.hash << "ull";
}

// Six full-batch GD steps with weight decay on a small smooth-leaky-ReLU network
// (2 nonlinear layers, so sigma' enters back-propagation twice): every weight after every
// step and every loss.
TEST_P(MpfrBitIdentity, TrajectoryIsFrozen) {
    const Frozen frozen = GetParam();
    MpfrPrecisionScope scope(Precision::mpfr_bits(frozen.bits));
    const SmallProblem problem = small_problem(5, 3, 3, {8, 6, 3}, 2, Activation::smooth_leaky_relu(0.1, 4.0), 11, 1.0);
    TrainingState<Mpfr> state{network_from_double<Mpfr>(initialize_network(problem.spec, {InitScheme::lecun, {}, 5})), 0};
    const Matrix<Mpfr> x = from_double<Mpfr>(problem.inputs), y = from_double<Mpfr>(problem.targets);
    Digest digest;
    gradient_descent<Mpfr>(state, x, y, TrainingPlan::constant(6, 0.2, 0.01), {}, [&](const StepView<Mpfr>& view) {
        digest.add(exact_hex(view.evaluation.loss));
        digest.add(exact_hex(view.evaluation.data_loss));
        for (const Matrix<Mpfr>& w : view.state.network.weights) digest.add(w);
        return true;
    });
    EXPECT_EQ(state.step, 6);
    EXPECT_EQ(digest.hash, frozen.trajectory_digest) << "new digest: " << digest.hash << "ull";
}

INSTANTIATE_TEST_SUITE_P(Precisions, MpfrBitIdentity,
                         ::testing::Values(Frozen{53, 2924371585411447873ull, 2444468252801752978ull},
                                           Frozen{128, 4469298252166409592ull, 15369101572641858102ull},
                                           Frozen{256, 10016988170106558053ull, 725250035840698362ull}),
                         [](const ::testing::TestParamInfo<Frozen>& param_info) { return std::to_string(param_info.param.bits) + "bits"; });
