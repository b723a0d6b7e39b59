#include "import_model.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

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

constexpr const char* manifest_format = "ncverify-import";
constexpr int manifest_version = 1;

// ---- manifest fields ---------------------------------------------------------------

const nlohmann::json* find_key(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string json_string(const nlohmann::json& value, const std::string& context, const std::string& key) {
    if (!value.is_string())
        throw InputError(fmt::format("{}: \"{}\" must be a string, not {}", context, key, value.dump()));
    return value.get<std::string>();
}

Index json_index(const nlohmann::json& value, const std::string& context, const std::string& key, Index minimum) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < minimum)
        throw InputError(fmt::format("{}: \"{}\" must be an integer >= {}, not {}", context, key, minimum, value.dump()));
    return static_cast<Index>(value.get<std::int64_t>());
}

double json_number(const nlohmann::json& value, const std::string& context, const std::string& key) {
    if (!value.is_number())
        throw InputError(fmt::format("{}: \"{}\" must be a number, not {}", context, key, value.dump()));
    return value.get<double>();
}

void refuse_unknown_keys(const nlohmann::json& object, const std::set<std::string>& known, const std::string& context,
                         const std::string& where) {
    for (const auto& [key, value] : object.items())
        if (!known.contains(key))
            throw InputError(fmt::format("{}: unknown key \"{}\"{}; valid keys: {}", context, key, where,
                                         fmt::join(known, ", ")));
}

Activation activation_from_json(const nlohmann::json& value, const std::string& context) {
    if (value.is_string()) return import_activation(value.get<std::string>(), std::nullopt, std::nullopt, context);
    if (!value.is_object())
        throw InputError(fmt::format(
            "{}: \"activation\" must be a name or an object {{\"name\": ..., \"slope\": ..., \"beta\": ...}}, not {}",
            context, value.dump()));
    refuse_unknown_keys(value, {"name", "slope", "beta"}, context, " in \"activation\"");
    const nlohmann::json* name = find_key(value, "name");
    if (!name) throw InputError(fmt::format("{}: \"activation\" has no \"name\"", context));
    std::optional<double> slope, beta;
    if (const nlohmann::json* s = find_key(value, "slope")) slope = json_number(*s, context, "activation.slope");
    if (const nlohmann::json* b = find_key(value, "beta")) beta = json_number(*b, context, "activation.beta");
    return import_activation(json_string(*name, context, "activation.name"), slope, beta, context);
}

nlohmann::ordered_json activation_to_json(const Activation& activation) {
    nlohmann::ordered_json json{{"name", activation.name()}};
    if (activation.kind() == ActivationKind::smooth_leaky_relu || activation.kind() == ActivationKind::leaky_relu)
        json["slope"] = activation.slope();
    if (activation.kind() == ActivationKind::smooth_leaky_relu) json["beta"] = activation.beta();
    return json;
}

void check_spec(const ImportSpec& spec, const std::string& context) {
    if (spec.nonlinear_layers < 1)
        throw InputError(fmt::format("{}: the number of nonlinear layers L1 (\"nonlinear_layers\", "
                                     "--nonlinear-layers) is required and must be >= 1",
                                     context));
    if (spec.layout == ImportLayout::whole && !spec.activation)
        throw InputError(fmt::format("{}: the whole layout needs the activation of the nonlinear layers "
                                     "(\"activation\", --activation)",
                                     context));
    if (spec.layout == ImportLayout::whole && spec.features)
        throw InputError(fmt::format("{}: \"arrays.features\" (H) belongs to the head layout; the whole layout "
                                     "computes H from \"inputs\"",
                                     context));
    if (spec.layout == ImportLayout::head && spec.inputs)
        throw InputError(fmt::format("{}: \"arrays.inputs\" (X) belongs to the whole layout; the head layout reads "
                                     "the features \"features\" (H)",
                                     context));
}

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

std::string import_layout_name(ImportLayout layout) { return layout == ImportLayout::whole ? "whole" : "head"; }

ImportLayout import_layout_from_name(const std::string& name, const std::string& context) {
    if (name == "whole") return ImportLayout::whole;
    if (name == "head") return ImportLayout::head;
    throw InputError(fmt::format("{}: unknown layout \"{}\"; valid layouts are whole (W1 .. WL, X, y) and head "
                                 "(H, W_(L1+1) .. WL, y)",
                                 context, name));
}

