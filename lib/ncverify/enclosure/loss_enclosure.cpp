#include "ncverify/enclosure/loss_enclosure.hpp"

#include <fmt/core.h>

#include "ncverify/enclosure/ball_matrix.hpp"
#include "ncverify/enclosure/forward_pass_enclosure.hpp"

namespace ncverify {

template <class S>
LossEnclosure enclose_loss(const Network<S>& network, const Matrix<S>& inputs, const Matrix<S>& targets,
                           double weight_decay) {
    const std::vector<ArbMatrix> features = enclose_features(network, inputs, network.num_layers());
    const ArbMatrix& output = features.back();
    if (output.rows() != targets.rows() || output.cols() != targets.cols())
        throw ShapeMismatch(fmt::format("enclose_loss: the output is {}x{} but the targets are {}x{}", output.rows(),
                                        output.cols(), targets.rows(), targets.cols()));
    LossEnclosure result;
    const Ball half = Ball(1) / Ball(2);
    result.data_loss = half * certified_squared_frobenius_norm(certified_difference(output, ArbMatrix::exact(targets)));
    Ball weights;
    for (Index l = 1; l <= network.num_layers(); ++l) weights += certified_squared_frobenius_norm(ArbMatrix::exact(network.weight(l)));
    result.loss = result.data_loss + half * Ball::exact(weight_decay) * weights;
    return result;
}

template LossEnclosure enclose_loss(const Network<double>&, const Matrix<double>&, const Matrix<double>&, double);
template LossEnclosure enclose_loss(const Network<Mpfr>&, const Matrix<Mpfr>&, const Matrix<Mpfr>&, double);

}  // namespace ncverify
