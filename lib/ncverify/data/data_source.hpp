#pragma once
// DataSource: which data set a run trains on, with the options of its loader, and the
// one function that loads it. Names accepted in configurations:
//   "fashion-mnist"     data/fashion_mnist.hpp   (Debian package dataset-fashion-mnist)
//   "gaussian-mixture"  data/synthetic.hpp
//   "iris", "digits"    data/sklearn_csv.hpp     (Debian package python3-sklearn)

#include <string>
#include <string_view>

#include "ncverify/data/fashion_mnist.hpp"
#include "ncverify/data/sklearn_csv.hpp"
#include "ncverify/data/synthetic.hpp"

namespace ncverify {

enum class DataSourceKind { fashion_mnist, gaussian_mixture, iris, digits };

/// Throws InvalidArgument listing the valid names.
DataSourceKind data_source_from_name(std::string_view name);
std::string_view data_source_name(DataSourceKind kind);

struct DataSource {
    DataSourceKind kind = DataSourceKind::gaussian_mixture;
    FashionMnistOptions fashion_mnist;
    GaussianMixtureOptions gaussian_mixture;
    SklearnDigitsOptions sklearn;  // iris ignores scale_to_unit
};

/// Loads and validates the data set.
Dataset load_dataset(const DataSource& source);

}  // namespace ncverify
