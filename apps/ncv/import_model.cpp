#include "import_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>

#include "check_command.hpp"
#include "ncverify/checkers/certified_state.hpp"
#include "ncverify/checkers/check_state.hpp"
#include "ncverify/checkers/registry.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/npy_file.hpp"
#include "ncverify/io/npz_archive.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify::app {

namespace {

// ---- where the arrays are ----------------------------------------------------------

/// The arrays of an import: the members of one .npz archive, or .npy files in a directory.
class ArrayStore {
public:
    explicit ArrayStore(const ImportSpec& spec) : directory_(spec.directory) {
        if (!spec.archive.empty()) {
            archive_ = read_npz_archive(directory_ / spec.archive);
            where_ = archive_->file.string();
        } else {
            where_ = spec.origin;
        }
    }

    /// The archive, or the manifest / directory: what messages about the arrays start with.
    const std::string& where() const { return where_; }

    /// The default name of an array: "X" in an archive, "X.npy" as a file.
    std::string default_name(const std::string& stem) const { return archive_ ? stem : stem + ".npy"; }

    bool contains(const std::string& name) const {
        if (archive_) return archive_->contains(name);
        std::error_code error;
        return std::filesystem::is_regular_file(directory_ / name, error);
    }

    /// The array `name`; a missing one names the archive and the arrays present, or the
    /// missing file.
    NpyArray get(const std::string& name) const {
        if (archive_) return archive_->at(name);
        return read_npy_file(directory_ / name);
    }

