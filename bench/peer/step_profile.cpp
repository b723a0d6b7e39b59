// step_profile PROBLEM.json REPEATS THREADS [BITS]
//
// Timing split of one ncverify gradient-descent step, in double or, with BITS, in MPFR
// at BITS bits (a gprof-like profile:
// valgrind 3.19 cannot decode the AVX-512 code of the -march=native build, and perf is
// not available). The components are the operations of loss_and_gradient and
// gradient_step (lib/ncverify/training/), executed and timed one by one with the same
// library calls and the same reused buffers as the training loop, at the initial weights:
//   forward_products      Z_l = multiply_into(W_l, H_{l-1})
//   activation            H_l = sigma(Z_l) and sigma'(Z_l), one fused pass
//                         (Activation::evaluate, as forward_into with KeepDerivatives::yes)
//   loss                  H_L - Y, 1/2 ||.||_F^2, lambda/2 sum ||W_l||_F^2
//   gradient_products     G_l = multiply_into(delta_l, H_{l-1}^T)
//   back_products         multiply_into(W_l^T, delta_l)
//   activation_derivative 0: sigma' is computed inside `activation` (the component is
//                         kept so that the table lines up with PyTorch's split)
//   hadamard              back .* sigma'(Z_{l-1})
//   update                gradient_step_into
// and `step`, the real step (loss_and_gradient_into + gradient_step_into, buffers reused
// as in gradient_descent) timed as a whole, so that step - sum(components) is what the
// split does not see (the copy of X into the pass, copies of linear layers). Prints one JSON object: {"implementation": "ncverify", "problem",
// "threads", "repeats", "precision", "median_seconds": {component: median over repeats}}.
#include <fmt/core.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "peer/peer_problem.hpp"
#include "ncverify/scalar/dispatch.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

/// The split of `repeats` steps at scalar S (the working precision is set by the caller).
template <class S>
std::map<std::string, double> profile(const Network<double>& network_double, const Matrix<double>& inputs_double,
                                      const Matrix<double>& targets_double, const StepSetting& setting, int repeats) {
    const Network<S> network = network_from_double<S>(network_double);
    const Matrix<S> inputs = from_double<S>(inputs_double), targets = from_double<S>(targets_double);
    const S lambda(setting.weight_decay);
    const NetworkSpec& spec = network.spec;
    const Index layers = network.num_layers();
    std::map<std::string, std::vector<double>> samples;
    LossAndGradient<S> evaluation{S(0), S(0), {}, {}, {}, {}};
    std::vector<Matrix<S>> next;
    std::vector<Matrix<S>> h(static_cast<std::size_t>(layers + 1)), z(h.size()), d(h.size());
    std::vector<Matrix<S>> gradients(static_cast<std::size_t>(layers));
    Matrix<S> delta, back;
    for (int r = 0; r < repeats; ++r) {
        auto start = Clock::now();
        loss_and_gradient_into(network, inputs, targets, lambda, evaluation);
        gradient_step_into(network, evaluation, setting, next);
        samples["step"].push_back(seconds_since(start));

        std::map<std::string, double> t;
        h[0] = inputs;
        for (Index l = 1; l <= layers; ++l) {
            const auto i = static_cast<std::size_t>(l);
            start = Clock::now();
            multiply_into(network.weight(l), h[i - 1], z[i]);
            t["forward_products"] += seconds_since(start);
            start = Clock::now();
            if (spec.is_nonlinear(l))
                spec.activation.evaluate(z[i], &h[i], &d[i]);
            else
                h[i] = z[i];
            t["activation"] += seconds_since(start);
        }
        t["activation_derivative"] = 0.0;
        start = Clock::now();
        delta = h.back() - targets;
        const S loss = delta.squaredNorm() / 2 + weight_decay_term(network, lambda);
        t["loss"] += seconds_since(start);
        for (Index l = layers; l >= 1; --l) {
            const auto i = static_cast<std::size_t>(l);
            start = Clock::now();
            multiply_into(delta, h[i - 1].transpose(), gradients[i - 1]);
            t["gradient_products"] += seconds_since(start);
            if (l == 1) break;
            start = Clock::now();
            multiply_into(network.weight(l).transpose(), delta, back);
            t["back_products"] += seconds_since(start);
            if (spec.is_nonlinear(l - 1)) {
                start = Clock::now();
                back.array() *= d[i - 1].array();
                t["hadamard"] += seconds_since(start);
            }
            delta.swap(back);
        }
        evaluation.loss = loss;
        evaluation.data_gradient.swap(gradients);
        start = Clock::now();
        gradient_step_into(network, evaluation, setting, next);
        t["update"] += seconds_since(start);
        evaluation.data_gradient.swap(gradients);
        if (next.empty()) throw Error("step_profile: empty update");
        for (const auto& [name, seconds] : t) samples[name].push_back(seconds);
    }
    std::map<std::string, double> medians;
    for (const auto& [name, values] : samples) medians[name] = median(values);
    return medians;
}

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        fmt::print(stderr, "usage: step_profile PROBLEM.json REPEATS THREADS [BITS]\n");
        return 2;
    }
    try {
        const std::filesystem::path description_file(argv[1]);
        const int repeats = std::stoi(argv[2]);
        const int threads = std::stoi(argv[3]);
        const Precision precision = argc == 5 ? Precision::parse(argv[4]) : Precision::ieee_double();
        if (repeats < 1 || threads < 1) throw InvalidArgument("step_profile: REPEATS and THREADS must be >= 1");
        omp_set_num_threads(threads);

        const peer::PeerProblem problem = peer::read_peer_problem(description_file);
        const std::map<std::string, double> medians = with_scalar(precision, [&]<class S>() {
            return profile<S>(problem.network, problem.inputs, problem.targets, problem.setting, repeats);
        });
        const nlohmann::json result = {{"implementation", "ncverify"},
                                       {"problem", problem.description.at("name")},
                                       {"threads", threads},
                                       {"repeats", repeats},
                                       {"precision", precision.to_string()},
                                       {"median_seconds", medians}};
        fmt::print("{}\n", result.dump());
        return 0;
    } catch (const std::exception& error) {
        fmt::print(stderr, "step_profile: {}\n", error.what());
        return 2;
    }
}
