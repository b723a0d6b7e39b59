// ncverify_gd PROBLEM.json STEPS THREADS
//
// The ncverify side of the PyTorch comparison: reads a problem written by
// export_problem (PROBLEM.json and PROBLEM.npz next to it), then runs STEPS full-batch
// gradient-descent steps in double with THREADS OpenMP threads, each step being
//   loss_and_gradient(network, X, Y, lambda)   (C_lambda = 1/2 ||H_L - Y||_F^2 + lambda/2 sum ||W_l||_F^2)
//   gradient_step(network, evaluation, {eta, lambda})   (W_l <- W_l - eta (G_l + lambda W_l))
// and evaluates C_lambda once more at theta_STEPS (not timed).
//
// Prints one JSON object on stdout:
//   {"implementation": "ncverify", "problem", "threads", "steps",
//    "step_seconds": [wall time of each step], "step_cpu_seconds": [process CPU time of each step],
//    "losses": [C_lambda(theta_0) ... C_lambda(theta_STEPS)] (exact: shortest round-trip form)}
// Exit status 0, or 2 with a message on a bad argument or input.
#include <fmt/core.h>
#include <omp.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "peer/peer_problem.hpp"
#include "ncverify/training/gradient_descent.hpp"

using namespace ncverify;

namespace {

double process_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        fmt::print(stderr, "usage: ncverify_gd PROBLEM.json STEPS THREADS\n");
        return 2;
    }
    try {
        const std::filesystem::path description_file(argv[1]);
        const int steps = std::stoi(argv[2]);
        const int threads = std::stoi(argv[3]);
        if (steps < 0 || threads < 1) throw InvalidArgument("ncverify_gd: STEPS must be >= 0 and THREADS >= 1");
        omp_set_num_threads(threads);

        peer::PeerProblem problem = peer::read_peer_problem(description_file);
        Network<double>& network = problem.network;  // trained in place
        const Matrix<double>& inputs = problem.inputs;
        const Matrix<double>& targets = problem.targets;
        const StepSetting& setting = problem.setting;

        nlohmann::json result = {{"implementation", "ncverify"},
                                 {"problem", problem.description.at("name")},
                                 {"threads", threads},
                                 {"steps", steps},
                                 {"blas", blas_kernel_description()}};
        std::vector<double> wall, cpu;
        std::vector<double> losses;  // nlohmann::json writes doubles so that they read back exactly
        // The buffers of gradient_descent's loop: reused from step to step.
        LossAndGradient<double> evaluation{0.0, 0.0, {}, {}, {}, {}};
        std::vector<Matrix<double>> next;
        for (int t = 0; t < steps; ++t) {
            const auto start = std::chrono::steady_clock::now();
            const double cpu_start = process_cpu_seconds();
            loss_and_gradient_into(network, inputs, targets, setting.weight_decay, evaluation);
            gradient_step_into(network, evaluation, setting, next);
            network.weights.swap(next);
            cpu.push_back(process_cpu_seconds() - cpu_start);
            wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            losses.push_back(evaluation.loss);
        }
        losses.push_back(loss_and_gradient(network, inputs, targets, setting.weight_decay).loss);
        result["step_seconds"] = wall;
        result["step_cpu_seconds"] = cpu;
        result["losses"] = losses;
        fmt::print("{}\n", result.dump());
        return 0;
    } catch (const std::exception& error) {
        fmt::print(stderr, "ncverify_gd: {}\n", error.what());
        return 2;
    }
}