    /// The stems of every array present (archive members; *.npy files of the directory).
    std::vector<std::string> stems() const {
        if (archive_) return archive_->names();
        std::vector<std::string> result;
        std::error_code error;
        const std::filesystem::path directory = directory_.empty() ? std::filesystem::path(".") : directory_;
        for (const auto& entry : std::filesystem::directory_iterator(directory, error))
            if (entry.path().extension() == ".npy") result.push_back(entry.path().stem().string());
        return result;
    }

private:
    std::filesystem::path directory_;
    std::optional<NpzArchive> archive_;
    std::string where_;
};

/// The k of "W<k>" (decimal, no sign, no leading zero), or 0.
Index weight_number(const std::string& stem) {
    if (stem.size() < 2 || stem[0] != 'W' || stem[1] == '0') return 0;
    Index k = 0;
    const auto [end, error] = std::from_chars(stem.data() + 1, stem.data() + stem.size(), k);
    return error == std::errc() && end == stem.data() + stem.size() ? k : 0;
}

/// W<first>, W<first+1>, ... as long as they are present; the first must be present, and
/// no W<k> may follow after a gap.
std::vector<std::string> default_weight_names(const ArrayStore& store, Index first, ImportLayout layout) {
    std::vector<std::string> names;
    for (Index k = first; store.contains(store.default_name(fmt::format("W{}", k))); ++k)
        names.push_back(store.default_name(fmt::format("W{}", k)));
    if (names.empty()) {
        // Throws naming the archive and the arrays present, or the missing file.
        store.get(store.default_name(fmt::format("W{}", first)));
        throw InputError(fmt::format("{}: no weight W{}", store.where(), first));
    }
    const Index last = first + static_cast<Index>(names.size()) - 1;
    for (const std::string& stem : store.stems()) {
        const Index k = weight_number(stem);
        if (k > last + 1)
            throw InputError(fmt::format(
                "{}: holds {} but not W{}; the {} layout reads the weights W{} .. W<L> numbered consecutively",
                store.where(), stem, last + 1, import_layout_name(layout), first));
    }
    return names;
}

std::string shape_text(const Matrix<double>& m) { return fmt::format("{}x{}", m.rows(), m.cols()); }

/// The name without a trailing ".npy" (archive members and .npy files compared alike).
std::string stem_of(const std::string& name) {
    return name.size() > 4 && name.ends_with(".npy") ? name.substr(0, name.size() - 4) : name;
}

/// One linear layer of a PyTorch state_dict of an nn.Sequential MLP: "<prefix><i>.weight"
/// and, when present, "<prefix><i>.bias" (e.g. "0.weight", "0.bias", "2.weight", or
/// "model.0.weight"); i is the module index (activations have none).
struct TorchLayerNames {
    Index index = 0;
    std::string weight;
    std::optional<std::string> bias;
};

/// The layers named as in a PyTorch state_dict, in module order; empty when no array is
/// named "<prefix><i>.weight". All must share one prefix.
std::vector<TorchLayerNames> torch_layer_names(const ArrayStore& store) {
    std::vector<TorchLayerNames> layers;
    std::optional<std::string> prefix;
    for (const std::string& stem : store.stems()) {
        if (!stem.ends_with(".weight")) continue;
        const std::string head = stem.substr(0, stem.size() - 7);
        const std::size_t dot = head.find_last_of('.');
        const std::string number = dot == std::string::npos ? head : head.substr(dot + 1);
        Index index = 0;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (number.empty() || error != std::errc() || end != number.data() + number.size()) continue;
        const std::string this_prefix = dot == std::string::npos ? "" : head.substr(0, dot + 1);
        if (prefix && *prefix != this_prefix)
            throw InputError(fmt::format("{}: PyTorch-style weights with two prefixes, \"{}\" and \"{}\"; import one "
                                         "nn.Sequential at a time",
                                         store.where(), *prefix, this_prefix));
        prefix = this_prefix;
        TorchLayerNames layer{index, store.default_name(stem), std::nullopt};
        const std::string bias = head + ".bias";
        if (store.contains(store.default_name(bias))) layer.bias = store.default_name(bias);
        layers.push_back(std::move(layer));
    }
    std::sort(layers.begin(), layers.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    return layers;
}

/// b_l from an array of shape (n,), (n, 1) or (1, n).
Vector<double> read_bias_vector(const NpyArray& array, const std::string& where) {
    const Matrix<double> m = array.shape.size() == 1 ? Matrix<double>(npy_to_vector(array)) : npy_to_matrix(array);
    if (m.rows() != 1 && m.cols() != 1)
        throw ShapeMismatch(fmt::format("{}: the bias {} is {}; a bias is a vector (n,), (n, 1) or (1, n)", where,
                                        array.name, shape_text(m)));
    return m.reshaped();
}

// ---- labels ------------------------------------------------------------------------

/// Checks the labels against N and K and reorders the columns of `data` and the labels by
/// class (stable) when they are not sorted; returns the note saying so, if any.
std::optional<std::string> sort_samples_by_class(Matrix<double>& data, std::vector<Index>& labels, Index num_classes,
                                                 const std::string& where, const std::string& labels_name,
                                                 const std::string& data_name) {
    if (static_cast<Index>(labels.size()) != data.cols())
        throw ShapeMismatch(fmt::format("{}: {} has {} labels but {} has {} samples", where, labels_name, labels.size(),
                                        data_name, data.cols()));
    std::vector<Index> counts(static_cast<std::size_t>(num_classes), 0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= num_classes)
            throw InputError(fmt::format("{}: {}: label {} of sample {} is outside [0, {}) (K = {} classes)", where,
                                         labels_name, labels[i], i, num_classes, num_classes));
        ++counts[static_cast<std::size_t>(labels[i])];
    }
    for (Index c = 0; c < num_classes; ++c)
        if (counts[static_cast<std::size_t>(c)] == 0)
            throw InputError(fmt::format("{}: {}: class {} has no samples; each of the K = {} classes needs at least one",
                                         where, labels_name, c, num_classes));
    const auto unsorted = std::is_sorted_until(labels.begin(), labels.end());
    if (unsorted == labels.end()) return std::nullopt;
    const std::size_t first = static_cast<std::size_t>(unsorted - labels.begin());
    std::vector<std::size_t> order(labels.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
    Matrix<double> sorted(data.rows(), data.cols());
    std::vector<Index> sorted_labels(labels.size());
    for (std::size_t j = 0; j < order.size(); ++j) {
        sorted.col(static_cast<Index>(j)) = data.col(static_cast<Index>(order[j]));
        sorted_labels[j] = labels[order[j]];
    }
    const std::string note = fmt::format(
        "imported samples reordered by class (stable sort): the labels in {} were not sorted (sample {} has label {} "
        "after label {}); the checkers read the samples grouped by class",
        labels_name, first, labels[first], labels[first - 1]);
    data = std::move(sorted);
    labels = std::move(sorted_labels);
    return note;
}

std::string class_count_text(const std::vector<Index>& labels, Index num_classes) {
    std::vector<Index> counts(static_cast<std::size_t>(num_classes), 0);
    for (Index label : labels) ++counts[static_cast<std::size_t>(label)];
    if (std::all_of(counts.begin(), counts.end(), [&](Index c) { return c == counts.front(); }))
        return fmt::format("{} each", counts.front());
    return fmt::format("{} per class", fmt::join(counts, ", "));
}

}  // namespace


std::string ImportedModel::describe() const {
    const std::string classes =
        fmt::format("N = {} samples, K = {} classes ({})", labels.size(), num_classes, class_count_text(labels, num_classes));
    if (network) return fmt::format("whole network {}, {}", network->spec.describe(), classes);
    std::string widths = fmt::format("{}", features.rows());
    for (const Matrix<double>& w : head_weights) widths += fmt::format("-{}", w.rows());
    return fmt::format("linear head {} ({} layer{}) on supplied features H, {}", widths, head_weights.size(),
                       head_weights.size() == 1 ? "" : "s", classes);
}

ImportedModel load_imported_model(const ImportSpec& spec) {
    validate_import_spec(spec, spec.origin);
    const ArrayStore store(spec);
    const bool whole = spec.layout == ImportLayout::whole;
    const Index first_weight = whole ? 1 : spec.nonlinear_layers + 1;
    // Weight and bias names: the manifest's, the defaults W<l> / b<l>, or PyTorch's
    // "<i>.weight" / "<i>.bias" when no W<first> exists (docs/data.md).
    std::vector<std::string> weight_names = spec.weights;
    std::vector<std::optional<std::string>> bias_names;
    const std::vector<TorchLayerNames> torch_layers = torch_layer_names(store);
    if (weight_names.empty() && !torch_layers.empty() &&
        !store.contains(store.default_name(fmt::format("W{}", first_weight)))) {
        for (const TorchLayerNames& layer : torch_layers) {
            weight_names.push_back(layer.weight);
            bias_names.push_back(layer.bias);
        }
    } else {
        if (weight_names.empty()) weight_names = default_weight_names(store, first_weight, spec.layout);
        for (std::size_t k = 0; k < weight_names.size(); ++k) {
            const std::string bias = store.default_name(fmt::format("b{}", first_weight + static_cast<Index>(k)));
            bias_names.push_back(store.contains(bias) ? std::optional<std::string>(bias) : std::nullopt);
        }
    }

    ImportArrays arrays;
    arrays.where = store.where();
    const NpyArray data_array =
        store.get(whole ? spec.inputs.value_or(store.default_name("X")) : spec.features.value_or(store.default_name("H")));
    arrays.data = npy_to_matrix(data_array);
    arrays.data_name = data_array.name;
    for (std::size_t k = 0; k < weight_names.size(); ++k) {
        const NpyArray array = store.get(weight_names[k]);
        arrays.weights.push_back(npy_to_matrix(array));
        arrays.weight_names.push_back(array.name);
        std::optional<Vector<double>> bias;
        if (bias_names[k]) bias = read_bias_vector(store.get(*bias_names[k]), store.where());
        arrays.biases.push_back(std::move(bias));
        arrays.bias_names.push_back(bias_names[k] ? stem_of(*bias_names[k]) : std::string());
    }
    const std::string labels_name = spec.labels.value_or(store.default_name("y"));
    const NpyArray labels_array = store.get(labels_name);
    arrays.labels = npy_to_labels(labels_array);
    arrays.labels_name = labels_array.name;
    // The optional test split: X_test / H_test with y_test.
    const std::string test_data_name = store.default_name(whole ? "X_test" : "H_test");
    const std::string test_labels_name = store.default_name("y_test");
    const bool has_test = store.contains(test_data_name) || store.contains(test_labels_name);
    if (has_test) {
        const NpyArray test_array = store.get(test_data_name);
        const NpyArray test_labels_array = store.get(test_labels_name);
        arrays.test_data = npy_to_matrix(test_array);
        arrays.test_data_name = test_array.name;
        arrays.test_labels = npy_to_labels(test_labels_array);
        arrays.test_labels_name = test_labels_array.name;
    }

    // Every array of the store is read, unless allowed otherwise: an array left unused
    // (a bias under an unexpected name, a second data set) would silently change what
    // the verdicts speak about.
    if (!spec.allow_unused_arrays) {
        std::vector<std::string> used{stem_of(data_array.name), stem_of(labels_name)};
        if (has_test) used.insert(used.end(), {stem_of(test_data_name), stem_of(test_labels_name)});
        for (const std::string& name : weight_names) used.push_back(stem_of(name));
        for (const auto& name : bias_names)
            if (name) used.push_back(stem_of(*name));
        std::vector<std::string> unused;
        for (const std::string& stem : store.stems())
            if (std::find(used.begin(), used.end(), stem) == used.end()) unused.push_back(stem);
        std::sort(unused.begin(), unused.end());
        if (!unused.empty())
            throw InputError(fmt::format(
                "{}: the {} layout does not use the arrays {}; it reads {}. Remove them, or allow them with "
                "--allow-unused-arrays (manifest: \"allow_unused_arrays\": true)",
                store.where(), import_layout_name(spec.layout), fmt::join(unused, ", "), fmt::join(used, ", ")));
    }
    return assemble_imported_model(std::move(arrays), spec);
}

ImportedModel assemble_imported_model(ImportArrays arrays, const ImportSpec& spec) {
    const std::string& where = arrays.where;
    const bool whole = spec.layout == ImportLayout::whole;
    const Index first_weight = whole ? 1 : spec.nonlinear_layers + 1;
    Matrix<double>& data = arrays.data;
    if (data.size() == 0)
        throw ShapeMismatch(fmt::format("{}: {} is {}; it needs at least one {} and one sample", where, arrays.data_name,
                                        shape_text(data), whole ? "input feature" : "feature"));
    if (spec.samples_as_rows) data.transposeInPlace();
    const std::string data_layout = whole ? (spec.samples_as_rows ? "N x d, samples_as_rows" : "d x N")
                                          : (spec.samples_as_rows ? "N x n_L1, samples_as_rows" : "n_L1 x N");
    if (arrays.weights.empty()) throw InputError(fmt::format("{}: no weight matrix", where));

    // Weights: each W has as many columns as the previous one (or the data) has rows.
    std::string previous_name = arrays.data_name;
    for (std::size_t k = 0; k < arrays.weights.size(); ++k) {
        const Matrix<double>& w = arrays.weights[k];
        const std::string& name = arrays.weight_names[k];
        if (w.rows() == 0)
            throw ShapeMismatch(fmt::format("{}: {} is {}; every layer needs at least one row (unit)", where, name,
                                            shape_text(w)));
        const Index expected = k == 0 ? data.rows() : arrays.weights[k - 1].rows();
        if (w.cols() != expected) {
            if (k == 0)
                throw ShapeMismatch(fmt::format(
                    "{}: {} is {} but {} ({}) has {} {}; the first weight needs {} columns", where, name, shape_text(w),
                    arrays.data_name, data_layout, expected, spec.samples_as_rows ? "columns" : "rows", expected));
            throw ShapeMismatch(fmt::format("{}: {} is {} but {} has {} rows; {} needs {} columns", where, name,
                                            shape_text(w), previous_name, expected, name, expected));
        }
        if (arrays.biases[k] && arrays.biases[k]->size() != w.rows())
            throw ShapeMismatch(fmt::format("{}: the bias {} has {} entries but {} has {} rows (units)", where,
                                            arrays.bias_names[k], arrays.biases[k]->size(), name, w.rows()));
        previous_name = name;
    }
    const Index num_layers = static_cast<Index>(arrays.weights.size());
    if (whole && num_layers <= spec.nonlinear_layers)
        throw InputError(fmt::format("{}: {} weight matrices but nonlinear_layers = {}: the whole layout needs the "
                                     "L1 nonlinear layers and at least one linear layer after them (L >= {})",
                                     where, num_layers, spec.nonlinear_layers, spec.nonlinear_layers + 1));
    const Index outputs = arrays.weights.back().rows();
    if (spec.num_classes && *spec.num_classes != outputs)
        throw ShapeMismatch(fmt::format("{}: {} is {} but there are K = {} classes (\"classes\"); the last layer needs "
                                        "K rows",
                                        where, previous_name, shape_text(arrays.weights.back()), *spec.num_classes));
    const Index num_classes = spec.num_classes.value_or(outputs);

    // Biases: b_l of each layer that has one (none at all: an empty list, network.hpp).
    std::vector<Vector<double>> biases;
    if (std::any_of(arrays.biases.begin(), arrays.biases.end(), [](const auto& b) { return b.has_value(); }))
        for (const std::optional<Vector<double>>& b : arrays.biases) biases.push_back(b ? *b : Vector<double>());

    ImportedModel model;
    model.layout = spec.layout;
    model.origin = spec.origin;
    model.nonlinear_layers = spec.nonlinear_layers;
    model.num_classes = num_classes;
    model.weight_decay = spec.weight_decay;
    model.learning_rate = spec.learning_rate;
    if (std::optional<std::string> note = sort_samples_by_class(data, arrays.labels, num_classes, where,
                                                                arrays.labels_name, arrays.data_name))
        model.notes.push_back(*note);
    model.labels = std::move(arrays.labels);
    if (arrays.test_data) {
        Matrix<double>& test = *arrays.test_data;
        if (spec.samples_as_rows) test.transposeInPlace();
        if (test.rows() != data.rows())
            throw ShapeMismatch(fmt::format("{}: {} has {} {} but {} has {}", where, arrays.test_data_name, test.rows(),
                                            spec.samples_as_rows ? "columns" : "rows", arrays.data_name, data.rows()));
        // Checked like the training labels: every class present, samples grouped by class.
        if (std::optional<std::string> note = sort_samples_by_class(test, arrays.test_labels, num_classes, where,
                                                                    arrays.test_labels_name, arrays.test_data_name))
            model.notes.push_back(*note);
        model.test_data = std::move(test);
        model.test_labels = std::move(arrays.test_labels);
    }
    if (whole) {
        NetworkSpec network_spec;
        network_spec.input_dim = data.rows();
        for (const Matrix<double>& w : arrays.weights) network_spec.widths.push_back(w.rows());
        network_spec.nonlinear_layers = spec.nonlinear_layers;
        network_spec.linear_layers = num_layers - spec.nonlinear_layers;
        network_spec.activation = *spec.activation;
        try {
            network_spec.validate(num_classes);
        } catch (const InvalidArgument& e) {
            throw InputError(fmt::format("{}: {}", where, e.what()));
        }
        model.network = Network<double>{network_spec, std::move(arrays.weights), std::move(biases)};
        model.network->validate_weights();
        model.inputs = std::move(data);
    } else {
        for (const Matrix<double>& w : arrays.weights)
            if (!all_finite(w)) throw NonFiniteValue(fmt::format("{}: a head weight has a NaN or infinite entry", where));
        model.head_weights = std::move(arrays.weights);
        model.head_biases = std::move(biases);
        model.features = std::move(data);
    }
    std::vector<std::string> bias_list;
    for (std::size_t k = 0; k < arrays.bias_names.size(); ++k)
        if (arrays.biases[k])
            bias_list.push_back(fmt::format("{} on layer {}", arrays.bias_names[k], first_weight + static_cast<Index>(k)));
    if (!bias_list.empty())
        model.notes.push_back(fmt::format("the imported network has biases ({}); they are part of the network the "
                                          "verdicts and measurements speak about",
                                          fmt::join(bias_list, ", ")));
    return model;
}

CheckerOptions imported_network_options(const ImportedModel& model, const CheckerOptions& options) {
    CheckerOptions network_options = options;
    if (!network_options.weight_decay) network_options.weight_decay = model.weight_decay;
    if (!network_options.learning_rate) network_options.learning_rate = model.learning_rate;
    return network_options;
}

std::vector<Verdict> check_imported_model(const ImportedModel& model, const CheckerOptions& options,
                                          const std::vector<std::string>& selected,
                                          const std::optional<CertificationOptions>& certification,
                                          const Precision& precision) {
    // The stored values are float32 or float64, exact at any precision: converted exactly.
    std::vector<Verdict> verdicts = with_scalar(precision, [&]<class S>() {
        std::vector<Verdict> result;
        if (model.network) {
            const Network<S> network = network_from_double<S>(*model.network);
            const Matrix<S> inputs = from_double<S>(model.inputs);
            const CheckState<S> state =
                check_state_from_network(network, inputs, model.labels, model.num_classes, precision);
            result = run_state_and_network_checkers(
                state, network_check_state(network, inputs, model.labels, model.num_classes, precision), options,
                imported_network_options(model, options), selected);
            if (certification)
                certify_verdicts(result, certified_source_from_network(network, inputs, model.labels, model.num_classes),
                                 options, *certification);
        } else {
            const CheckState<S> state = convert_check_state<S>(
                check_state_from_features(model.head_weights, model.features, model.labels, model.num_classes,
                                          Precision::ieee_double(), model.head_biases),
                precision);
            result = run_checkers(state, options, selected);
            if (certification) certify_verdicts(result, certified_source_from_features(state), options, *certification);
        }
        return result;
    });
    std::vector<std::string> notes = model.notes;
    if (model.test_data)
        notes.push_back(fmt::format("the test split ({} samples) is not checked: the theorems speak about the training "
                                    "data; `ncv measure` reports NC1-NC4 on both splits",
                                    model.test_data->cols()));
    for (Verdict& verdict : verdicts) verdict.notes.insert(verdict.notes.end(), notes.begin(), notes.end());
    return verdicts;
}

}  // namespace ncverify::app
