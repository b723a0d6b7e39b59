#include "import_manifest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <set>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"

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

}  // namespace

void validate_import_spec(const ImportSpec& spec, const std::string& context) {
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
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range: a number beyond double
        throw InputError(fmt::format("{}: not a JSON import manifest: {}", context, e.what()));
    }
    if (!json.is_object())
        throw InputError(fmt::format("{}: an import manifest is a JSON object (docs/data.md, \"NumPy import\")", context));
    refuse_unknown_keys(json,
                        {"format", "version", "layout", "archive", "arrays", "nonlinear_layers", "activation", "classes",
                         "samples_as_rows", "description", "weight_decay", "learning_rate", "allow_unused_arrays"},
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
    if (const nlohmann::json* allow = find_key(json, "allow_unused_arrays")) {
        if (!allow->is_boolean())
            throw InputError(fmt::format("{}: \"allow_unused_arrays\" must be true or false, not {}", context,
                                         allow->dump()));
        spec.allow_unused_arrays = allow->get<bool>();
    }
    if (const nlohmann::json* description = find_key(json, "description"))
        spec.description = json_string(*description, context, "description");
    for (auto [key, field] : {std::pair{"weight_decay", &spec.weight_decay}, std::pair{"learning_rate", &spec.learning_rate}})
        if (const nlohmann::json* value = find_key(json, key)) {
            if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < 0)
                throw InputError(fmt::format("{}: \"{}\" must be a finite number >= 0, not {}", context, key, value->dump()));
            *field = value->get<double>();
        }
    validate_import_spec(spec, context);
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
    if (spec.allow_unused_arrays) json["allow_unused_arrays"] = true;
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
    validate_import_spec(spec, context);
    return spec;
}

}  // namespace ncverify::app
