#pragma once
// The two small real classification sets that scikit-learn ships as CSV files, read from
// the Debian package python3-sklearn (directory sklearn_data_default_directory):
//
// iris.csv (Fisher's iris: 150 samples, 4 features in cm, 3 classes of 50). Text, one
// record per line, comma-separated. The first line is a header
//     <samples>,<features>,<class name 0>,<class name 1>,...   e.g. "150,4,setosa,versicolor,virginica"
// and each following line is one sample: <features> numbers, then the class index
//     5.1,3.5,1.4,0.2,0
// The number of classes K is the number of class names in the header.
//
// digits.csv.gz (UCI optical digits, 8 x 8 images: 1797 samples, 64 features in
// [0, 16], 10 classes of 174 to 183). Gzip-compressed text (read raw as well), no
// header; each line is one sample: the 64 pixels in row-major order, then the digit
//     0,0,5,13,9,1,0,0,...,0,0
// (numbers in any decimal notation, e.g. "5" or "5.000000000000000000e+00"). K = 10.
//
// Both readers: numbers are parsed exactly as C++ from_chars reads them (the double
// nearest the decimal text, locale-independent); spaces around fields, CR-LF line ends and
// blank lines are accepted; the class field must be an integer in [0, K); every value must
// be finite. The Dataset is then built as in fashion_mnist.hpp: selection by
// balanced_subsample (every sample when samples_per_class = 0, ordered by class and then by
// line in the file; source_indices gives each sample's record number, 0 = first record),
// optional scaling (digits only: pixel / 16, exact since 16 is a power of 2), optional
// centering (Dataset::center_inputs). Files over 256 MiB of text are refused (the real ones
// hold 4 kB and 260 kB). Errors are InputError naming the file and line (and
// the package python3-sklearn when the file is missing), or InvalidArgument naming an
// option.

#include <cstdint>
#include <filesystem>

#include "ncverify/data/dataset.hpp"

namespace ncverify {

/// Where the Debian package python3-sklearn installs scikit-learn's data files.
inline constexpr const char* sklearn_data_default_directory = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

struct SklearnCsvOptions {
    std::filesystem::path directory = sklearn_data_default_directory;
    /// n samples per class (n >= 1), or 0 for every sample (the sets are small).
    Index samples_per_class = 0;
    /// Seed of the selection (unused when samples_per_class = 0).
    std::uint64_t seed = 0;
    /// Subtract the mean input of the selected samples.
    bool center = false;
};

struct SklearnDigitsOptions : SklearnCsvOptions {
    /// Divide pixels (0..16) by 16, giving features in [0, 1].
    bool scale_to_unit = true;
};

/// <directory>/iris.csv as described above (d = 4, K = 3 for the real file); class_names
/// from the header.
Dataset load_sklearn_iris(const SklearnCsvOptions& options = {});

/// <directory>/digits.csv.gz (or digits.csv when only that exists) as described above
/// (d = 64, K = 10); class_names "0" to "9".
Dataset load_sklearn_digits(const SklearnDigitsOptions& options = {});

}  // namespace ncverify
