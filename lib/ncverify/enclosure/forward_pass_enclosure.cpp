#include "ncverify/enclosure/forward_pass_enclosure.hpp"

#include <fmt/core.h>

#include "ncverify/enclosure/ball_matrix.hpp"

namespace ncverify {

Ball enclose_activation(const Activation& activation, const Ball& x) {
    switch (activation.kind()) {
        case ActivationKind::smooth_leaky_relu: {
            const Ball gamma = Ball::exact(activation.slope()), beta = Ball::exact(activation.beta());
            const Ball softplus = log1p(exp(beta * x));
            return gamma * x + (Ball(1) - gamma) * (softplus - log_two()) / beta;
        }
        case ActivationKind::leaky_relu: return max(x, Ball::exact(activation.slope()) * x);
        case ActivationKind::relu: return max(x, Ball(0));
        case ActivationKind::tanh: return tanh(x);
        case ActivationKind::identity: return x;
    }
    return x;
}

std::vector<ArbMatrix> enclose_features(const NetworkSpec& spec, const std::vector<ArbMatrix>& weights,
                                        const ArbMatrix& inputs, Index last_layer, const std::vector<ArbMatrix>& biases) {
    if (last_layer < 0 || last_layer > spec.num_layers() || last_layer > static_cast<Index>(weights.size()))
        throw InvalidArgument(fmt::format("enclose_features: layer {} outside [0, {}]", last_layer, spec.num_layers()));
    std::vector<ArbMatrix> features;
    features.push_back(copy_of(inputs));
    for (Index l = 1; l <= last_layer; ++l) {
        const ArbMatrix& w = weights[static_cast<std::size_t>(l - 1)];
        if (w.cols() != features.back().rows())
            throw ShapeMismatch(fmt::format("enclose_features: W_{} is {}x{} but H_{} has {} rows", l, w.rows(), w.cols(),
                                            l - 1, features.back().rows()));
        ArbMatrix h = certified_product(w, features.back());
        if (!biases.empty() && biases[static_cast<std::size_t>(l - 1)].rows() > 0) {
            const ArbMatrix& b = biases[static_cast<std::size_t>(l - 1)];
            if (b.rows() != h.rows())
                throw ShapeMismatch(fmt::format("enclose_features: b_{} has {} entries for {} units", l, b.rows(), h.rows()));
            for (Index i = 0; i < h.rows(); ++i)
                for (Index j = 0; j < h.cols(); ++j)
                    arb_set(h.entry(i, j), (entry_ball(h, i, j) + entry_ball(b, i, 0)).get());
        }
        if (spec.is_nonlinear(l))
            for (Index i = 0; i < h.rows(); ++i)
                for (Index j = 0; j < h.cols(); ++j)
                    arb_set(h.entry(i, j), enclose_activation(spec.activation, entry_ball(h, i, j)).get());
        features.push_back(std::move(h));
    }
    return features;
}

template <class S>
std::vector<ArbMatrix> exact_biases(const Network<S>& network) {
    std::vector<ArbMatrix> biases;
    if (!network.has_biases()) return biases;
    for (Index l = 1; l <= network.num_layers(); ++l)
        biases.push_back(network.has_bias(l) ? ArbMatrix::exact(Matrix<S>(network.bias(l))) : ArbMatrix(0, 0));
    return biases;
}

template <class S>
std::vector<ArbMatrix> enclose_features(const Network<S>& network, const Matrix<S>& inputs, Index last_layer) {
    std::vector<ArbMatrix> weights;
    for (Index l = 1; l <= network.num_layers(); ++l) weights.push_back(ArbMatrix::exact(network.weight(l)));
    return enclose_features(network.spec, weights, ArbMatrix::exact(inputs), last_layer, exact_biases(network));
}

template std::vector<ArbMatrix> enclose_features(const Network<double>&, const Matrix<double>&, Index);
template std::vector<ArbMatrix> exact_biases(const Network<double>&);
template std::vector<ArbMatrix> exact_biases(const Network<Mpfr>&);
template std::vector<ArbMatrix> enclose_features(const Network<Mpfr>&, const Matrix<Mpfr>&, Index);

}  // namespace ncverify
