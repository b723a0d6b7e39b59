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
    const std::string& where = store.where();
    const Index first_weight = spec.layout == ImportLayout::whole ? 1 : spec.nonlinear_layers + 1;
    const std::vector<std::string> weight_names =
        spec.weights.empty() ? default_weight_names(store, first_weight, spec.layout) : spec.weights;

    // The data array (X or H), as d x N (n_{L1} x N).
    const bool whole = spec.layout == ImportLayout::whole;
    const NpyArray data_array =
        store.get(whole ? spec.inputs.value_or(store.default_name("X")) : spec.features.value_or(store.default_name("H")));
    Matrix<double> data = npy_to_matrix(data_array);
    if (data.size() == 0)
        throw ShapeMismatch(fmt::format("{}: {} is {}; it needs at least one {} and one sample", where, data_array.name,
                                        shape_text(data), whole ? "input feature" : "feature"));
    if (spec.samples_as_rows) data.transposeInPlace();
    const std::string data_layout = whole ? (spec.samples_as_rows ? "N x d, samples_as_rows" : "d x N")
                                          : (spec.samples_as_rows ? "N x n_L1, samples_as_rows" : "n_L1 x N");

    // Weights: each W has as many columns as the previous one (or the data) has rows.
    std::vector<Matrix<double>> weights;
    std::string previous_name = data_array.name;
    for (const std::string& name : weight_names) {
        const NpyArray array = store.get(name);
        Matrix<double> w = npy_to_matrix(array);
        if (w.rows() == 0)
            throw ShapeMismatch(fmt::format("{}: {} is {}; every layer needs at least one row (unit)", where, array.name,
                                            shape_text(w)));
        const Index expected = weights.empty() ? data.rows() : weights.back().rows();
        if (w.cols() != expected) {
            if (weights.empty())
                throw ShapeMismatch(fmt::format(
                    "{}: {} is {} but {} ({}) has {} {}; the first weight needs {} columns", where, array.name,
                    shape_text(w), data_array.name, data_layout, expected,
                    spec.samples_as_rows ? "columns" : "rows", expected));
            throw ShapeMismatch(fmt::format("{}: {} is {} but {} has {} rows; {} needs {} columns", where, array.name,
                                            shape_text(w), previous_name, expected, array.name, expected));
        }
        previous_name = array.name;
        weights.push_back(std::move(w));
    }
    const Index num_layers = static_cast<Index>(weights.size());
    if (whole && num_layers <= spec.nonlinear_layers)
        throw InputError(fmt::format("{}: {} weight matrices but nonlinear_layers = {}: the whole layout needs the "
                                     "L1 nonlinear layers and at least one linear layer after them (L >= {})",
                                     where, num_layers, spec.nonlinear_layers, spec.nonlinear_layers + 1));
    const Index outputs = weights.back().rows();
    if (spec.num_classes && *spec.num_classes != outputs)
        throw ShapeMismatch(fmt::format("{}: {} is {} but there are K = {} classes (\"classes\"); the last layer needs "
                                        "K rows",
                                        where, previous_name, shape_text(weights.back()), *spec.num_classes));
    const Index num_classes = spec.num_classes.value_or(outputs);

    const NpyArray labels_array = store.get(spec.labels.value_or(store.default_name("y")));
    std::vector<Index> labels = npy_to_labels(labels_array);

    ImportedModel model;
    model.layout = spec.layout;
    model.origin = spec.origin;
    model.num_classes = num_classes;
    model.weight_decay = spec.weight_decay;
    model.learning_rate = spec.learning_rate;
    if (std::optional<std::string> note =
            sort_samples_by_class(data, labels, num_classes, where, labels_array.name, data_array.name))
        model.notes.push_back(*note);
    model.labels = std::move(labels);
    if (whole) {
        NetworkSpec network_spec;
        network_spec.input_dim = data.rows();
        for (const Matrix<double>& w : weights) network_spec.widths.push_back(w.rows());
        network_spec.nonlinear_layers = spec.nonlinear_layers;
        network_spec.linear_layers = num_layers - spec.nonlinear_layers;
        network_spec.activation = *spec.activation;
        try {
            network_spec.validate(num_classes);
        } catch (const InvalidArgument& e) {
            throw InputError(fmt::format("{}: {}", where, e.what()));
        }
        model.network = Network<double>{network_spec, std::move(weights)};
        model.network->validate_weights();
        model.inputs = std::move(data);
    } else {
        model.head_weights = std::move(weights);
        model.features = std::move(data);
    }
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
                                          const std::optional<CertificationOptions>& certification) {
    const Precision precision = Precision::ieee_double();
    std::vector<Verdict> verdicts;
    if (model.network) {
        const CheckState<double> state =
            check_state_from_network(*model.network, model.inputs, model.labels, model.num_classes, precision);
        verdicts = run_state_and_network_checkers(
            state, network_check_state(*model.network, model.inputs, model.labels, model.num_classes, precision), options,
            imported_network_options(model, options), selected);
        if (certification)
            certify_verdicts(verdicts,
                             certified_source_from_network(*model.network, model.inputs, model.labels, model.num_classes),
                             options, *certification);
    } else {
        const CheckState<double> state =
            check_state_from_features(model.head_weights, model.features, model.labels, model.num_classes, precision);
        verdicts = run_checkers(state, options, selected);
        if (certification) certify_verdicts(verdicts, certified_source_from_features(state), options, *certification);
    }
    for (Verdict& verdict : verdicts) verdict.notes.insert(verdict.notes.end(), model.notes.begin(), model.notes.end());
    return verdicts;
}

}  // namespace ncverify::app
