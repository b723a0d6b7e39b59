#include "ncverify/network/activation.hpp"

#include <arb.h>
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

namespace ncverify::detail {

namespace {

/// Entries per block of the double pass: the block's temporaries (a few arrays of 256
/// doubles) stay in L1 while every formula runs over it, so Z is read once.
constexpr Index activation_block = 256;
/// Below this many entries a pass runs on the calling thread only.
constexpr Index activation_parallel_entries = Index(1) << 15;

}  // namespace

// sigma(x) = gamma x + (1-gamma)(max(t, 0) + log1p(e) - log 2)/beta and
// sigma'(x) = gamma + (1-gamma) s with t = beta x, e = exp(-|t|), s = 1/(1+e) (t >= 0)
// or e/(1+e) (t < 0) = logistic(t). Error: exp and log of Eigen's packet math are within
// ~2 ulp; log1p(e) = log(u) e/(u-1) with u = fl(1+e) in [1, 2] (u - 1 exact) is within
// ~4 ulp (Goldberg's formula; u = 1 means e < u/2, where log1p(e) = e to double precision);
// every other operation adds one rounding, hence the 16 u bounds stated in activation.hpp.
void smooth_leaky_relu_pass(double gamma, double beta, const Matrix<double>& z, Matrix<double>* value,
                            Matrix<double>* derivative) {
    using Block = Eigen::Array<double, Eigen::Dynamic, 1, 0, activation_block, 1>;
    using Map = Eigen::Map<Eigen::ArrayXd>;
    const double log_two = std::log(2.0), one_minus_gamma = 1.0 - gamma;
    const Index size = z.size(), blocks = (size + activation_block - 1) / activation_block;
#pragma omp parallel for schedule(static) if (size > activation_parallel_entries)
    for (Index block = 0; block < blocks; ++block) {
        const Index first = block * activation_block, count = std::min(activation_block, size - first);
        const Eigen::Map<const Eigen::ArrayXd> x(z.data() + first, count);
        const Block t = beta * x;
        const Block e = (-t.abs()).exp();
        const Block u = 1.0 + e;
        if (value) {
            const Block log1p_e = (u == 1.0).select(e, u.log() * (e / (u - 1.0)));
            Map(value->data() + first, count) =
                gamma * x + one_minus_gamma * ((t.max(0.0) + log1p_e) - log_two) / beta;
        }
        if (derivative) {
            const Block r = u.inverse();
            Map(derivative->data() + first, count) = gamma + one_minus_gamma * (t >= 0.0).select(r, e * r);
        }
    }
}

namespace {

/// Raw MPFR temporaries of one thread at one precision, initialised once per pass, and
/// the Arb balls of the correctly rounded elementary functions below.
class MpfrScratch {
public:
    MpfrScratch(mpfr_prec_t bits, double gamma, double beta) {
        for (mpfr_t* v : {&t, &e, &l, &g, &gamma_, &beta_, &one_minus_gamma, &log_two}) mpfr_init2(*v, bits);
        arb_init(argument);
        arb_init(result);
        // S(slope), S(beta): exact (bits >= 53); S(1) - gamma rounded once, as Activation does.
        mpfr_set_d(gamma_, gamma, MPFR_RNDN);
        mpfr_set_d(beta_, beta, MPFR_RNDN);
        mpfr_ui_sub(one_minus_gamma, 1, gamma_, MPFR_RNDN);
        mpfr_const_log2(log_two, MPFR_RNDN);
    }
    ~MpfrScratch() {
        for (mpfr_t* v : {&t, &e, &l, &g, &gamma_, &beta_, &one_minus_gamma, &log_two}) mpfr_clear(*v);
        arb_clear(argument);
        arb_clear(result);
    }
    MpfrScratch(const MpfrScratch&) = delete;
    MpfrScratch& operator=(const MpfrScratch&) = delete;