Activation import_activation(const std::string& name, std::optional<double> slope, std::optional<double> beta,
                             const std::string& context) {
    const bool takes_slope = name == "smooth_leaky_relu" || name == "leaky_relu";
    const bool takes_beta = name == "smooth_leaky_relu";
    try {
        if (takes_slope && !slope)
            throw InvalidArgument(fmt::format("activation {} needs its slope (\"slope\" in the manifest, --slope)", name));
        if (!takes_slope && slope)
            throw InvalidArgument(fmt::format("activation {} takes no slope", name));
        if (!takes_beta && beta) throw InvalidArgument(fmt::format("activation {} takes no beta", name));
        return Activation::from_name(name, slope.value_or(0.1), beta.value_or(1.0));
    } catch (const InvalidArgument& e) {
        throw InputError(fmt::format("{}: {}", context, e.what()));
    }
}

ImportSpec read_import_manifest(const std::filesystem::path& file) {
    const std::string context = file.string();
    const std::string text = read_file(file);
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(fmt::format("{}: not a JSON import manifest: {}", context, e.what()));
    }
    if (!json.is_object())
        throw InputError(fmt::format("{}: an import manifest is a JSON object (docs/data.md, \"NumPy import\")", context));
    refuse_unknown_keys(json,
                        {"format", "version", "layout", "archive", "arrays", "nonlinear_layers", "activation", "classes",
                         "samples_as_rows", "description", "weight_decay", "learning_rate"},
                        context, "");
    if (const nlohmann::json* format = find_key(json, "format"); format && *format != manifest_format)
        throw InputError(fmt::format("{}: \"format\" is {}, expected \"{}\"", context, format->dump(), manifest_format));
    if (const nlohmann::json* version = find_key(json, "version"); version && *version != manifest_version)
        throw InputError(fmt::format("{}: \"version\" is {}; this ncv reads version {}", context, version->dump(),
                                     manifest_version));

    ImportSpec spec;
    spec.origin = context;
    spec.directory = file.parent_path();
    const nlohmann::json* layout = find_key(json, "layout");
    if (!layout) throw InputError(fmt::format("{}: \"layout\" is required: \"whole\" or \"head\"", context));
    spec.layout = import_layout_from_name(json_string(*layout, context, "layout"), context);
    if (const nlohmann::json* archive = find_key(json, "archive")) spec.archive = json_string(*archive, context, "archive");
    if (const nlohmann::json* arrays = find_key(json, "arrays")) {
        if (!arrays->is_object())
            throw InputError(fmt::format("{}: \"arrays\" must be an object, not {}", context, arrays->dump()));
        refuse_unknown_keys(*arrays, {"weights", "inputs", "features", "labels"}, context, " in \"arrays\"");
        if (const nlohmann::json* weights = find_key(*arrays, "weights")) {
            if (!weights->is_array() || weights->empty())
                throw InputError(fmt::format("{}: \"arrays.weights\" must be a non-empty list of names, not {}", context,
                                             weights->dump()));
            for (const nlohmann::json& w : *weights) spec.weights.push_back(json_string(w, context, "arrays.weights[]"));
        }
        if (const nlohmann::json* x = find_key(*arrays, "inputs")) spec.inputs = json_string(*x, context, "arrays.inputs");
        if (const nlohmann::json* h = find_key(*arrays, "features"))
            spec.features = json_string(*h, context, "arrays.features");
        if (const nlohmann::json* y = find_key(*arrays, "labels")) spec.labels = json_string(*y, context, "arrays.labels");
    }
    if (const nlohmann::json* l1 = find_key(json, "nonlinear_layers"))
        spec.nonlinear_layers = json_index(*l1, context, "nonlinear_layers", 1);
    if (const nlohmann::json* activation = find_key(json, "activation"))
        spec.activation = activation_from_json(*activation, context);
    if (const nlohmann::json* classes = find_key(json, "classes"))
        spec.num_classes = json_index(*classes, context, "classes", 1);
    if (const nlohmann::json* rows = find_key(json, "samples_as_rows")) {
        if (!rows->is_boolean())
            throw InputError(fmt::format("{}: \"samples_as_rows\" must be true or false, not {}", context, rows->dump()));
        spec.samples_as_rows = rows->get<bool>();
    }
    if (const nlohmann::json* description = find_key(json, "description"))
        spec.description = json_string(*description, context, "description");
    for (auto [key, field] : {std::pair{"weight_decay", &spec.weight_decay}, std::pair{"learning_rate", &spec.learning_rate}})
        if (const nlohmann::json* value = find_key(json, key)) {
            if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < 0)
                throw InputError(fmt::format("{}: \"{}\" must be a finite number >= 0, not {}", context, key, value->dump()));
            *field = value->get<double>();
        }
    check_spec(spec, context);
    return spec;
}

