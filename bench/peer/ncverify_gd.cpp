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
//    "losses": [C_lambda(theta_0) ... C_lambda(theta_STEPS)] (exact: shortest round-trip form),
//    "eigen_threads"}
// Exit status 0, or 2 with a message on a bad argument or input.
#include <fmt/core.h>
#include <omp.h>

#include <Eigen/Core>
#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/npz_archive.hpp"
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

        const nlohmann::json description = nlohmann::json::parse(read_file(description_file));
        std::filesystem::path archive_file = description_file;
        archive_file.replace_extension(".npz");
        const NpzArchive archive = read_npz_archive(archive_file);

        Network<double> network;
        network.spec.input_dim = description.at("input_dim").get<Index>();
        network.spec.widths = description.at("widths").get<std::vector<Index>>();
        network.spec.nonlinear_layers = description.at("nonlinear_layers").get<Index>();
        network.spec.linear_layers = description.at("linear_layers").get<Index>();
        const nlohmann::json& activation = description.at("activation");
        network.spec.activation = Activation::from_name(activation.at("name").get<std::string>(),
                                                        activation.at("slope").get<double>(),
                                                        activation.at("beta").get<double>());
        network.spec.validate(description.at("num_classes").get<Index>());
        for (Index l = 1; l <= network.num_layers(); ++l)
            network.weights.push_back(npy_to_matrix(archive.at(fmt::format("W{}", l))));
        network.validate_weights();
        const Matrix<double> inputs = npy_to_matrix(archive.at("X"));
        const Matrix<double> targets = npy_to_matrix(archive.at("Y"));
        const StepSetting setting{0, description.at("learning_rate").get<double>(),
                                  description.at("weight_decay").get<double>()};

        nlohmann::json result = {{"implementation", "ncverify"},
                                 {"problem", description.at("name")},
                                 {"threads", threads},
                                 {"eigen_threads", Eigen::nbThreads()},
                                 {"steps", steps}};
        std::vector<double> wall, cpu;
        std::vector<double> losses;  // nlohmann::json writes doubles so that they read back exactly
        for (int t = 0; t < steps; ++t) {
            const auto start = std::chrono::steady_clock::now();
            const double cpu_start = process_cpu_seconds();
            const LossAndGradient<double> evaluation = loss_and_gradient(network, inputs, targets, setting.weight_decay);
            network.weights = gradient_step(network, evaluation, setting);
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