    mpfr_t t, e, l, g, gamma_, beta_, one_minus_gamma, log_two;
    arb_t argument, result;
};

/// Extra bits of Arb's first evaluation: the correctly rounded result is decided unless
/// f(x) lies within ~2^-guard ulp of a rounding boundary (then MPFR decides).
constexpr slong arb_guard_bits = 30;
/// Arguments with |x| below 2^arb_exponent_limit take the Arb route; beyond, MPFR's
/// exponent range (not Arb's unbounded one) must decide over- and underflow.
constexpr mpfr_exp_t arb_exponent_limit = 20;

/// out = f(x) correctly rounded to nearest at out's precision: MPFR's mpfr_exp/mpfr_log1p
/// give exactly these bits (correct rounding is unique), but Arb evaluates these functions
/// several times faster at 128-1024 bits (measured 7x for exp + log1p at 256 bits). Arb
/// computes a ball at prec + arb_guard_bits around the exact value; arb_can_round_mpfr
/// certifies that rounding its midpoint gives the correctly rounded result; otherwise the
/// MPFR function decides.
template <void (*arb_function)(arb_t, const arb_t, slong), int (*mpfr_function)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t)>
void correctly_rounded(mpfr_ptr out, mpfr_srcptr x, MpfrScratch& w) {
    const mpfr_prec_t bits = mpfr_get_prec(out);
    if (mpfr_regular_p(x) && mpfr_get_exp(x) < arb_exponent_limit) {
        arf_set_mpfr(arb_midref(w.argument), x);
        mag_zero(arb_radref(w.argument));
        arb_function(w.result, w.argument, bits + arb_guard_bits);
        if (arb_can_round_mpfr(w.result, bits, MPFR_RNDN)) {
            arf_get_mpfr(out, arb_midref(w.result), MPFR_RNDN);
            return;
        }
    }
    mpfr_function(out, x, MPFR_RNDN);
}

mpfr_ptr raw(Mpfr& x) { return x.backend().data(); }
mpfr_srcptr raw(const Mpfr& x) { return x.backend().data(); }

}  // namespace

// The same operations and roundings as Activation::value_with and ::derivative on Boost
// numbers (each Boost operation is one correctly rounded mpfr_* call at the working
// precision; exp and log1p correctly rounded through Arb, see correctly_rounded), in the
// same order:
//   t = beta x; e = exp(-|t|) (the logistic's exp(-t) for t >= 0 and exp(t) for t < 0
//   are this same e); sigma = gamma x + ((1-gamma)((max(t,0) + log1p(e)) - log 2))/beta,
//   where 0 + log1p(e) is log1p(e) exactly; sigma' = gamma + (1-gamma) s with
//   s = 1/(1+e) (t >= 0) or e/(1+e) (t < 0).
void smooth_leaky_relu_pass(double gamma, double beta, const Matrix<Mpfr>& z, Matrix<Mpfr>* value,
                            Matrix<Mpfr>* derivative) {
    const auto bits = static_cast<mpfr_prec_t>(working_precision_bits());
    for (Matrix<Mpfr>* out : {value, derivative})
        if (out)
            for (Index k = 0; k < out->size(); ++k)
                if (mpfr_get_prec(raw(out->data()[k])) != bits) mpfr_set_prec(raw(out->data()[k]), bits);
    const Index size = z.size();
#pragma omp parallel if (size > 64)
    {
        MpfrScratch w(bits, gamma, beta);
#pragma omp for schedule(static)
        for (Index k = 0; k < size; ++k) {
            mpfr_srcptr x = raw(z.data()[k]);
            mpfr_mul(w.t, w.beta_, x, MPFR_RNDN);
            mpfr_abs(w.e, w.t, MPFR_RNDN);
            mpfr_neg(w.e, w.e, MPFR_RNDN);
            correctly_rounded<arb_exp, mpfr_exp>(w.e, w.e, w);
            if (value) {
                correctly_rounded<arb_log1p, mpfr_log1p>(w.l, w.e, w);
                if (mpfr_sgn(w.t) > 0) mpfr_add(w.l, w.t, w.l, MPFR_RNDN);
                mpfr_sub(w.l, w.l, w.log_two, MPFR_RNDN);
                mpfr_mul(w.l, w.one_minus_gamma, w.l, MPFR_RNDN);
                mpfr_div(w.l, w.l, w.beta_, MPFR_RNDN);
                mpfr_mul(w.g, w.gamma_, x, MPFR_RNDN);
                mpfr_add(raw(value->data()[k]), w.g, w.l, MPFR_RNDN);
            }
            if (derivative) {
                mpfr_add_ui(w.l, w.e, 1, MPFR_RNDN);
                if (mpfr_sgn(w.t) >= 0 && !mpfr_nan_p(w.t))
                    mpfr_ui_div(w.l, 1, w.l, MPFR_RNDN);
                else
                    mpfr_div(w.l, w.e, w.l, MPFR_RNDN);
                mpfr_mul(w.l, w.one_minus_gamma, w.l, MPFR_RNDN);
                mpfr_add(raw(derivative->data()[k]), w.gamma_, w.l, MPFR_RNDN);
            }
        }
    }
}

}  // namespace ncverify::detail
