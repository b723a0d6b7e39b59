#include "ncverify/io/checkpoint.hpp"

#include <fmt/core.h>

#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/network_spec_json.hpp"

namespace ncverify {
namespace {

constexpr const char* checkpoint_format = "ncverify-checkpoint";
constexpr int checkpoint_version = 1;

nlohmann::json parse_checkpoint_file(const std::filesystem::path& path) {
    const std::string text = read_file(path);
    try {
        nlohmann::json json = nlohmann::json::parse(text);
        if (!json.is_object() || json.value("format", "") != checkpoint_format)
            throw InputError(path.string() + ": not an ncverify checkpoint (missing \"format\": \"" +
                             checkpoint_format + "\")");
        if (json.value("version", 0) != checkpoint_version)
            throw InputError(fmt::format("{}: checkpoint version {} is not supported (expected {})", path.string(),
                                         json.value("version", 0), checkpoint_version));
        return json;
    } catch (const nlohmann::json::exception& e) {
        // parse_error, out_of_range (a number beyond double, e.g. 6e8203), type_error
        throw InputError(path.string() + ": corrupt checkpoint: " + e.what());
    }
}

Precision stored_precision(const nlohmann::json& json, const std::filesystem::path& path) {
    try {
        return Precision::parse(json.at("precision").get<std::string>());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path.string() + ": checkpoint has no valid \"precision\": " + e.what());
    } catch (const InvalidArgument& e) {
        throw InputError(path.string() + ": " + e.what());
    }
}

}  // namespace

Precision checkpoint_precision(const std::filesystem::path& path) {
    return stored_precision(parse_checkpoint_file(path), path);
}

template <class S>
void save_checkpoint(const std::filesystem::path& path, const TrainingState<S>& state, const Precision& precision,
                     const nlohmann::json& metadata) {
    nlohmann::json weights = nlohmann::json::array();
    for (const Matrix<S>& w : state.network.weights) {
        std::vector<std::string> values;
        values.reserve(static_cast<std::size_t>(w.size()));
        for (Index j = 0; j < w.cols(); ++j)
            for (Index i = 0; i < w.rows(); ++i) values.push_back(ScalarTraits<S>::to_exact_string(w(i, j)));
        weights.push_back({{"rows", w.rows()}, {"cols", w.cols()}, {"values", std::move(values)}});
    }
    const nlohmann::json json{{"format", checkpoint_format},
                              {"version", checkpoint_version},
                              {"precision", precision.to_string()},
                              {"effective_bits", precision.effective_bits()},
                              {"step", state.step},
                              {"network", network_spec_to_json(state.network.spec)},
                              {"weights", std::move(weights)},
                              {"metadata", metadata}};
    write_file_atomically(path, json.dump());
}

template <class S>
Checkpoint<S> load_checkpoint(const std::filesystem::path& path) {
    const nlohmann::json json = parse_checkpoint_file(path);
    const std::string where = path.string();
    Checkpoint<S> checkpoint;
    checkpoint.precision = stored_precision(json, path);
    const bool want_double = std::is_same_v<S, double>;
    if (checkpoint.precision.is_double() != want_double ||
        (!want_double && checkpoint.precision.effective_bits() != working_precision_bits()))
        throw InputError(fmt::format("{}: checkpoint precision is {}, but it is being loaded at {}", where,
                                     checkpoint.precision.describe(),
                                     want_double ? std::string("double") : fmt::format("{} bits", working_precision_bits())));
    try {
        checkpoint.state.network.spec = network_spec_from_json(json.at("network"), where);
        checkpoint.state.step = json.at("step").get<Index>();
        if (checkpoint.state.step < 0) throw InputError(fmt::format("{}: negative step {}", where, checkpoint.state.step));
        checkpoint.metadata = json.value("metadata", nlohmann::json::object());
        const nlohmann::json& weights = json.at("weights");
        if (!weights.is_array() || static_cast<Index>(weights.size()) != checkpoint.state.network.spec.num_layers())
            throw InputError(fmt::format("{}: \"weights\" must list {} matrices", where,
                                         checkpoint.state.network.spec.num_layers()));
        for (std::size_t l = 0; l < weights.size(); ++l) {
            const Index rows = weights[l].at("rows").get<Index>(), cols = weights[l].at("cols").get<Index>();
            const nlohmann::json& values = weights[l].at("values");
            const Index layer = static_cast<Index>(l) + 1;
            const NetworkSpec& spec = checkpoint.state.network.spec;
            if (rows != spec.width(layer) || cols != spec.width(layer - 1))  // the spec is validated: no overflow below
                throw InputError(fmt::format("{}: weights[{}] is declared {}x{} but the network needs W_{} to be {}x{}",
                                             where, l, rows, cols, layer, spec.width(layer), spec.width(layer - 1)));
            if (!values.is_array() || static_cast<Index>(values.size()) != rows * cols)
                throw InputError(fmt::format("{}: weights[{}] declares {}x{} but holds {} values", where, l, rows, cols,
                                             values.is_array() ? values.size() : 0));
            Matrix<S> w(rows, cols);
            for (Index j = 0; j < cols; ++j)
                for (Index i = 0; i < rows; ++i)
                    w(i, j) = ScalarTraits<S>::from_exact_string(
                        values[static_cast<std::size_t>(j * rows + i)].template get_ref<const std::string&>());
            checkpoint.state.network.weights.push_back(std::move(w));
        }
        checkpoint.state.network.validate_weights();
    } catch (const nlohmann::json::exception& e) {
        throw InputError(where + ": malformed checkpoint: " + e.what());
    } catch (const ShapeMismatch& e) {
        throw InputError(where + ": " + e.what());
    } catch (const NonFiniteValue& e) {
        throw InputError(where + ": " + e.what());
    } catch (const InputError& e) {
        const std::string message = e.what();
        if (message.rfind(where, 0) == 0) throw;
        throw InputError(where + ": " + message);
    }
    return checkpoint;
}

template void save_checkpoint(const std::filesystem::path&, const TrainingState<double>&, const Precision&,
                              const nlohmann::json&);
template void save_checkpoint(const std::filesystem::path&, const TrainingState<Mpfr>&, const Precision&,
                              const nlohmann::json&);
template Checkpoint<double> load_checkpoint(const std::filesystem::path&);
template Checkpoint<Mpfr> load_checkpoint(const std::filesystem::path&);

}  // namespace ncverify
