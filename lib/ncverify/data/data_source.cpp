#include "ncverify/data/data_source.hpp"

#include <fmt/core.h>

#include "ncverify/errors.hpp"

namespace ncverify {

DataSourceKind data_source_from_name(std::string_view name) {
    if (name == "fashion-mnist") return DataSourceKind::fashion_mnist;
    if (name == "gaussian-mixture") return DataSourceKind::gaussian_mixture;
    if (name == "iris") return DataSourceKind::iris;
    if (name == "digits") return DataSourceKind::digits;
    throw InvalidArgument(fmt::format(
        "data source \"{}\" is unknown; valid sources are fashion-mnist, gaussian-mixture, iris, digits", name));
}

std::string_view data_source_name(DataSourceKind kind) {
    switch (kind) {
        case DataSourceKind::fashion_mnist: return "fashion-mnist";
        case DataSourceKind::gaussian_mixture: return "gaussian-mixture";
        case DataSourceKind::iris: return "iris";
        case DataSourceKind::digits: return "digits";
    }
    return "";
}

Dataset load_dataset(const DataSource& source) {
    Dataset dataset;
    switch (source.kind) {
        case DataSourceKind::fashion_mnist: dataset = load_fashion_mnist(source.fashion_mnist); break;
        case DataSourceKind::gaussian_mixture: dataset = gaussian_mixture(source.gaussian_mixture); break;
        case DataSourceKind::iris: dataset = load_sklearn_iris(source.sklearn); break;
        case DataSourceKind::digits: dataset = load_sklearn_digits(source.sklearn); break;
    }
    dataset.validate();
    return dataset;
}

}  // namespace ncverify
