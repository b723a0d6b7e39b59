// The compiled part of the Python module `ncverify` (python/ncverify/__init__.py is the
// API users call). Each function takes the arrays as NumPy arrays and the options as a
// dict, runs the same code as the `ncv` command line (import_model.hpp, measure_command.hpp,
// train_and_check.hpp) with the GIL released, and returns JSON text that the Python side
// wraps. Errors are ncverify.Error (a ValueError) with the command line's message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fmt/core.h>

#include "check_command.hpp"
#include "import_model.hpp"
#include "measure_command.hpp"
#include "ncverify/checkers/certification.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/run_config.hpp"
#include "train_and_check.hpp"

namespace py = pybind11;
using namespace ncverify;
using namespace ncverify::app;

namespace {

/// A float32 / float64 NumPy array of `dimensions` dimensions as doubles (exact).
/// Anything else raises ncverify.Error naming the argument.
Matrix<double> matrix_of(const py::handle& object, const std::string& name, int dimensions = 2) {
    const py::array array = py::array::ensure(object);
    if (!array)
        throw InputError(fmt::format("{}: expected a NumPy array, got {}", name,
                                     py::repr(py::type::of(object)).cast<std::string>()));
    const py::dtype dtype = array.dtype();
    if (dtype.kind() != 'f' || (dtype.itemsize() != 4 && dtype.itemsize() != 8))
        throw InputError(
            fmt::format("{}: dtype {} is not float32 or float64", name, dtype.attr("name").cast<std::string>()));
    if (array.ndim() != dimensions)
        throw ShapeMismatch(fmt::format("{}: expected {} dimensions, the array has {}", name, dimensions, array.ndim()));
    const auto values = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
    const Index rows = array.shape(0), cols = dimensions == 2 ? array.shape(1) : 1;
    Matrix<double> m(rows, cols);
    const double* data = values.data();
    for (Index i = 0; i < rows; ++i)
        for (Index j = 0; j < cols; ++j) m(i, j) = data[i * cols + j];
    return m;
}

/// Labels: a 1-D integer NumPy array.
std::vector<Index> labels_of(const py::handle& object, const std::string& name) {
    const py::array array = py::array::ensure(object);
    if (!array || (array.dtype().kind() != 'i' && array.dtype().kind() != 'u') || array.ndim() != 1)
        throw InputError(fmt::format("{}: labels are a 1-D integer NumPy array", name));
    const auto values = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
    return std::vector<Index>(values.data(), values.data() + values.size());
}

template <class T>
std::optional<T> optional_of(const py::dict& d, const char* key) {
    if (!d.contains(key) || d[key].is_none()) return std::nullopt;
    return d[key].cast<T>();
}

/// The model from the arrays and the description (the keys of an import manifest,
/// docs/data.md): {"layout", "nonlinear_layers", "activation", "slope", "beta",
/// "classes", "samples_as_rows", "weight_decay", "learning_rate"}; arrays {"data",
/// "weights", "biases", "labels", "test_data", "test_labels"}.
ImportedModel model_of(const py::dict& description, const py::dict& arrays) {
    ImportSpec spec;
    spec.origin = "ncverify";
    spec.layout = import_layout_from_name(description["layout"].cast<std::string>(), spec.origin);
    spec.nonlinear_layers = description["nonlinear_layers"].cast<Index>();
    if (const auto name = optional_of<std::string>(description, "activation"))
        spec.activation = import_activation(*name, optional_of<double>(description, "slope"),
                                            optional_of<double>(description, "beta"), spec.origin);
    spec.num_classes = optional_of<Index>(description, "classes");
    spec.samples_as_rows = description["samples_as_rows"].cast<bool>();
    spec.weight_decay = optional_of<double>(description, "weight_decay");
    spec.learning_rate = optional_of<double>(description, "learning_rate");
    validate_import_spec(spec, spec.origin);
    const bool whole = spec.layout == ImportLayout::whole;
    const Index first = whole ? 1 : spec.nonlinear_layers + 1;
    ImportArrays a;
    a.where = "ncverify";
    a.data_name = whole ? "X" : "H";
    a.data = matrix_of(arrays["data"], a.data_name);
    const py::list weights = arrays["weights"].cast<py::list>();
    const py::list biases = arrays.contains("biases") && !arrays["biases"].is_none() ? arrays["biases"].cast<py::list>() : py::list();
    if (!biases.empty() && biases.size() != weights.size())
        throw InputError(fmt::format("ncverify: {} biases for {} weights; give one per layer (None for a layer without)",
                                     biases.size(), weights.size()));
    for (std::size_t k = 0; k < weights.size(); ++k) {
        const Index layer = first + static_cast<Index>(k);
        a.weight_names.push_back(fmt::format("W{}", layer));
        a.weights.push_back(matrix_of(weights[k], a.weight_names.back()));
        a.bias_names.push_back(fmt::format("b{}", layer));
        if (!biases.empty() && !biases[k].is_none()) {
            const py::array b = py::array::ensure(biases[k]);
            a.biases.push_back(Vector<double>(matrix_of(b, a.bias_names.back(), b ? static_cast<int>(b.ndim()) : 1).reshaped()));
        } else {
            a.biases.push_back(std::nullopt);
        }
    }
    a.labels_name = "y";
    a.labels = labels_of(arrays["labels"], "y");
    if (arrays.contains("test_data") && !arrays["test_data"].is_none()) {
        a.test_data_name = whole ? "X_test" : "H_test";
        a.test_data = matrix_of(arrays["test_data"], a.test_data_name);
        a.test_labels_name = "y_test";
        a.test_labels = labels_of(arrays["test_labels"], "y_test");
    }
    return assemble_imported_model(std::move(a), spec);
}

std::string check(const py::dict& description, const py::dict& arrays, const py::dict& options) {
    const ImportedModel model = model_of(description, arrays);
    CheckerOptions checker;
    checker.epsilon1 = optional_of<double>(options, "eps1");
    checker.epsilon2 = optional_of<double>(options, "eps2");
    checker.radius = optional_of<double>(options, "radius");
    checker.weight_decay = optional_of<double>(options, "weight_decay");
    checker.learning_rate = optional_of<double>(options, "learning_rate");
    const std::vector<std::string> checkers = optional_of<std::vector<std::string>>(options, "checkers").value_or(std::vector<std::string>{});
    std::optional<CertificationOptions> certification;
    if (options["certified"].cast<bool>())
        certification = CertificationOptions{parse_precision_ladder(options["precision_ladder"].cast<std::string>())};
    const Precision precision = Precision::parse(options["precision"].cast<std::string>());
    py::gil_scoped_release release;
    nlohmann::json list = nlohmann::json::array();
    for (const Verdict& v : check_imported_model(model, checker, checkers, certification, precision)) list.push_back(v.to_json());
    return list.dump();
}

std::string measure(const py::dict& description, const py::dict& arrays, const py::dict& options) {
    const ImportedModel model = model_of(description, arrays);
    MeasureOptions measure_options;
    measure_options.certified = options["certified"].cast<bool>();
    py::gil_scoped_release release;
    return measure_imported_model(model, measure_options).to_json().dump();
}

std::string train(const std::string& toml_text, const std::string& origin, const std::string& out, bool overwrite) {
    RunConfig config = parse_run_config(toml_text, origin);
    TrainAndCheckOptions options;
    options.out = out.empty() ? std::filesystem::path("runs") / config.name : std::filesystem::path(out);
    options.overwrite = overwrite;
    options.quiet = true;
    py::gil_scoped_release release;
    const TrainAndCheckResult result = train_and_check(std::move(config), options);
    nlohmann::json verdicts = nlohmann::json::array();
    for (const Verdict& v : result.verdicts) verdicts.push_back(v.to_json());
    return nlohmann::json{{"directory", result.run.directory.string()},
                          {"final_checkpoint", result.run.final_checkpoint.string()},
                          {"status", training_status_name(result.run.outcome.status)},
                          {"message", result.run.outcome.message},
                          {"steps_run", result.run.steps_run},
                          {"seconds", result.run.seconds},
                          {"verdicts", verdicts}}
        .dump();
}

}  // namespace

PYBIND11_MODULE(_ncverify, m) {
    m.doc() = "ncverify's compiled core (use the ncverify package, not this module)";
    py::register_exception<Error>(m, "Error", PyExc_ValueError);
    m.def("check", &check, "verdicts (JSON) of the checkers on arrays", py::arg("description"), py::arg("arrays"),
          py::arg("options"));
    m.def("measure", &measure, "per-layer measurements (JSON) of arrays", py::arg("description"), py::arg("arrays"),
          py::arg("options"));
    m.def("train", &train, "train a configuration (TOML text) with the native trainer; summary (JSON)",
          py::arg("toml_text"), py::arg("origin"), py::arg("out"), py::arg("overwrite"));
    m.attr("version") = NCVERIFY_VERSION;
}
