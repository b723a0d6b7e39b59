#include "ncverify/checkers/head_instance.hpp"

#include <cmath>
#include <ostream>

#include "ncverify/linalg/constructed_matrices.hpp"
#include "ncverify/linalg/pseudo_inverse.hpp"

namespace ncverify {

HeadParameters sample_head_parameters(RandomSource& random, int max_classes, int max_depth) {
    HeadParameters p;
    p.num_classes = random.uniform_integer(2, max_classes);
    p.per_class = random.uniform_integer(2, 6);
    p.linear_layers = random.uniform_integer(2, max_depth);
    const bool pyramidal = random.uniform() < 0.7;
    p.widths.assign(static_cast<std::size_t>(p.linear_layers + 1), p.num_classes);
    for (Index j = p.linear_layers - 1; j >= 0; --j) {
        const Index floor = pyramidal ? p.widths[static_cast<std::size_t>(j + 1)] : p.num_classes;
        p.widths[static_cast<std::size_t>(j)] = floor + random.uniform_integer(0, 4);
    }
    p.log10_kappa = 1.5 * random.uniform();
    p.scale = 0.2 + 3.8 * random.uniform();
    p.log10_perturbation = -9.0 * random.uniform();
    p.log10_fit = -7.0 * random.uniform();
    p.null_noise = random.uniform();
    p.seed = static_cast<std::uint64_t>(random.uniform_integer(0, INT64_MAX));
    return p;
}

CheckState<double> make_head_instance(const HeadParameters& p) {
    RandomSource random(p.seed);
    const Index K = p.num_classes, n = p.per_class, N = K * n, L2 = p.linear_layers;
    if (K < 1 || n < 1 || L2 < 1 || static_cast<Index>(p.widths.size()) != L2 + 1 || p.widths.back() != K)
        throw InvalidArgument("head instance: inconsistent parameters (need K, n, L2 >= 1 and L2 + 1 widths ending in K)");
    for (Index w : p.widths)
        if (w < K) throw InvalidArgument("head instance: every width must be >= K");
    Vector<double> s(K);
    for (Index i = 0; i < K; ++i)
        s(i) = p.scale * std::pow(10.0, -p.log10_kappa * double(i) / double(std::max<Index>(K - 1, 1)));
    std::vector<Matrix<double>> factors;
    for (Index j = 0; j <= L2; ++j) factors.push_back(random_orthonormal_columns<double>(p.widths[std::size_t(j)], K, random));
    std::vector<Matrix<double>> weights;
    for (Index j = 1; j <= L2; ++j) {
        Matrix<double> w = multiply(Matrix<double>(factors[std::size_t(j)] * s.asDiagonal()), factors[std::size_t(j - 1)].transpose());
        const Matrix<double> g = random.gaussian_matrix(w.rows(), w.cols());
        w += std::pow(10.0, p.log10_perturbation) * w.norm() / g.norm() * g;
        weights.push_back(std::move(w));
    }
    Matrix<double> a = weights.back();
    for (Index j = L2 - 1; j >= 1; --j) a = multiply(a, weights[std::size_t(j - 1)]);
    std::vector<Index> labels(static_cast<std::size_t>(N));
    Matrix<double> y = Matrix<double>::Zero(K, N);
    for (Index i = 0; i < N; ++i) {
        labels[std::size_t(i)] = i / n;
        y(i / n, i) = 1;
    }
    Matrix<double> e0 = random.gaussian_matrix(K, N);
    const double fit = p.break_interpolation ? 3.0 : std::pow(10.0, p.log10_fit);
    e0 *= fit * std::sqrt(double(n)) / e0.norm();
    const Matrix<double> a_pinv = pseudo_inverse(a, RankRule::fixed(K));
    Matrix<double> h = multiply(a_pinv, Matrix<double>(y + e0));
    const Matrix<double> null_projector = Matrix<double>::Identity(a.cols(), a.cols()) - multiply(a_pinv, a);
    h += p.null_noise * multiply(null_projector, random.gaussian_matrix(a.cols(), N));
    return check_state_from_features(std::move(weights), std::move(h), std::move(labels), K, Precision::ieee_double());
}

nlohmann::json head_parameters_to_json(const HeadParameters& p) {
    return {{"num_classes", p.num_classes}, {"per_class", p.per_class}, {"linear_layers", p.linear_layers},
            {"widths", p.widths}, {"log10_kappa", p.log10_kappa}, {"scale", p.scale},
            {"log10_perturbation", p.log10_perturbation}, {"log10_fit", p.log10_fit}, {"null_noise", p.null_noise},
            {"seed", p.seed}, {"break_interpolation", p.break_interpolation}};
}

HeadParameters head_parameters_from_json(const nlohmann::json& json) {
    HeadParameters p;
    p.num_classes = json.at("num_classes").get<Index>();
    p.per_class = json.at("per_class").get<Index>();
    p.linear_layers = json.at("linear_layers").get<Index>();
    p.widths = json.at("widths").get<std::vector<Index>>();
    p.log10_kappa = json.at("log10_kappa").get<double>();
    p.scale = json.at("scale").get<double>();
    p.log10_perturbation = json.at("log10_perturbation").get<double>();
    p.log10_fit = json.at("log10_fit").get<double>();
    p.null_noise = json.at("null_noise").get<double>();
    p.seed = json.at("seed").get<std::uint64_t>();
    p.break_interpolation = json.value("break_interpolation", false);
    return p;
}

void print_head_parameters(const HeadParameters& p, std::ostream& os) {
    os << "K=" << p.num_classes << " n=" << p.per_class << " L2=" << p.linear_layers << " widths=[";
    for (std::size_t i = 0; i < p.widths.size(); ++i) os << (i ? " " : "") << p.widths[i];
    os << "] log10_kappa=" << p.log10_kappa << " scale=" << p.scale << " log10_perturbation=" << p.log10_perturbation
       << " log10_fit=" << p.log10_fit << " null_noise=" << p.null_noise << " seed=" << p.seed
       << (p.break_interpolation ? " break_interpolation" : "");
}

}  // namespace ncverify
