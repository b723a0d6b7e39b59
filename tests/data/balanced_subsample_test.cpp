// The selection rule of every loader: balanced, ordered by class then by original index,
// uniform within a class, reproducible by seed.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "data/data_test_files.hpp"
#include "ncverify/data/balanced_subsample.hpp"
#include "ncverify/errors.hpp"

using namespace ncverify;
using ncverify::testing::error_message;
using ncverify::testing::expect_mentions;

// Random labels (every class present, in random order), a feasible n and a seed: the
// selection has n members of each class (all of them for n = 0), each a distinct index
// of that class, ordered by class then index, and the same seed gives the same selection.
RC_GTEST_PROP(BalancedSubsampleProperties, BalancedSortedDistinctAndReproducible, ()) {
    const Index num_classes = *rc::gen::inRange<Index>(1, 6);
    std::vector<Index> labels = *rc::gen::container<std::vector<Index>>(rc::gen::inRange<Index>(0, num_classes));
    for (Index c = 0; c < num_classes; ++c)  // every class present, at a random place
        labels.insert(labels.begin() + *rc::gen::inRange<std::ptrdiff_t>(0, std::ssize(labels) + 1), c);
    std::vector<Index> counts(static_cast<std::size_t>(num_classes), 0);
    for (const Index label : labels) ++counts[static_cast<std::size_t>(label)];
    const Index smallest = *std::min_element(counts.begin(), counts.end());
    const Index n = *rc::gen::inRange<Index>(0, smallest + 1);
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();

    const std::vector<Index> selected = balanced_subsample(labels, num_classes, n, seed, "labels");
    RC_ASSERT(selected == balanced_subsample(labels, num_classes, n, seed, "labels"));
    RC_ASSERT(selected.size() == (n == 0 ? labels.size() : static_cast<std::size_t>(n * num_classes)));
    std::vector<Index> per_class(static_cast<std::size_t>(num_classes), 0);
    for (std::size_t i = 0; i < selected.size(); ++i) {
        RC_ASSERT(selected[i] >= 0 && selected[i] < static_cast<Index>(labels.size()));
        const Index label = labels[static_cast<std::size_t>(selected[i])];
        ++per_class[static_cast<std::size_t>(label)];
        if (i > 0) {
            const Index previous = labels[static_cast<std::size_t>(selected[i - 1])];
            RC_ASSERT(previous <= label);
            if (previous == label) RC_ASSERT(selected[i - 1] < selected[i]);
        }
    }
    RC_ASSERT(per_class == (n == 0 ? counts : std::vector<Index>(static_cast<std::size_t>(num_classes), n)));
}

// Each of the C(4, 2) = 6 pairs of a 4-member class is drawn with probability 1/6:
// 6000 seeds, each pair's frequency within 5 standard deviations of 1000.
TEST(BalancedSubsample, EverySubsetOfAClassIsEquallyLikely) {
    const std::vector<Index> labels = {1, 0, 0, 1, 0, 0, 1};
    std::map<std::vector<Index>, int> frequency;
    for (std::uint64_t seed = 0; seed < 6000; ++seed) {
        std::vector<Index> selected = balanced_subsample(labels, 2, 2, seed, "labels");
        selected.resize(2);  // class 0's pair
        ++frequency[selected];
    }
    ASSERT_EQ(frequency.size(), 6u);
    const double sd = std::sqrt(6000.0 * (1.0 / 6) * (5.0 / 6));
    for (const auto& [pair, count] : frequency) EXPECT_NEAR(count, 1000.0, 5 * sd) << pair[0] << "," << pair[1];
}

TEST(BalancedSubsample, ZeroSelectsEverySampleStablyByClass) {
    EXPECT_EQ(balanced_subsample({2, 0, 1, 0, 2}, 3, 0, 9, "labels"), (std::vector<Index>{1, 3, 2, 0, 4}));
}

TEST(BalancedSubsample, ErrorsNameTheClassAndSource) {
    expect_mentions(error_message<InputError>([] { balanced_subsample({0, 1, 1, 0, 1}, 2, 3, 0, "labels.idx"); }),
                    {"labels.idx", "class 0 has 2 samples", "fewer than the 3 requested"});
    expect_mentions(error_message<InputError>([] { balanced_subsample({0, 2}, 3, 1, 0, "f"); }),
                    {"class 1 has no samples"});
    expect_mentions(error_message<InputError>([] { balanced_subsample({0, 5}, 3, 1, 0, "f"); }),
                    {"label 5 of sample 1", "[0, 3)"});
    expect_mentions(error_message<InvalidArgument>([] { balanced_subsample({0}, 1, -1, 0, "f"); }),
                    {"samples_per_class = -1"});
    expect_mentions(error_message<InvalidArgument>([] { balanced_subsample({}, 0, 1, 0, "f"); }), {"num_classes = 0"});
}
