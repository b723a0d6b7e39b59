// step_profile PROBLEM.json REPEATS THREADS [BITS]
//
// Timing split of one ncverify gradient-descent step, in double or, with BITS, in MPFR
// at BITS bits (a gprof-like profile:
// valgrind 3.19 cannot decode the AVX-512 code of the -march=native build, and perf is
// not available). The components are the operations of loss_and_gradient and
// gradient_step (lib/ncverify/training/), executed and timed one by one with the same
// library calls, at the initial weights:
//   forward_products      Z_l = multiply(W_l, H_{l-1})
//   activation            H_l = sigma(Z_l)            (Activation::apply)
//   loss                  H_L - Y, 1/2 ||.||_F^2, lambda/2 sum ||W_l||_F^2
//   gradient_products     G_l = multiply(delta_l, H_{l-1}^T)
//   back_products         multiply(W_l^T, delta_l)
//   activation_derivative sigma'(Z_{l-1})             (Activation::apply_derivative)
//   hadamard              back .* sigma'(Z_{l-1})
//   update                gradient_step
// and `step`, the real step (loss_and_gradient + gradient_step) timed as a whole, so that
// step - sum(components) is what the split does not see (copies of the forward pass,
// allocation). Prints one JSON object: {"implementation": "ncverify", "problem",
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
    for (int r = 0; r < repeats; ++r) {
        auto start = Clock::now();
        {
            const LossAndGradient<S> evaluation = loss_and_gradient(network, inputs, targets, lambda);
            std::vector<Matrix<S>> next = gradient_step(network, evaluation, setting);
            if (next.empty()) throw Error("step_profile: empty update");
        }
        samples["step"].push_back(seconds_since(start));

        std::map<std::string, double> t;
        std::vector<Matrix<S>> h{inputs}, z(1);
        for (Index l = 1; l <= layers; ++l) {
            start = Clock::now();
            z.push_back(multiply(network.weight(l), h.back()));
            t["forward_products"] += seconds_since(start);
            start = Clock::now();
            h.push_back(spec.is_nonlinear(l) ? spec.activation.apply(z.back()) : z.back());
            t["activation"] += seconds_since(start);
        }
        start = Clock::now();
        Matrix<S> delta = h.back() - targets;
        const S loss = delta.squaredNorm() / 2 + weight_decay_term(network, lambda);
        t["loss"] += seconds_since(start);
        std::vector<Matrix<S>> gradients(static_cast<std::size_t>(layers));
        for (Index l = layers; l >= 1; --l) {
            start = Clock::now();
            gradients[static_cast<std::size_t>(l - 1)] = multiply(delta, h[static_cast<std::size_t>(l - 1)].transpose());
            t["gradient_products"] += seconds_since(start);
            if (l == 1) break;
            start = Clock::now();
            Matrix<S> back = multiply(network.weight(l).transpose(), delta);
            t["back_products"] += seconds_since(start);
            if (spec.is_nonlinear(l - 1)) {
                start = Clock::now();
                const Matrix<S> derivative = spec.activation.apply_derivative(z[static_cast<std::size_t>(l - 1)]);
                t["activation_derivative"] += seconds_since(start);
                start = Clock::now();
                back.array() *= derivative.array();
                t["hadamard"] += seconds_since(start);
            }
            delta = std::move(back);
        }
        LossAndGradient<S> evaluation{S(0), loss, std::move(gradients), {}};
        start = Clock::now();
        std::vector<Matrix<S>> next = gradient_step(network, evaluation, setting);
        t["update"] += seconds_since(start);
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
