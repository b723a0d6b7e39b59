// Balanced Gaussian mixture: layout, the documented construction, determinism by seed,
// option validation.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "data/data_test_files.hpp"
#include "ncverify/data/synthetic.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;
using ncverify::testing::error_message;
using ncverify::testing::expect_mentions;

namespace {

GaussianMixtureOptions options(std::uint64_t seed = 7) {
    GaussianMixtureOptions o;
    o.input_dim = 5;
    o.num_classes = 3;
    o.samples_per_class = 4;
    o.mean_separation = 2.5;
    o.noise = 0.3;
    o.seed = seed;
    return o;
}

}  // namespace

TEST(GaussianMixture, ShapesLabelsAndOneHot) {
    const Dataset data = gaussian_mixture(options());
    EXPECT_EQ(data.input_dim(), 5);
    EXPECT_EQ(data.num_samples(), 12);
    EXPECT_EQ(data.num_classes, 3);
    EXPECT_EQ(data.labels, (std::vector<Index>{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}));
    EXPECT_TRUE(data.is_balanced());
    EXPECT_TRUE(data.source_indices.empty());
    const Matrix<double> y = data.one_hot();
    EXPECT_EQ(y.block(1, 4, 1, 4), Matrix<double>::Ones(1, 4));
    EXPECT_EQ(y.sum(), 12.0);
    EXPECT_NE(data.name.find("seed=7"), std::string::npos) << data.name;
    EXPECT_NO_THROW(data.validate());
}

TEST(GaussianMixture, SameSeedIsBitIdenticalOtherSeedDiffers) {
    const Dataset a = gaussian_mixture(options(11)), b = gaussian_mixture(options(11));
    ASSERT_EQ(a.inputs.size(), b.inputs.size());
    const std::size_t bytes = sizeof(double) * static_cast<std::size_t>(a.inputs.size());
    EXPECT_EQ(std::memcmp(a.inputs.data(), b.inputs.data(), bytes), 0);
    EXPECT_EQ(a.labels, b.labels);
    const Dataset c = gaussian_mixture(options(12));
    EXPECT_NE(a.inputs, c.inputs);
}

// The documented construction, replayed draw by draw with plain arithmetic.
TEST(GaussianMixture, FollowsTheDocumentedDrawOrder) {
    const GaussianMixtureOptions o = options(3);
    const Dataset data = gaussian_mixture(o);
    RandomSource random(o.seed);
    const Matrix<double> g = random.gaussian_matrix(o.input_dim, o.num_classes);
    for (Index i = 0; i < data.num_samples(); ++i) {
        const Index c = i / o.samples_per_class;
        const double norm = g.col(c).norm();
        for (Index f = 0; f < o.input_dim; ++f) {
            const double expected = o.mean_separation * g(f, c) / norm + o.noise * random.gaussian();
            EXPECT_NEAR(data.inputs(f, i), expected, 1e-14 * o.mean_separation) << "sample " << i << " feature " << f;
        }
    }
}

TEST(GaussianMixture, WithoutNoiseEverySampleIsItsMeanOfNormSeparation) {
    GaussianMixtureOptions o = options(5);
    o.noise = 0;
    o.input_dim = 40;
    const Dataset data = gaussian_mixture(o);
    for (Index i = 0; i < data.num_samples(); ++i) {
        EXPECT_NEAR(data.inputs.col(i).norm(), o.mean_separation, 1e-14 * o.mean_separation);
        EXPECT_EQ(data.inputs.col(i), data.inputs.col(i - i % o.samples_per_class));
    }
    EXPECT_NE(data.inputs.col(0), data.inputs.col(o.samples_per_class));
}

TEST(GaussianMixture, RejectsOptionsNamingTheField) {
    struct Case {
        void (*set)(GaussianMixtureOptions&);
        const char* field;
    };
    const Case cases[] = {
        {[](GaussianMixtureOptions& o) { o.input_dim = 0; }, "input_dim = 0"},
        {[](GaussianMixtureOptions& o) { o.num_classes = -2; }, "num_classes = -2"},
        {[](GaussianMixtureOptions& o) { o.samples_per_class = 0; }, "samples_per_class = 0"},
        {[](GaussianMixtureOptions& o) { o.noise = -0.1; }, "noise"},
        {[](GaussianMixtureOptions& o) { o.noise = std::numeric_limits<double>::quiet_NaN(); }, "noise"},
        {[](GaussianMixtureOptions& o) { o.mean_separation = std::numeric_limits<double>::infinity(); },
         "mean_separation"},
        {[](GaussianMixtureOptions& o) { o.input_dim = o.samples_per_class = Index{1} << 40; }, "overflows"},
    };
    for (const Case& c : cases) {
        GaussianMixtureOptions o = options();
        c.set(o);
        expect_mentions(error_message<InvalidArgument>([&] { gaussian_mixture(o); }),
                        {"GaussianMixtureOptions", c.field});
    }
}
