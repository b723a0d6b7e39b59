// MPFR results are frozen bit for bit (issue 18: faster MPFR kernels must not change a
// single bit). The expected digests below were produced by the code before the in-place
// MPFR activation kernels (commit 4806b38, Boost expression arithmetic per entry); they
// are FNV-1a hashes of the exact base-16 strings of every number, so any change in any
// bit of any entry changes them. A failure message prints the new digest: update the
// constants only for a deliberate change of the MPFR arithmetic, never for speed.
//
// Every input is built in MPFR from small integers (no double arithmetic, whose last bits
// depend on the compiler's flags, e.g. FMA contraction under -march=native), and MPFR
// rounds every operation correctly, so the digests are the same in every build (release,
// sanitizers, any CPU).
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

/// A rows x cols matrix of multiples of 1/64 in [-16/64, 16/64], from a fixed integer
/// sequence (a 64-bit LCG): exact in binary at every precision.
Matrix<Mpfr> dyadic_matrix(Index rows, Index cols, std::uint64_t& state) {
    Matrix<Mpfr> m(rows, cols);
    for (Index k = 0; k < m.size(); ++k) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        m.data()[k] = Mpfr(static_cast<int>((state >> 33) % 33) - 16) / 64;
    }
    return m;
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
    std::uint64_t sequence = 2026;
    TrainingState<Mpfr> state{Network<Mpfr>{problem.spec, {}}, 0};
    for (Index l = 1; l <= problem.spec.num_layers(); ++l)
        state.network.weights.push_back(dyadic_matrix(problem.spec.width(l), problem.spec.width(l - 1), sequence));
    const Matrix<Mpfr> x = dyadic_matrix(5, 9, sequence);
    const Matrix<Mpfr> y = from_double<Mpfr>(problem.targets);  // one-hot: 0 and 1 are exact
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
                         ::testing::Values(Frozen{53, 2924371585411447873ull, 4316250981036079306ull},
                                           Frozen{128, 4469298252166409592ull, 14025307939098391153ull},
                                           Frozen{256, 10016988170106558053ull, 15101351326170266529ull}),
                         [](const ::testing::TestParamInfo<Frozen>& param_info) { return std::to_string(param_info.param.bits) + "bits"; });
