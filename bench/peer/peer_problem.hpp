#pragma once
// The problem of the PyTorch comparison as the ncverify side reads it (ncverify_gd,
// step_profile): PROBLEM.json, written by export_problem (the architecture in
// io/network_spec_json.hpp's format, K, eta, lambda, provenance), and PROBLEM.npz next
// to it (the initial weights W1 .. WL, the inputs X (d x N) and the one-hot targets Y).
// Throws InputError / InvalidArgument naming the file and the field.

#include <filesystem>
#include <nlohmann/json.hpp>

#include <fmt/core.h>

#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/network_spec_json.hpp"
#include "ncverify/io/npz_archive.hpp"
#include "ncverify/training/gradient_descent.hpp"

namespace ncverify::peer {

struct PeerProblem {
    nlohmann::json description;  // PROBLEM.json as written
    Network<double> network;     // at its initial weights
    Matrix<double> inputs, targets;
    StepSetting setting;  // eta and lambda of every step
};

inline PeerProblem read_peer_problem(const std::filesystem::path& description_file) {
    PeerProblem problem;
    problem.description = nlohmann::json::parse(read_file(description_file));
    std::filesystem::path archive_file = description_file;
    archive_file.replace_extension(".npz");
    const NpzArchive archive = read_npz_archive(archive_file);
    problem.network.spec = network_spec_from_json(problem.description, description_file.string());
    problem.network.spec.validate(problem.description.at("num_classes").get<Index>());
    for (Index l = 1; l <= problem.network.num_layers(); ++l)
        problem.network.weights.push_back(npy_to_matrix(archive.at(fmt::format("W{}", l))));
    problem.network.validate_weights();
    problem.inputs = npy_to_matrix(archive.at("X"));
    problem.targets = npy_to_matrix(archive.at("Y"));
    problem.setting = StepSetting{0, problem.description.at("learning_rate").get<double>(),
                                  problem.description.at("weight_decay").get<double>()};
    return problem;
}

}  // namespace ncverify::peer
