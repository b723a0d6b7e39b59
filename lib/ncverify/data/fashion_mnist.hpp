#pragma once
// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 28 x 28 grey-level images of 10 classes of
// clothing, 60000 training and 10000 test images (6000 and 1000 per class), read from the
// IDX files of the Debian package dataset-fashion-mnist:
//   <directory>/{train,t10k}-images-idx3-ubyte.gz, <directory>/{train,t10k}-labels-idx1-ubyte.gz
// (each file may also be present uncompressed, without ".gz"; the ".gz" name is tried first).
//
// The Dataset (see dataset.hpp) is built in this order:
//   1. selection: balanced_subsample(labels, 10, samples_per_class, seed) — n distinct
//      images per class drawn uniformly (all of them when n = 0), ordered by class and,
//      within a class, by position in the file (balanced_subsample.hpp gives the exact rule);
//      source_indices records those positions;
//   2. features: with pooling factor f (dividing 28) and q = 28 / f, feature
//      a q + b (a, b in [0, q)) of an image is the mean of its f x f block of pixels
//      p(f a + u, f b + v), u, v in [0, f), divided by 255 when scale_to_unit:
//          x = (sum of the f^2 pixels) / (f^2 * 255)      (or / f^2 without scaling).
//      The integer sum is exact, so each feature is the double nearest the exact mean
//      (one rounding); f = 1 gives the 784 pixels in row-major order;
//   3. centering (optional): Dataset::center_inputs(), subtracting the mean image of the
//      selected samples.
// Guarantees: N = 10 n (n > 0), K = 10, labels sorted, balanced when n > 0, every feature
// in [0, 1] when scale_to_unit and not centered, class_names the 10 Fashion-MNIST names,
// and the same Dataset for the same options on every platform.

#include <cstdint>
#include <filesystem>

#include "ncverify/data/dataset.hpp"

namespace ncverify {

/// Where the Debian package dataset-fashion-mnist installs the files.
inline constexpr const char* fashion_mnist_default_directory = "/usr/share/datasets/fashion-mnist";
inline constexpr Index fashion_mnist_image_side = 28;
inline constexpr Index fashion_mnist_num_classes = 10;

enum class FashionMnistSplit { train, test };

struct FashionMnistOptions {
    std::filesystem::path directory = fashion_mnist_default_directory;
    FashionMnistSplit split = FashionMnistSplit::train;
    /// n images per class (n >= 1), or 0 for every image of the split.
    Index samples_per_class = 100;
    /// Seed of the selection (unused when samples_per_class = 0).
    std::uint64_t seed = 0;
    /// Divide pixel values (0..255) by 255, giving features in [0, 1].
    bool scale_to_unit = true;
    /// Subtract the mean image of the selected samples.
    bool center = false;
    /// Average-pooling factor f: 1 (none), 2, 4, 7, 14 or 28 (must divide 28); features = (28 / f)^2.
    Index pool = 1;
};

/// Loads the split as described above. Throws InvalidArgument naming the option when
/// samples_per_class < 0 or pool does not divide 28; InputError when a file is missing
/// (naming the package dataset-fashion-mnist), malformed (idx_file.hpp), not 28 x 28
/// images, when images and labels differ in count, a label is outside [0, 10), or a class
/// has fewer than samples_per_class images.
Dataset load_fashion_mnist(const FashionMnistOptions& options = {});

}  // namespace ncverify
