// Precision: an instance whose NC1 is ~1e-25, features = c 1 + class means + 3e-13 noise
// with a common offset c = 1e6 in every coordinate (the situation of a layer whose
// features share a large mean activation; NC1 is shift invariant).
//
// - Double cannot represent the instance: each feature rounds to a multiple of
//   ulp(1e6) = 2^-33 ~ 1.2e-10, and the 3e-13 within-class spread is below half an ulp,
//   so every sample of a class rounds to the same double. Whatever the algorithm, the
//   double NC1 reports exact collapse (0) instead of ~1e-25. We assert that double is off
//   by more than a factor 100 (in either direction) and that its features collapsed.
// - At 256 and 512 bits the features are exact (1e6 + a 53-bit mean + a 106-bit product
//   need < 200 bits), and the only error is eps_256 ||h|| / spread ~ 1.7e-77 * 1e6 /
//   3e-13 ~ 6e-59 relative, times small summation factors. We assert that 256 bits
//   agrees with 512 bits to 1e-50.
#include <gtest/gtest.h>

#include <array>

#include "ncverify/metrics/nc1.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

constexpr Index p = 6, k = 3, n = 4;

template <class S>
Matrix<S> near_collapsed_features() {
    RandomSource random(21);
    const Matrix<S> means = from_double<S>(random.gaussian_matrix(p, k));
    const Matrix<S> noise = from_double<S>(random.gaussian_matrix(p, k * n));
    Matrix<S> h(p, k * n);
    for (Index i = 0; i < k * n; ++i)
        h.col(i) = (means.col(i % k) + S(3e-13) * noise.col(i)).array() + S(1e6);
    return h;
}

std::vector<Index> labels() {
    std::vector<Index> result;
    for (Index i = 0; i < k * n; ++i) result.push_back(i % k);
    return result;
}

template <class S>
std::array<S, 3> nc1_values(const Matrix<S>& h) {
    const ClassStatistics<S> stats = class_statistics(h, labels(), k);
    return {nc1_trace_ratio(stats), nc1_pinv(stats), nc1_cdnv(stats)};
}

/// x (at any precision) widened exactly to the working precision (which has more bits).
Mpfr widen(const Mpfr& x) {
    Mpfr result;
    mpfr_set(result.backend().data(), x.backend().data(), MPFR_RNDN);
    return result;
}

}  // namespace

TEST(MetricsPrecision, Nc1NearCollapseNeedsMultiprecision) {
    MpfrPrecisionScope scope512(Precision::mpfr_bits(512));
    const Matrix<Mpfr> h512 = near_collapsed_features<Mpfr>();
    const std::array<Mpfr, 3> reference = nc1_values(h512);
    std::array<Mpfr, 3> at256;
    {
        MpfrPrecisionScope scope256(Precision::mpfr_bits(256));
        const std::array<Mpfr, 3> values = nc1_values(near_collapsed_features<Mpfr>());
        for (std::size_t i = 0; i < 3; ++i) {
            ASSERT_EQ(precision_bits_of(values[i]), 257u);
            at256[i] = values[i];
        }
    }
    const Matrix<double> h_double = to_double(h512);
    for (Index i = k; i < k * n; ++i) EXPECT_EQ(h_double.col(i), h_double.col(i % k)) << "sample " << i;
    const std::array<double, 3> in_double = nc1_values(h_double);
    const char* names[] = {"nc1_trace_ratio", "nc1_pinv", "nc1_cdnv"};
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE(names[i]);
        const double value = ScalarTraits<Mpfr>::to_double(reference[i]);
        // The instance is what it claims: NC1 ~ 1e-25.
        EXPECT_GT(value, 1e-27);
        EXPECT_LT(value, 1e-23);
        const Mpfr agreement = abs(widen(at256[i]) - reference[i]) / reference[i];
        EXPECT_LT(ScalarTraits<Mpfr>::to_double(agreement), 1e-50);
        EXPECT_TRUE(in_double[i] < value / 100 || in_double[i] > value * 100)
            << "double " << in_double[i] << " vs " << value;
    }
}
