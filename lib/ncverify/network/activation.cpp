#include "ncverify/network/activation.hpp"

#include <fmt/core.h>

namespace ncverify {

Activation Activation::smooth_leaky_relu(double gamma, double beta) {
    if (!(gamma > 0.0 && gamma < 1.0))
        throw InvalidArgument(fmt::format("activation smooth_leaky_relu: slope (gamma) = {} must lie in (0, 1)", gamma));
    if (!(beta > 0.0 && std::isfinite(beta)))
        throw InvalidArgument(fmt::format("activation smooth_leaky_relu: beta = {} must be positive and finite", beta));
    return Activation(ActivationKind::smooth_leaky_relu, gamma, beta);
}

Activation Activation::leaky_relu(double slope) {
    if (!(slope >= 0.0 && slope < 1.0))
        throw InvalidArgument(fmt::format("activation leaky_relu: slope = {} must lie in [0, 1)", slope));
    return Activation(ActivationKind::leaky_relu, slope, 0.0);
}

Activation Activation::from_name(std::string_view name, double slope, double beta) {
    if (name == "smooth_leaky_relu") return smooth_leaky_relu(slope, beta);
    if (name == "leaky_relu") return leaky_relu(slope);
    if (name == "relu") return relu();
    if (name == "tanh") return tanh();
    if (name == "identity") return identity();
    throw InvalidArgument(fmt::format(
        "activation: unknown name \"{}\"; valid names are smooth_leaky_relu, leaky_relu, relu, tanh, identity", name));
}

std::string Activation::name() const {
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu: return "smooth_leaky_relu";
        case ActivationKind::leaky_relu: return "leaky_relu";
        case ActivationKind::relu: return "relu";
        case ActivationKind::tanh: return "tanh";
        case ActivationKind::identity: return "identity";
    }
    return {};
}

std::string Activation::formula() const {
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu:
            return fmt::format("{} x + {} (softplus({} x) - log 2) / {}", slope_, 1.0 - slope_, beta_, beta_);
        case ActivationKind::leaky_relu: return fmt::format("x if x > 0 else {} x", slope_);
        case ActivationKind::relu: return "max(x, 0)";
        case ActivationKind::tanh: return "tanh(x)";
        case ActivationKind::identity: return "x";
    }
    return {};
}

bool Activation::meets_gd_activation_condition() const {
    return kind_ == ActivationKind::smooth_leaky_relu || kind_ == ActivationKind::identity;
}

double Activation::lower_slope_bound() const {
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu:
        case ActivationKind::identity: return slope_;
        case ActivationKind::leaky_relu: return slope_;  // bounded below, but not smooth
        case ActivationKind::relu:
        case ActivationKind::tanh: return 0.0;
    }
    return 0.0;
}

}  // namespace ncverify
