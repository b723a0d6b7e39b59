#pragma once
// Activations of the nonlinear layers, each with its first and second derivative.
//
//   kind                 | sigma(x)                                             | sigma'(x) range      | meets sigma' in [gamma, 1]
//   smooth_leaky_relu    | gamma x + (1-gamma) (softplus(beta x) - log 2) / beta | (gamma, 1), smooth  | yes, with gamma = slope
//   leaky_relu           | x for x > 0, slope x otherwise                       | {slope, 1}, kink    | slope bounds only; not smooth
//   relu                 | max(x, 0)                                            | {0, 1}, kink        | no (gamma = 0)
//   tanh                 | tanh(x)                                              | (0, 1], smooth      | no (inf sigma' = 0)
//   identity             | x                                                    | {1}                 | yes, gamma = 1
//
// softplus(t) = log(1 + e^t), evaluated as max(t, 0) + log1p(e^{-|t|}) (no overflow).
// The smooth leaky ReLU satisfies sigma(0) = 0, sigma'(x) = gamma + (1-gamma) s(beta x)
// with s the logistic function, and sigma''(x) = (1-gamma) beta s(beta x)(1 - s(beta x)):
// it is the class of the paper's gradient-descent theorem (THEORY.md §1: smooth,
// sigma' in [gamma, 1], gamma > 0). At kinks (x = 0) relu and leaky_relu use the
// left derivative (0, resp. slope), the convention of PyTorch's autograd.

#include <cmath>
#include <string>
#include <string_view>
#include <type_traits>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/matrix.hpp"
#include "ncverify/scalar/mpfr.hpp"

namespace ncverify {

enum class ActivationKind { smooth_leaky_relu, leaky_relu, relu, tanh, identity };

class Activation {
public:
    /// gamma in (0, 1), beta > 0; throws InvalidArgument otherwise.
    static Activation smooth_leaky_relu(double gamma, double beta = 1.0);
    /// slope in [0, 1); throws InvalidArgument otherwise.
    static Activation leaky_relu(double slope);
    static Activation relu() { return Activation(ActivationKind::relu, 0.0, 0.0); }
    static Activation tanh() { return Activation(ActivationKind::tanh, 0.0, 0.0); }
    static Activation identity() { return Activation(ActivationKind::identity, 1.0, 0.0); }
    /// By name: "smooth_leaky_relu", "leaky_relu", "relu", "tanh", "identity"; `slope`
    /// is gamma (smooth leaky ReLU) or the negative slope (leaky ReLU), `beta` the
    /// smooth leaky ReLU's sharpness. Throws InvalidArgument listing the valid names.
    static Activation from_name(std::string_view name, double slope = 0.1, double beta = 1.0);

    ActivationKind kind() const { return kind_; }
    std::string name() const;
    /// The formula, as in the table above, with the parameters filled in.
    std::string formula() const;
    double slope() const { return slope_; }
    double beta() const { return beta_; }

    /// True iff sigma is C^2 with sigma'(x) in [gamma, 1] for all x and some gamma > 0
    /// (the activation hypothesis of the paper's GD theorem); `lower_slope_bound` is
    /// inf sigma' (gamma; 0 when it fails).
    bool meets_gd_activation_condition() const;
    double lower_slope_bound() const;

    template <class S>
    S value(const S& x) const;
    template <class S>
    S derivative(const S& x) const;
    template <class S>
    S second_derivative(const S& x) const;

    /// sigma(Z) into `*value` and sigma'(Z) into `*derivative`, entrywise, in one pass over
    /// Z; either output may be null (not computed). Outputs are resized when their shape
    /// differs from Z's and reused otherwise (no allocation in a loop over same-shaped Z).
    /// Outputs must not alias Z. The smooth leaky ReLU shares e = exp(-beta |x|) between
    /// sigma(x) = gamma x + (1-gamma)(max(beta x, 0) + log1p(e) - log 2)/beta and
    /// sigma'(x) = gamma + (1-gamma) s, s = 1/(1+e) for x >= 0 and e/(1+e) otherwise:
    /// - Mpfr: in-place mpfr_* calls on preallocated temporaries, bit-identical to value()
    ///   and derivative() entry by entry (same operations, same roundings; log 2 from
    ///   mpfr_const_log2, correctly rounded like mpfr_log(2)).
    /// - double: vectorised (Eigen's packet exp and log, log1p(e) = log(u) e/(u-1) with
    ///   u = fl(1+e)); not bit-identical to value()/derivative(): within
    ///   16 u (|gamma x| + (1-gamma)(max(beta x, 0) + log1p(e) + log 2)/beta) of the exact
    ///   sigma(x) and 16 u of sigma'(x), u = 2^-53 (tests/training/activation_test.cpp).
    /// Other kinds evaluate value() and derivative() entry by entry. Entries are
    /// independent, so the OpenMP threads share large matrices without changing a bit.
    template <class S>
    void evaluate(const Matrix<S>& z, Matrix<S>* value, Matrix<S>* derivative) const;

