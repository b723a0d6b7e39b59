// Fashion-MNIST: the real files of the Debian package dataset-fashion-mnist (selection,
// scaling, pooling checked against the raw pixels read independently), and the loader's
// errors on small files written here.
#include <gtest/gtest.h>

#include <cmath>

#include "data/data_test_files.hpp"
#include "ncverify/data/balanced_subsample.hpp"
#include "ncverify/data/fashion_mnist.hpp"
#include "ncverify/data/idx_file.hpp"
#include "ncverify/errors.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

FashionMnistOptions real(FashionMnistSplit split, Index per_class, std::uint64_t seed) {
    FashionMnistOptions o;
    o.split = split;
    o.samples_per_class = per_class;
    o.seed = seed;
    return o;
}

/// Writes <dir>/<prefix>-{images-idx3,labels-idx1}-ubyte.gz with `labels.size()` images of
/// rows x cols pixels, pixel (r, c) of image i = (i + r + c) mod 256.
void write_fashion_files(const TempDir& dir, const std::vector<std::uint8_t>& labels, std::uint32_t rows = 28,
                         std::uint32_t cols = 28, std::uint32_t label_count_in_header = 0,
                         const std::string& prefix = "train") {
    const auto count = static_cast<std::uint32_t>(labels.size());
    std::vector<std::uint8_t> pixels;
    for (std::uint32_t i = 0; i < count; ++i)
        for (std::uint32_t r = 0; r < rows; ++r)
            for (std::uint32_t c = 0; c < cols; ++c) pixels.push_back(static_cast<std::uint8_t>((i + r + c) % 256));
    write_gzip(dir / (prefix + "-images-idx3-ubyte.gz"), idx_bytes({count, rows, cols}, pixels));
    std::vector<std::uint8_t> label_bytes = labels;
    if (label_count_in_header != 0) label_bytes.resize(label_count_in_header, 0);
    write_gzip(dir / (prefix + "-labels-idx1-ubyte.gz"),
               idx_bytes({static_cast<std::uint32_t>(label_bytes.size())}, label_bytes));
}

/// Two images of each of the 10 classes, in the order 0..9, 0..9.
std::vector<std::uint8_t> two_per_class() {
    std::vector<std::uint8_t> labels;
    for (int round = 0; round < 2; ++round)
        for (std::uint8_t c = 0; c < 10; ++c) labels.push_back(c);
    return labels;
}

}  // namespace

TEST(FashionMnist, HundredPerClassFromTrain) {
    const Dataset data = load_fashion_mnist(real(FashionMnistSplit::train, 100, 1));
    EXPECT_EQ(data.num_samples(), 1000);
    EXPECT_EQ(data.input_dim(), 784);
    EXPECT_EQ(data.num_classes, 10);
    EXPECT_TRUE(data.is_balanced());
    EXPECT_TRUE(std::is_sorted(data.labels.begin(), data.labels.end()));
    EXPECT_GE(data.inputs.minCoeff(), 0.0);
    EXPECT_LE(data.inputs.maxCoeff(), 1.0);
    EXPECT_GT(data.inputs.maxCoeff(), 0.99);  // real images reach full intensity
    EXPECT_EQ(data.class_names.at(9), "Ankle boot");
    EXPECT_EQ(data.name, "fashion-mnist[train, 100/class, seed 1]");
    ASSERT_EQ(data.source_indices.size(), 1000u);
    for (std::size_t i = 1; i < 1000; ++i) {
        if (data.labels[i] == data.labels[i - 1]) {
            EXPECT_LT(data.source_indices[i - 1], data.source_indices[i]);
        }
    }
    EXPECT_LT(*std::max_element(data.source_indices.begin(), data.source_indices.end()), 60000);
    EXPECT_NO_THROW(data.validate());
}

