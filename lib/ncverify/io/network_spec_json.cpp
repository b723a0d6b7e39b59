#include "ncverify/io/network_spec_json.hpp"

#include "ncverify/errors.hpp"

namespace ncverify {

nlohmann::json network_spec_to_json(const NetworkSpec& spec) {
    return {{"input_dim", spec.input_dim},
            {"widths", spec.widths},
            {"nonlinear_layers", spec.nonlinear_layers},
            {"linear_layers", spec.linear_layers},
            {"activation",
             {{"name", spec.activation.name()}, {"slope", spec.activation.slope()}, {"beta", spec.activation.beta()}}}};
}

NetworkSpec network_spec_from_json(const nlohmann::json& json, const std::string& context) {
    try {
        NetworkSpec spec;
        spec.input_dim = json.at("input_dim").get<Index>();
        spec.widths = json.at("widths").get<std::vector<Index>>();
        spec.nonlinear_layers = json.at("nonlinear_layers").get<Index>();
        spec.linear_layers = json.at("linear_layers").get<Index>();
        const nlohmann::json& activation = json.at("activation");
        spec.activation = Activation::from_name(activation.at("name").get<std::string>(),
                                                activation.at("slope").get<double>(), activation.at("beta").get<double>());
        spec.validate(spec.widths.empty() ? 0 : spec.widths.back());
        return spec;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(context + ": malformed network specification: " + e.what());
    } catch (const InvalidArgument& e) {
        throw InputError(context + ": " + e.what());
    }
}

}  // namespace ncverify