nlohmann::ordered_json import_manifest_to_json(const ImportSpec& spec) {
    nlohmann::ordered_json json{
        {"format", manifest_format}, {"version", manifest_version}, {"layout", import_layout_name(spec.layout)}};
    if (!spec.archive.empty()) json["archive"] = spec.archive;
    nlohmann::ordered_json arrays = nlohmann::ordered_json::object();
    if (!spec.weights.empty()) arrays["weights"] = spec.weights;
    if (spec.inputs) arrays["inputs"] = *spec.inputs;
    if (spec.features) arrays["features"] = *spec.features;
    if (spec.labels) arrays["labels"] = *spec.labels;
    json["arrays"] = arrays;
    json["nonlinear_layers"] = spec.nonlinear_layers;
    if (spec.activation) json["activation"] = activation_to_json(*spec.activation);
    if (spec.num_classes) json["classes"] = *spec.num_classes;
    json["samples_as_rows"] = spec.samples_as_rows;
    if (!spec.description.empty()) json["description"] = spec.description;
    if (spec.weight_decay) json["weight_decay"] = *spec.weight_decay;
    if (spec.learning_rate) json["learning_rate"] = *spec.learning_rate;
    return json;
}

ImportSpec resolve_import(const std::filesystem::path& path, const ImportFlags& flags) {
    const std::string context = path.string();
    if (path.extension() == ".json") {
        if (flags.any())
            throw InputError(fmt::format("{} is an import manifest, which holds the layout itself; the flags --layout, "
                                         "--nonlinear-layers, --activation, --slope, --beta, --classes and "
                                         "--samples-as-rows describe an .npz archive or a directory of .npy files",
                                         context));
        return read_import_manifest(path);
    }
    ImportSpec spec;
    spec.origin = context;
    if (std::filesystem::is_directory(path)) {
        spec.directory = path;
    } else {
        spec.directory = path.parent_path();
        spec.archive = path.filename().string();
    }
    if (!flags.layout)
        throw InputError(fmt::format("{}: --layout whole|head is required to import an .npz archive or a directory of "
                                     ".npy files (or describe them in a manifest, --import model.json)",
                                     context));
    spec.layout = import_layout_from_name(*flags.layout, context);
    if (flags.nonlinear_layers) spec.nonlinear_layers = *flags.nonlinear_layers;
    if (flags.activation) spec.activation = import_activation(*flags.activation, flags.slope, flags.beta, context);
    else if (flags.slope || flags.beta)
        throw InputError(fmt::format("{}: --slope and --beta are parameters of --activation", context));
    spec.num_classes = flags.num_classes;
    if (spec.num_classes && *spec.num_classes < 1)
        throw InputError(fmt::format("{}: --classes {} must be >= 1", context, *spec.num_classes));
    spec.samples_as_rows = flags.samples_as_rows;
    check_spec(spec, context);
    return spec;
}

std::string ImportedModel::describe() const {
    const std::string classes =
        fmt::format("N = {} samples, K = {} classes ({})", labels.size(), num_classes, class_count_text(labels, num_classes));
    if (network) return fmt::format("whole network {}, {}", network->spec.describe(), classes);
    std::string widths = fmt::format("{}", features.rows());
    for (const Matrix<double>& w : head_weights) widths += fmt::format("-{}", w.rows());
    return fmt::format("linear head {} ({} layers) on supplied features H, {}", widths, head_weights.size(), classes);
}

ImportedModel load_imported_model(const ImportSpec& spec) {
    check_spec(spec, spec.origin);
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

std::vector<Verdict> check_imported_model(const ImportedModel& model, const CheckerOptions& options,
                                          const std::vector<std::string>& selected,
                                          const std::optional<CertificationOptions>& certification) {
    const Precision precision = Precision::ieee_double();
    std::vector<Verdict> verdicts;
    if (model.network) {
        const CheckState<double> state =
            check_state_from_network(*model.network, model.inputs, model.labels, model.num_classes, precision);
        CheckerOptions network_options = options;
        if (!network_options.weight_decay) network_options.weight_decay = model.weight_decay;
        if (!network_options.learning_rate) network_options.learning_rate = model.learning_rate;
        verdicts = run_state_and_network_checkers(
            state, network_check_state(*model.network, model.inputs, model.labels, model.num_classes, precision), options,
            network_options, selected);
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