TEST(FashionMnist, SelectionIsDeterminedBySeed) {
    const Dataset a = load_fashion_mnist(real(FashionMnistSplit::test, 20, 5));
    const Dataset b = load_fashion_mnist(real(FashionMnistSplit::test, 20, 5));
    const Dataset c = load_fashion_mnist(real(FashionMnistSplit::test, 20, 6));
    EXPECT_EQ(a.source_indices, b.source_indices);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_NE(a.source_indices, c.source_indices);
    EXPECT_NE(a.inputs, c.inputs);
}

// Pooling by 4 (7 x 7 = 49 features): each feature equals the average of its 4 x 4 pixel
// block / 255 computed here from the raw IDX pixels, for the images the documented rule selects.
TEST(FashionMnist, PoolingAveragesTheCorrespondingPixels) {
    FashionMnistOptions o = real(FashionMnistSplit::train, 100, 42);
    o.pool = 4;
    const Dataset data = load_fashion_mnist(o);
    ASSERT_EQ(data.input_dim(), 49);
    ASSERT_EQ(data.num_samples(), 1000);
    EXPECT_EQ(data.name, "fashion-mnist[train, 100/class, seed 42, pool7]");

    const std::filesystem::path dir = fashion_mnist_default_directory;
    const IdxImages images = read_idx_images(dir / "train-images-idx3-ubyte.gz");
    const std::vector<std::uint8_t> raw_labels = read_idx_labels(dir / "train-labels-idx1-ubyte.gz");
    ASSERT_EQ(images.count, 60000);
    const std::vector<Index> selected =
        balanced_subsample(std::vector<Index>(raw_labels.begin(), raw_labels.end()), 10, 100, 42, "labels");
    EXPECT_EQ(data.source_indices, selected);
    double max_error = 0;
    int not_correctly_rounded = 0;
    for (Index i = 0; i < 1000; ++i) {
        const Index image = selected[static_cast<std::size_t>(i)];
        EXPECT_EQ(data.labels[static_cast<std::size_t>(i)], raw_labels[static_cast<std::size_t>(image)]);
        for (Index a = 0; a < 7; ++a)
            for (Index b = 0; b < 7; ++b) {
                double mean = 0;
                unsigned sum = 0;
                for (Index r = 4 * a; r < 4 * a + 4; ++r)
                    for (Index c = 4 * b; c < 4 * b + 4; ++c) {
                        mean += images.pixel(image, r, c) / 255.0;
                        sum += images.pixel(image, r, c);
                    }
                mean /= 16;
                max_error = std::max(max_error, std::abs(data.inputs(7 * a + b, i) - mean));
                // The documented rounding: one division of the exact integer sum.
                if (data.inputs(7 * a + b, i) != sum / (16 * 255.0)) ++not_correctly_rounded;
            }
    }
    EXPECT_LT(max_error, 1e-15);
    EXPECT_EQ(not_correctly_rounded, 0);
}

