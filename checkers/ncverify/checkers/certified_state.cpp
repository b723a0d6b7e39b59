#include "ncverify/checkers/certified_state.hpp"

#include "ncverify/enclosure/forward_pass_enclosure.hpp"

namespace ncverify {

ArbMatrix CertifiedState::head_features(Index j) const {
    ArbMatrix h = copy_of(head_input);
    for (Index i = 1; i <= j; ++i) h = certified_product(head_weight(i), h);
    return h;
}

ArbMatrix CertifiedState::targets() const {
    ArbMatrix y(num_classes, num_samples());
    for (Index i = 0; i < num_samples(); ++i) arb_one(y.entry(labels[static_cast<std::size_t>(i)], i));
    return y;
}

Index CertifiedState::samples_per_class() const {
    std::vector<Index> counts(static_cast<std::size_t>(num_classes), 0);
    for (Index label : labels) ++counts[static_cast<std::size_t>(label)];
    for (Index c : counts)
        if (c != counts.front()) return 0;
    return counts.empty() ? 0 : counts.front();
}

namespace {

/// The exact data a source needs, shared by the copies of the std::function.
struct ExactHead {
    std::vector<ArbMatrix> head_weights;
    ArbMatrix head_input{0, 0};
    std::vector<Index> labels;
    Index num_classes = 0;
    bool head_has_biases = false;
};

struct ExactNetwork {
    NetworkSpec spec;
    std::vector<ArbMatrix> weights;
    std::vector<ArbMatrix> biases;  // exact_biases (forward_pass_enclosure.hpp)
    bool head_has_biases = false;
    ArbMatrix inputs{0, 0};
    std::vector<Index> labels;
    Index num_classes = 0;
};

}  // namespace

template <class S>
CertifiedStateSource certified_source_from_features(const CheckState<S>& state) {
    validate_check_state(state);
    auto head = std::make_shared<ExactHead>();
    for (const Matrix<S>& w : state.head_weights) head->head_weights.push_back(ArbMatrix::exact(w));
    head->head_input = ArbMatrix::exact(state.head_input);
    head->labels = state.labels;
    head->num_classes = state.num_classes;
    head->head_has_biases = state.has_head_biases();
    return [head](unsigned bits) {
        CertifiedState result;
        for (const ArbMatrix& w : head->head_weights) result.head_weights.push_back(copy_of(w));
        result.head_input = copy_of(head->head_input);
        result.labels = head->labels;
        result.num_classes = head->num_classes;
        result.bits = bits;
        result.head_has_biases = head->head_has_biases;
        return result;
    };
}

template <class S>
CertifiedStateSource certified_source_from_network(const Network<S>& network, const Matrix<S>& inputs,
                                                   std::vector<Index> labels, Index num_classes) {
    // Validates shapes, labels and finiteness exactly as the approximate route does.
    (void)check_state_from_network(network, inputs, labels, num_classes, Precision::ieee_double());
    auto exact = std::make_shared<ExactNetwork>();
    exact->spec = network.spec;
    for (Index l = 1; l <= network.num_layers(); ++l) exact->weights.push_back(ArbMatrix::exact(network.weight(l)));
    exact->biases = exact_biases(network);
    exact->head_has_biases = network.has_biases(network.spec.nonlinear_layers + 1);
    exact->inputs = ArbMatrix::exact(inputs);
    exact->labels = std::move(labels);
    exact->num_classes = num_classes;
    return [exact](unsigned bits) {
        const Index L1 = exact->spec.nonlinear_layers;
        CertifiedState result;
        for (Index l = L1 + 1; l <= exact->spec.num_layers(); ++l)
            result.head_weights.push_back(copy_of(exact->weights[static_cast<std::size_t>(l - 1)]));
        std::vector<ArbMatrix> features = enclose_features(exact->spec, exact->weights, exact->inputs, L1, exact->biases);
        result.head_input = std::move(features.back());
        result.labels = exact->labels;
        result.num_classes = exact->num_classes;
        result.bits = bits;
        result.head_has_biases = exact->head_has_biases;
        return result;
    };
}

template CertifiedStateSource certified_source_from_features(const CheckState<double>&);
template CertifiedStateSource certified_source_from_features(const CheckState<Mpfr>&);
template CertifiedStateSource certified_source_from_network(const Network<double>&, const Matrix<double>&,
                                                            std::vector<Index>, Index);
template CertifiedStateSource certified_source_from_network(const Network<Mpfr>&, const Matrix<Mpfr>&,
                                                            std::vector<Index>, Index);

}  // namespace ncverify
