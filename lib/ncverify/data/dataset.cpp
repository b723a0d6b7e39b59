#include "ncverify/data/dataset.hpp"

#include <algorithm>
#include <cmath>

#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

std::string prefix(const Dataset& data) { return "dataset \"" + data.name + "\": "; }

void check_label_range(const Dataset& data) {
    for (std::size_t i = 0; i < data.labels.size(); ++i)
        if (data.labels[i] < 0 || data.labels[i] >= data.num_classes)
            throw InputError(prefix(data) + "label " + std::to_string(data.labels[i]) + " of sample " +
                             std::to_string(i) + " is outside [0, " + std::to_string(data.num_classes) + ")");
}

}  // namespace

std::vector<Index> Dataset::class_counts() const {
    check_label_range(*this);
    std::vector<Index> counts(static_cast<std::size_t>(std::max<Index>(num_classes, 0)), 0);
    for (const Index label : labels) ++counts[static_cast<std::size_t>(label)];
    return counts;
}

bool Dataset::is_balanced() const {
    const std::vector<Index> counts = class_counts();
    for (const Index count : counts)
        if (count != counts.front()) return false;
    return true;
}

Matrix<double> Dataset::one_hot() const {
    check_label_range(*this);
    Matrix<double> y = Matrix<double>::Zero(num_classes, static_cast<Index>(labels.size()));
    for (std::size_t i = 0; i < labels.size(); ++i) y(labels[i], static_cast<Index>(i)) = 1.0;
    return y;
}

void Dataset::center_inputs() {
    if (num_samples() < 1) throw InputError(prefix(*this) + "cannot center the inputs of a dataset without samples");
    Vector<double> mean = Vector<double>::Zero(input_dim());
    for (Index i = 0; i < num_samples(); ++i) mean += inputs.col(i);
    mean /= static_cast<double>(num_samples());
    inputs.colwise() -= mean;
}

void Dataset::validate() const {
    const std::string where = prefix(*this);
    const Index n = num_samples();
    if (num_classes < 1)
        throw InputError(where + "num_classes = " + std::to_string(num_classes) + "; it must be at least 1");
    if (input_dim() < 1)
        throw InputError(where + "inputs have " + std::to_string(input_dim()) +
                         " rows (features); at least 1 is required");
    if (static_cast<Index>(labels.size()) != n)
        throw InputError(where + "labels has " + std::to_string(labels.size()) + " entries but inputs has " +
                         std::to_string(n) + " columns (samples); there must be one label per sample");
    check_label_range(*this);
    for (Index i = 1; i < n; ++i)
        if (labels[i] < labels[i - 1])
            throw InputError(where + "samples are not ordered by class: sample " + std::to_string(i) + " has label " +
                             std::to_string(labels[i]) + " after sample " + std::to_string(i - 1) + " with label " +
                             std::to_string(labels[i - 1]) +
                             "; labels must be non-decreasing (all of class 0, then class 1, ...)");
    const std::vector<Index> counts = class_counts();
    for (std::size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0)
            throw InputError(where + "class " + std::to_string(c) + " has no samples; each of the " +
                             std::to_string(num_classes) + " classes needs at least one");
    for (Index i = 0; i < n; ++i)
        for (Index f = 0; f < input_dim(); ++f)
            if (!std::isfinite(inputs(f, i)))
                throw InputError(where + "input of sample " + std::to_string(i) + ", feature " + std::to_string(f) +
                                 " is " + std::to_string(inputs(f, i)) + "; inputs must be finite");
    if (!class_names.empty() && static_cast<Index>(class_names.size()) != num_classes)
        throw InputError(where + "class_names has " + std::to_string(class_names.size()) + " entries for " +
                         std::to_string(num_classes) + " classes; it must be empty or name every class");
    if (!source_indices.empty() && static_cast<Index>(source_indices.size()) != n)
        throw InputError(where + "source_indices has " + std::to_string(source_indices.size()) + " entries for " +
                         std::to_string(n) + " samples; it must be empty or have one entry per sample");
}

}  // namespace ncverify