TEST(FashionMnist, UnscaledPixelsAndCentering) {
    FashionMnistOptions o = real(FashionMnistSplit::test, 10, 3);
    o.scale_to_unit = false;
    const Dataset raw = load_fashion_mnist(o);
    EXPECT_EQ(raw.inputs.maxCoeff(), 255.0);
    EXPECT_EQ(raw.inputs, raw.inputs.array().round().matrix());
    o.center = true;
    const Dataset centered = load_fashion_mnist(o);
    EXPECT_EQ(centered.source_indices, raw.source_indices);
    EXPECT_LT(centered.inputs.rowwise().mean().cwiseAbs().maxCoeff(), 1e-12);
    const Matrix<double> mean_image = raw.inputs.rowwise().mean();
    EXPECT_LT((centered.inputs.col(0) - (raw.inputs.col(0) - mean_image)).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_EQ(centered.name, "fashion-mnist[test, 10/class, seed 3, raw 0..255, centered]");
}

TEST(FashionMnist, ZeroPerClassLoadsEveryImageOfTheSplitByClass) {
    TempDir dir;
    write_fashion_files(dir, two_per_class(), 28, 28, 0, "t10k");
    FashionMnistOptions o;
    o.directory = dir.path();
    o.split = FashionMnistSplit::test;
    o.samples_per_class = 0;
    const Dataset data = load_fashion_mnist(o);
    EXPECT_EQ(data.num_samples(), 20);
    EXPECT_EQ(data.source_indices,
              (std::vector<Index>{0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15, 6, 16, 7, 17, 8, 18, 9, 19}));
    EXPECT_EQ(data.inputs(28 * 2 + 3, 1), (10 + 2 + 3) / 255.0);  // image 10, pixel (2, 3)
}

TEST(FashionMnist, ReadsUncompressedFilesWhenNoGzipIsPresent) {
    TempDir dir;
    write_fashion_files(dir, two_per_class());
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"}) {
        std::filesystem::path gz = dir / (std::string(name) + ".gz");
        gzFile in = gzopen(gz.c_str(), "rb");
        std::vector<std::uint8_t> bytes(1 << 16);
        bytes.resize(static_cast<std::size_t>(gzread(in, bytes.data(), static_cast<unsigned>(bytes.size()))));
        gzclose(in);
        write_raw(dir / name, bytes);
        std::filesystem::remove(gz);
    }
    FashionMnistOptions o;
    o.directory = dir.path();
    o.samples_per_class = 2;
    EXPECT_EQ(load_fashion_mnist(o).num_samples(), 20);
}

TEST(FashionMnist, MissingFilesNameTheDebianPackage) {
    FashionMnistOptions o;
    o.directory = "/nonexistent/fashion";
    expect_mentions(error_message<InputError>([&] { load_fashion_mnist(o); }),
                    {"/nonexistent/fashion/train-labels-idx1-ubyte.gz", "file not found", "dataset-fashion-mnist",
                     fashion_mnist_default_directory});
}

TEST(FashionMnist, MalformedSetsAreRefused) {
    {
        TempDir dir;
        write_fashion_files(dir, two_per_class(), 28, 28, 19);
        FashionMnistOptions o;
        o.directory = dir.path();
        o.samples_per_class = 1;
        expect_mentions(error_message<InputError>([&] { load_fashion_mnist(o); }),
                        {"holds 20 images", "19 labels", "train-labels-idx1-ubyte.gz"});
    }
    {
        TempDir dir;
        write_fashion_files(dir, two_per_class(), 27, 28);
        FashionMnistOptions o;
        o.directory = dir.path();
        expect_mentions(error_message<InputError>([&] { load_fashion_mnist(o); }), {"27 x 28", "28 x 28"});
    }
    {
        TempDir dir;
        std::vector<std::uint8_t> labels = two_per_class();
        labels[4] = 10;
        write_fashion_files(dir, labels);
        FashionMnistOptions o;
        o.directory = dir.path();
        o.samples_per_class = 1;
        expect_mentions(error_message<InputError>([&] { load_fashion_mnist(o); }), {"label 10 of sample 4", "[0, 10)"});
    }
    {
        TempDir dir;
        write_fashion_files(dir, two_per_class());
        FashionMnistOptions o;
        o.directory = dir.path();
        o.samples_per_class = 3;
        expect_mentions(error_message<InputError>([&] { load_fashion_mnist(o); }),
                        {"class 0 has 2 samples, fewer than the 3 requested"});
    }
}

TEST(FashionMnist, RejectsInvalidOptions) {
    FashionMnistOptions o;
    o.pool = 3;
    expect_mentions(error_message<InvalidArgument>([&] { load_fashion_mnist(o); }),
                    {"FashionMnistOptions::pool = 3", "does not divide 28"});
    o.pool = 1;
    o.samples_per_class = -5;
    expect_mentions(error_message<InvalidArgument>([&] { load_fashion_mnist(o); }),
                    {"FashionMnistOptions::samples_per_class = -5"});
}
