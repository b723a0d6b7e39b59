#pragma once
// Checkpoints: a TrainingState saved exactly, so that save -> load round-trips bit for
// bit at any precision and resuming reproduces the uninterrupted run.
//
// Format (JSON):
//   {"format": "ncverify-checkpoint", "version": 1,
//    "precision": "256" | "double", "effective_bits": 257, "step": t,
//    "network": <network_spec_json>,
//    "weights": [{"rows": m, "cols": n, "values": [hex floats, column-major]}, ...],
//    "metadata": {...}}                       // free-form, e.g. the run configuration
// Each value is the exact hexadecimal form of ScalarTraits<S>::to_exact_string.
// Written atomically (io/atomic_file.hpp): a crash leaves the previous checkpoint.
//
// Loading checks the format, version, shapes and finiteness, and that the stored
// precision is the working one (S = double for "double", S = Mpfr at the same
// effective bits otherwise), throwing InputError naming the file and the problem.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

template <class S>
struct Checkpoint {
    TrainingState<S> state;
    Precision precision = Precision::ieee_double();
    nlohmann::json metadata;
};

/// The precision a checkpoint was saved at (to choose S before loading it).
Precision checkpoint_precision(const std::filesystem::path& path);

template <class S>
void save_checkpoint(const std::filesystem::path& path, const TrainingState<S>& state, const Precision& precision,
                     const nlohmann::json& metadata = nlohmann::json::object());

template <class S>
Checkpoint<S> load_checkpoint(const std::filesystem::path& path);

extern template void save_checkpoint(const std::filesystem::path&, const TrainingState<double>&, const Precision&,
                                     const nlohmann::json&);
extern template void save_checkpoint(const std::filesystem::path&, const TrainingState<Mpfr>&, const Precision&,
                                     const nlohmann::json&);
extern template Checkpoint<double> load_checkpoint(const std::filesystem::path&);
extern template Checkpoint<Mpfr> load_checkpoint(const std::filesystem::path&);

}  // namespace ncverify
