#include "ncverify/network/gd_assumptions.hpp"

#include <fmt/core.h>

namespace ncverify {

GdAssumptions check_gd_assumptions(const NetworkSpec& spec, Index num_samples) {
    GdAssumptions result;
    result.wide_first_layer = spec.width(1) >= num_samples;
    if (!result.wide_first_layer)
        result.failures.push_back(
            fmt::format("wide first layer: n_1 = {} < N = {} samples", spec.width(1), num_samples));
    result.pyramidal = true;
    for (Index l = 2; l < spec.num_layers(); ++l)
        if (spec.width(l) < spec.width(l + 1)) {
            result.pyramidal = false;
            result.failures.push_back(fmt::format("pyramidal topology: n_{} = {} < n_{} = {}", l, spec.width(l), l + 1,
                                                  spec.width(l + 1)));
        }
    result.gamma = spec.activation.lower_slope_bound();
    result.smooth_activation_with_slope_bound = spec.activation.meets_gd_activation_condition();
    if (!result.smooth_activation_with_slope_bound)
        result.failures.push_back(fmt::format(
            "activation: {} is not smooth with sigma' in [gamma, 1] for some gamma > 0", spec.activation.name()));
    result.enough_linear_layers = spec.linear_layers >= 2;
    if (!result.enough_linear_layers)
        result.failures.push_back(fmt::format("linear head: L2 = {} < 2 linear layers", spec.linear_layers));
    return result;
}

}  // namespace ncverify