    /// sigma(Z) entrywise (see evaluate).
    template <class S>
    Matrix<S> apply(const Matrix<S>& z) const {
        Matrix<S> value;
        evaluate<S>(z, &value, nullptr);
        return value;
    }
    /// sigma'(Z) entrywise (see evaluate).
    template <class S>
    Matrix<S> apply_derivative(const Matrix<S>& z) const {
        Matrix<S> derivative;
        evaluate<S>(z, nullptr, &derivative);
        return derivative;
    }
    template <class S>
    Matrix<S> apply_second_derivative(const Matrix<S>& z) const {
        return z.unaryExpr([this](const S& x) { return second_derivative(x); });
    }

    friend bool operator==(const Activation&, const Activation&) = default;

private:
    /// sigma(x), given log 2 in S (used by the smooth leaky ReLU only).
    template <class S>
    S value_with(const S& x, const S& log_two) const;

    Activation(ActivationKind kind, double slope, double beta) : kind_(kind), slope_(slope), beta_(beta) {}
    template <class S>
    static S logistic(const S& t) {
        using std::exp;
        // Evaluated on the side where exp does not overflow.
        if (t >= 0) return S(1) / (S(1) + exp(-t));
        const S e = exp(t);
        return e / (S(1) + e);
    }

    ActivationKind kind_;
    double slope_;  // gamma (smooth leaky ReLU), negative slope (leaky ReLU), 1 (identity)
    double beta_;   // sharpness of the smooth leaky ReLU
};

namespace detail {

/// The smooth leaky ReLU's fused pass (Activation::evaluate) for the two scalar paths
/// with their own kernels (network/activation.cpp); outputs already shaped like z.
void smooth_leaky_relu_pass(double gamma, double beta, const Matrix<double>& z, Matrix<double>* value,
                            Matrix<double>* derivative);
void smooth_leaky_relu_pass(double gamma, double beta, const Matrix<Mpfr>& z, Matrix<Mpfr>* value,
                            Matrix<Mpfr>* derivative);

}  // namespace detail

template <class S>
void Activation::evaluate(const Matrix<S>& z, Matrix<S>* value, Matrix<S>* derivative) const {
    for (Matrix<S>* out : {value, derivative})
        if (out && (out->rows() != z.rows() || out->cols() != z.cols())) out->resize(z.rows(), z.cols());
    if constexpr (std::is_same_v<S, double> || std::is_same_v<S, Mpfr>) {
        if (kind_ == ActivationKind::smooth_leaky_relu) {
            detail::smooth_leaky_relu_pass(slope_, beta_, z, value, derivative);
            return;
        }
    }
    using std::log;
    const S log_two = kind_ == ActivationKind::smooth_leaky_relu ? S(log(S(2))) : S(0);
    for (Index k = 0; k < z.size(); ++k) {
        if (value) value->data()[k] = value_with(z.data()[k], log_two);
        if (derivative) derivative->data()[k] = this->derivative(z.data()[k]);
    }
}

template <class S>
S Activation::value(const S& x) const {
    using std::log;
    return value_with(x, kind_ == ActivationKind::smooth_leaky_relu ? S(log(S(2))) : S(0));
}

template <class S>
S Activation::value_with(const S& x, const S& log_two) const {
    using std::abs;
    using std::exp;
    using std::log1p;
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu: {
            const S gamma(slope_), beta(beta_);
            const S t = beta * x;
            const S softplus = (t > 0 ? t : S(0)) + log1p(exp(-abs(t)));
            return gamma * x + (S(1) - gamma) * (softplus - log_two) / beta;
        }
        case ActivationKind::leaky_relu: return x > 0 ? x : S(slope_) * x;
        case ActivationKind::relu: return x > 0 ? x : S(0);
        case ActivationKind::tanh: {
            using std::tanh;
            return tanh(x);
        }
        case ActivationKind::identity: return x;
    }
    return x;
}

template <class S>
S Activation::derivative(const S& x) const {
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu: {
            const S gamma(slope_);
            return gamma + (S(1) - gamma) * logistic(S(beta_) * x);
        }
        case ActivationKind::leaky_relu: return x > 0 ? S(1) : S(slope_);
        case ActivationKind::relu: return x > 0 ? S(1) : S(0);
        case ActivationKind::tanh: {
            using std::tanh;
            const S th = tanh(x);
            return S(1) - th * th;
        }
        case ActivationKind::identity: return S(1);
    }
    return S(1);
}

template <class S>
S Activation::second_derivative(const S& x) const {
    switch (kind_) {
        case ActivationKind::smooth_leaky_relu: {
            const S s = logistic(S(beta_) * x);
            return (S(1) - S(slope_)) * S(beta_) * s * (S(1) - s);
        }
        case ActivationKind::leaky_relu:
        case ActivationKind::relu:
        case ActivationKind::identity: return S(0);
        case ActivationKind::tanh: {
            using std::tanh;
            const S th = tanh(x);
            return S(-2) * th * (S(1) - th * th);
        }
    }
    return S(0);
}

}  // namespace ncverify
