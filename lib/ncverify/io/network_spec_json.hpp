#pragma once
// JSON form of a NetworkSpec (used by checkpoints and run manifests):
//   {"input_dim": 784, "widths": [1024, ..., 10], "nonlinear_layers": 3,
//    "linear_layers": 2, "activation": {"name": "smooth_leaky_relu", "slope": 0.1, "beta": 1}}
// Parsing validates types and names the offending key (InputError).

#include <nlohmann/json.hpp>

#include "ncverify/network/network_spec.hpp"

namespace ncverify {

nlohmann::json network_spec_to_json(const NetworkSpec& spec);
/// `context` names the source (file) in error messages.
NetworkSpec network_spec_from_json(const nlohmann::json& json, const std::string& context);

}  // namespace ncverify
