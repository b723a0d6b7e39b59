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

#include "ncverify/errors.hpp"
#include "ncverify/linalg/matrix.hpp"

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

    /// Entrywise application to a matrix (log 2 of the smooth leaky ReLU computed once, not
    /// per entry: for MPFR it dominated the cost of a step; the values are the same bits).
    template <class S>
    Matrix<S> apply(const Matrix<S>& z) const {
        using std::log;
        const S log_two = kind_ == ActivationKind::smooth_leaky_relu ? S(log(S(2))) : S(0);
        return z.unaryExpr([this, &log_two](const S& x) { return value_with(x, log_two); });
    }
    template <class S>
    Matrix<S> apply_derivative(const Matrix<S>& z) const {
        return z.unaryExpr([this](const S& x) { return derivative(x); });
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
