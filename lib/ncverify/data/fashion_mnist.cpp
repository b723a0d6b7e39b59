#include "ncverify/data/fashion_mnist.hpp"

#include <string>

#include "ncverify/data/balanced_subsample.hpp"
#include "ncverify/data/idx_file.hpp"
#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

const std::vector<std::string> fashion_mnist_class_names = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

/// The file `stem`.gz in the directory, or `stem` when only the uncompressed file exists.
std::filesystem::path locate(const std::filesystem::path& directory, const std::string& stem) {
    const std::filesystem::path compressed = directory / (stem + ".gz");
    const std::filesystem::path raw = directory / stem;
    std::error_code error;
    return !std::filesystem::exists(compressed, error) && std::filesystem::exists(raw, error) ? raw : compressed;
}

void validate_options(const FashionMnistOptions& options) {
    if (options.samples_per_class < 0)
        throw InvalidArgument("FashionMnistOptions::samples_per_class = " + std::to_string(options.samples_per_class) +
                              "; use 0 (every image) or a positive count");
    if (options.pool < 1 || fashion_mnist_image_side % options.pool != 0)
        throw InvalidArgument("FashionMnistOptions::pool = " + std::to_string(options.pool) +
                              " does not divide 28; use 1, 2, 4, 7, 14 or 28");
}

std::string describe(const FashionMnistOptions& options) {
    const Index side = fashion_mnist_image_side / options.pool;
    std::string name = std::string("fashion-mnist[") + (options.split == FashionMnistSplit::train ? "train" : "test");
    if (options.samples_per_class > 0)
        name += ", " + std::to_string(options.samples_per_class) + "/class, seed " + std::to_string(options.seed);
    else
        name += ", all";
    if (!options.scale_to_unit) name += ", raw 0..255";
    if (options.center) name += ", centered";
    if (options.pool > 1) name += ", pool" + std::to_string(side);
    return name + "]";
}

}  // namespace

Dataset load_fashion_mnist(const FashionMnistOptions& options) {
    validate_options(options);
    const std::string prefix = options.split == FashionMnistSplit::train ? "train" : "t10k";
    const std::string hint = "the Debian package dataset-fashion-mnist provides it in " +
                             std::string(fashion_mnist_default_directory) +
                             " (apt-get install dataset-fashion-mnist, or run scripts/install-deps.sh); "
                             "data.directory in the configuration selects another directory";
    const std::filesystem::path images_file = locate(options.directory, prefix + "-images-idx3-ubyte");
    const std::filesystem::path labels_file = locate(options.directory, prefix + "-labels-idx1-ubyte");

    const std::vector<std::uint8_t> raw_labels = read_idx_labels(labels_file, hint);
    const IdxImages images = read_idx_images(images_file, hint);
    if (images.rows != fashion_mnist_image_side || images.cols != fashion_mnist_image_side)
        throw InputError(images_file.string() + ": images are " + std::to_string(images.rows) + " x " +
                         std::to_string(images.cols) + " pixels; Fashion-MNIST images are 28 x 28");
    if (images.count != static_cast<Index>(raw_labels.size()))
        throw InputError(images_file.string() + " holds " + std::to_string(images.count) + " images but " +
                         labels_file.string() + " holds " + std::to_string(raw_labels.size()) +
                         " labels; they must have one label per image");

    const std::vector<Index> labels(raw_labels.begin(), raw_labels.end());
    const std::vector<Index> selected = balanced_subsample(labels, fashion_mnist_num_classes, options.samples_per_class,
                                                           options.seed, labels_file.string());

    const Index f = options.pool;
    const Index side = fashion_mnist_image_side / f;
    const double divisor = static_cast<double>(f * f) * (options.scale_to_unit ? 255.0 : 1.0);
    Dataset data;
    data.num_classes = fashion_mnist_num_classes;
    data.class_names = fashion_mnist_class_names;
    data.source_indices = selected;
    data.inputs.resize(side * side, static_cast<Index>(selected.size()));
    data.labels.reserve(selected.size());
    for (std::size_t i = 0; i < selected.size(); ++i) {
        const Index image = selected[i];
        data.labels.push_back(labels[static_cast<std::size_t>(image)]);
        for (Index a = 0; a < side; ++a)
            for (Index b = 0; b < side; ++b) {
                unsigned sum = 0;
                for (Index u = 0; u < f; ++u)
                    for (Index v = 0; v < f; ++v) sum += images.pixel(image, f * a + u, f * b + v);
                data.inputs(a * side + b, static_cast<Index>(i)) = static_cast<double>(sum) / divisor;
            }
    }
    if (options.center) data.center_inputs();
    data.name = describe(options);
    data.validate();
    return data;
}

}  // namespace ncverify
