#include "ncverify/network/initialization.hpp"

#include <fmt/core.h>

#include <cmath>

#include "ncverify/random/random_source.hpp"

namespace ncverify {

InitScheme init_scheme_from_name(std::string_view name) {
    if (name == "lecun") return InitScheme::lecun;
    if (name == "he") return InitScheme::he;
    if (name == "xavier") return InitScheme::xavier;
    throw InvalidArgument(fmt::format("initialization: unknown scheme \"{}\"; valid schemes are lecun, he, xavier", name));
}

std::string_view init_scheme_name(InitScheme scheme) {
    switch (scheme) {
        case InitScheme::lecun: return "lecun";
        case InitScheme::he: return "he";
        case InitScheme::xavier: return "xavier";
    }
    return "";
}

Network<double> initialize_network(const NetworkSpec& spec, const InitOptions& options) {
    spec.validate(spec.widths.empty() ? 0 : spec.widths.back());
    const Index layers = spec.num_layers();
    if (!options.layer_scales.empty() && static_cast<Index>(options.layer_scales.size()) != layers)
        throw InvalidArgument(fmt::format("initialization: layer_scales has {} entries for {} layers",
                                          options.layer_scales.size(), layers));
    for (std::size_t i = 0; i < options.layer_scales.size(); ++i)
        if (!(options.layer_scales[i] > 0.0 && std::isfinite(options.layer_scales[i])))
            throw InvalidArgument(fmt::format("initialization: layer_scales[{}] = {} must be positive and finite", i,
                                              options.layer_scales[i]));

    RandomSource random(options.seed);
    Network<double> network{spec, {}};
    for (Index l = 1; l <= layers; ++l) {
        const double fan_in = static_cast<double>(spec.width(l - 1));
        const double fan_out = static_cast<double>(spec.width(l));
        const double variance = options.scheme == InitScheme::lecun ? 1.0 / fan_in
                                : options.scheme == InitScheme::he  ? 2.0 / fan_in
                                                                    : 2.0 / (fan_in + fan_out);
        const double scale = options.layer_scales.empty() ? 1.0 : options.layer_scales[static_cast<std::size_t>(l - 1)];
        network.weights.push_back(scale * std::sqrt(variance) * random.gaussian_matrix(spec.width(l), spec.width(l - 1)));
    }
    return network;
}

}  // namespace ncverify
