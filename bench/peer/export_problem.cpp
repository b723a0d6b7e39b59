// export_problem PROBLEM OUT_DIR
//
// Writes one problem of bench_problems.hpp (reference, large, medium or small) so that
// another implementation trains exactly the same network from exactly the same numbers:
//   OUT_DIR/PROBLEM.npz   float64 arrays X (d x N), Y (K x N, one-hot), W1 ... WL
//                         (W_l is n_l x n_{l-1}, the initial weights), and int64 labels (N,);
//                         C order, written by io/npz_writer.hpp (np.load reads it)
//   OUT_DIR/PROBLEM.json  the architecture, activation, step setting and provenance:
//     {"name", "data", "samples", "input_dim", "num_classes", "widths", "nonlinear_layers",
//      "linear_layers", "activation": {"name", "slope", "beta", "formula"},
//      "learning_rate", "weight_decay", "init": {"scheme", "seed"}, "parameters"}
// Every value is written exactly (8 bytes per double). Exit status 0, or 2 with a
// message on a bad argument or an I/O error.
#include <fmt/core.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench_problems.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/npz_writer.hpp"

using namespace ncverify;

int main(int argc, char** argv) {
    if (argc != 3) {
        fmt::print(stderr, "usage: export_problem reference|large|medium|small OUT_DIR\n");
        return 2;
    }
    try {
        const bench::BenchProblem problem = bench::problem_by_name(argv[1]);
        const std::filesystem::path out(argv[2]);
        std::filesystem::create_directories(out);
        const Network<double> network = problem.initial_network();

        std::vector<NpyOutputArray> arrays;
        arrays.push_back(npy_output_from_matrix("X", problem.data.inputs));
        arrays.push_back(npy_output_from_matrix("Y", problem.data.one_hot()));
        arrays.push_back(npy_output_from_labels("labels", problem.data.labels));
        for (Index l = 1; l <= network.num_layers(); ++l)
            arrays.push_back(npy_output_from_matrix(fmt::format("W{}", l), network.weight(l)));
        write_npz_archive(out / fmt::format("{}.npz", problem.name), arrays);

        const NetworkSpec& spec = problem.spec;
        nlohmann::json description = {
            {"name", problem.name},
            {"data", problem.data.name},
            {"samples", problem.data.num_samples()},
            {"input_dim", spec.input_dim},
            {"num_classes", problem.data.num_classes},
            {"widths", spec.widths},
            {"nonlinear_layers", spec.nonlinear_layers},
            {"linear_layers", spec.linear_layers},
            {"activation",
             {{"name", spec.activation.name()},
              {"slope", spec.activation.slope()},
              {"beta", spec.activation.beta()},
              {"formula", spec.activation.formula()}}},
            {"learning_rate", bench::reference_learning_rate},
            {"weight_decay", bench::reference_weight_decay},
            {"init", {{"scheme", "lecun"}, {"seed", problem.init_seed}}},
            {"parameters", spec.parameter_count()},
        };
        write_file_atomically(out / fmt::format("{}.json", problem.name), description.dump(2) + "\n");
        fmt::print("{}: {} ({} samples, {} weights) -> {}\n", problem.name, spec.describe(), problem.data.num_samples(),
                   spec.parameter_count(), out.string());
        return 0;
    } catch (const std::exception& error) {
        fmt::print(stderr, "export_problem: {}\n", error.what());
        return 2;
    }
}
