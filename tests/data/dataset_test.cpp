// Dataset: counts, balance, one-hot targets, centering and every violation validate() reports.
#include <gtest/gtest.h>

#include <limits>

#include "data/data_test_files.hpp"
#include "ncverify/data/dataset.hpp"
#include "ncverify/errors.hpp"

using namespace ncverify;
using ncverify::testing::error_message;
using ncverify::testing::expect_mentions;

namespace {

/// 2 features, 3 classes with 2, 1, 2 samples.
Dataset small_dataset() {
    Dataset data;
    data.inputs.resize(2, 5);
    data.inputs << 1, 2, 3, 4, 5,  //
        -1, 0, 1, 2, 8;
    data.labels = {0, 0, 1, 2, 2};
    data.num_classes = 3;
    data.name = "small";
    return data;
}

}  // namespace

TEST(Dataset, ShapesCountsAndBalance) {
    Dataset data = small_dataset();
    EXPECT_NO_THROW(data.validate());
    EXPECT_EQ(data.input_dim(), 2);
    EXPECT_EQ(data.num_samples(), 5);
    EXPECT_EQ(data.class_counts(), (std::vector<Index>{2, 1, 2}));
    EXPECT_FALSE(data.is_balanced());
    data.inputs.conservativeResize(2, 6);
    data.inputs.col(5).setZero();
    data.labels = {0, 0, 1, 1, 2, 2};
    EXPECT_TRUE(data.is_balanced());
}

TEST(Dataset, OneHotMarksEachSampleClass) {
    const Dataset data = small_dataset();
    const Matrix<double> y = data.one_hot();
    ASSERT_EQ(y.rows(), 3);
    ASSERT_EQ(y.cols(), 5);
    for (Index i = 0; i < 5; ++i)
        for (Index c = 0; c < 3; ++c) EXPECT_EQ(y(c, i), data.labels[static_cast<std::size_t>(i)] == c ? 1.0 : 0.0);
    EXPECT_EQ(y.colwise().sum(), Matrix<double>::Ones(1, 5));
}

TEST(Dataset, CenteringSubtractsTheMeanInput) {
    Dataset data = small_dataset();
    data.center_inputs();
    EXPECT_EQ(data.inputs(0, 0), 1.0 - 3.0);
    EXPECT_EQ(data.inputs(1, 4), 8.0 - 2.0);
    EXPECT_LT(data.inputs.rowwise().sum().cwiseAbs().maxCoeff(), 1e-14);
    Dataset empty;
    empty.name = "empty";
    expect_mentions(error_message<InputError>([&] { empty.center_inputs(); }), {"empty", "without samples"});
}

TEST(Dataset, ValidateNamesEachViolation) {
    struct Case {
        const char* what;
        void (*corrupt)(Dataset&);
        std::initializer_list<std::string> fragments;
    };
    const Case cases[] = {
        {"no classes", [](Dataset& d) { d.num_classes = 0; }, {"num_classes = 0"}},
        {"no features", [](Dataset& d) { d.inputs.resize(0, 5); }, {"0 rows"}},
        {"labels size", [](Dataset& d) { d.labels.pop_back(); }, {"labels has 4 entries", "5 columns"}},
        {"label range", [](Dataset& d) { d.labels.back() = 3; }, {"label 3 of sample 4", "[0, 3)"}},
        {"negative label", [](Dataset& d) { d.labels.front() = -1; }, {"label -1 of sample 0"}},
        {"order", [](Dataset& d) { d.labels = {0, 1, 0, 2, 2}; }, {"not ordered by class", "sample 2", "sample 1"}},
        {"empty class", [](Dataset& d) { d.labels = {0, 0, 0, 2, 2}; }, {"class 1 has no samples"}},
        {"nan", [](Dataset& d) { d.inputs(1, 3) = std::numeric_limits<double>::quiet_NaN(); },
         {"sample 3, feature 1", "nan", "finite"}},
        {"inf", [](Dataset& d) { d.inputs(0, 2) = -std::numeric_limits<double>::infinity(); },
         {"sample 2, feature 0", "-inf"}},
        {"class names", [](Dataset& d) { d.class_names = {"a", "b"}; }, {"class_names has 2 entries", "3 classes"}},
        {"source indices", [](Dataset& d) { d.source_indices = {0}; }, {"source_indices has 1 entries", "5 samples"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Dataset data = small_dataset();
        c.corrupt(data);
        const std::string message = error_message<InputError>([&] { data.validate(); });
        expect_mentions(message, {"dataset \"small\""});
        expect_mentions(message, c.fragments);
    }
}

TEST(Dataset, CountsAndOneHotRefuseLabelsOutOfRange) {
    Dataset data = small_dataset();
    data.labels[2] = 7;
    expect_mentions(error_message<InputError>([&] { data.class_counts(); }), {"label 7 of sample 2"});
    expect_mentions(error_message<InputError>([&] { data.one_hot(); }), {"label 7 of sample 2"});
}
