#include "ncverify/network/network_spec.hpp"

#include <fmt/core.h>

namespace ncverify {

Index NetworkSpec::parameter_count() const {
    Index count = 0;
    for (Index l = 1; l <= num_layers(); ++l) count += width(l) * width(l - 1);
    return count;
}

void NetworkSpec::validate(Index num_classes, Index min_nonlinear_layers) const {
    if (input_dim <= 0) throw InvalidArgument(fmt::format("network: input_dim = {} must be positive", input_dim));
    if (widths.empty()) throw InvalidArgument("network: widths is empty; give n_1 ... n_L with n_L = number of classes");
    for (std::size_t i = 0; i < widths.size(); ++i)
        if (widths[i] <= 0)
            throw InvalidArgument(fmt::format("network: widths[{}] (n_{}) = {} must be positive", i, i + 1, widths[i]));
    if (nonlinear_layers < min_nonlinear_layers)
        throw InvalidArgument(fmt::format("network: nonlinear_layers (L1) = {} must be >= {}", nonlinear_layers,
                                          min_nonlinear_layers));
    if (linear_layers < 1)
        throw InvalidArgument(fmt::format("network: linear_layers (L2) = {} must be >= 1", linear_layers));
    if (nonlinear_layers + linear_layers != num_layers())
        throw InvalidArgument(fmt::format(
            "network: nonlinear_layers + linear_layers = {} + {} = {} but widths lists {} layers", nonlinear_layers,
            linear_layers, nonlinear_layers + linear_layers, num_layers()));
    long double weights = 0;  // in long double: widths near 2^63 must not overflow
    for (Index l = 1; l <= num_layers(); ++l)
        weights += static_cast<long double>(width(l)) * static_cast<long double>(width(l - 1));
    if (weights > static_cast<long double>(max_network_parameters))
        throw InvalidArgument(fmt::format("network: {} has {:.3g} weights, more than the limit of {} (2^31); "
                                          "reduce the widths",
                                          describe(), static_cast<double>(weights), max_network_parameters));
    if (widths.back() != num_classes)
        throw InvalidArgument(fmt::format("network: the last width n_L = {} must equal the number of classes K = {}",
                                          widths.back(), num_classes));
}

std::string NetworkSpec::describe() const {
    std::string text = fmt::format("{}", input_dim);
    for (Index w : widths) text += fmt::format("-{}", w);
    text += fmt::format(" (L1={} {}, L2={} linear)", nonlinear_layers, activation.name(), linear_layers);
    return text;
}

}  // namespace ncverify
