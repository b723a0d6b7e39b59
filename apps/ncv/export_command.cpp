#include "export_command.hpp"

#include <fmt/core.h>

#include <memory>

#include "check_command.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/io/npz_writer.hpp"
#include "ncverify/io/run_config.hpp"
#include "ncverify/network/forward_pass.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify::app {

namespace {

struct ExportCommandOptions {
    std::string target;
    std::string out;
    std::string layout = "whole";
    bool round_to_double = false;
};

}  // namespace

std::filesystem::path export_checkpoint(const std::filesystem::path& run_or_checkpoint,
                                        const std::filesystem::path& archive, ImportLayout layout,
                                        bool round_to_double) {
    if (archive.extension() == ".json")
        throw InvalidArgument(fmt::format("ncv export: --out {} names the archive (model.npz); the manifest is written "
                                          "next to it with the extension .json",
                                          archive.string()));
    std::filesystem::path manifest = archive;
    manifest.replace_extension(".json");
    const std::filesystem::path checkpoint_path = resolve_checkpoint(run_or_checkpoint);
    const Precision precision = checkpoint_precision(checkpoint_path);
    if (!precision.is_double() && !round_to_double)
        throw InvalidArgument(fmt::format(
            "{}: the checkpoint is saved in {}; float64 arrays would round its weights to the nearest double, so the "
            "export would not be the trained network. Pass --round-to-double to export the rounded network anyway "
            "(its verdicts may differ from `ncv check` on the checkpoint)",
            checkpoint_path.string(), precision.describe()));

    std::vector<NpyOutputArray> arrays;
    ImportSpec spec;
    spec.layout = layout;
    spec.archive = archive.filename().string();
    with_scalar(precision, [&]<class S>() {
        const Checkpoint<S> checkpoint = load_checkpoint<S>(checkpoint_path);
        const CheckpointRun run = reload_checkpoint_run(checkpoint.metadata, checkpoint_path);
        const Dataset& dataset = run.dataset;
        const Network<S>& network = checkpoint.state.network;
        const Index first = layout == ImportLayout::whole ? 1 : network.spec.nonlinear_layers + 1;
        for (Index l = first; l <= network.num_layers(); ++l) {
            spec.weights.push_back(fmt::format("W{}", l));
            arrays.push_back(npy_output_from_matrix(spec.weights.back(), to_double(network.weight(l))));
        }
        if (layout == ImportLayout::whole) {
            spec.inputs = "X";
            arrays.push_back(npy_output_from_matrix("X", dataset.inputs));
        } else {
            // H_{L1} exactly as check_state_from_network computes it.
            const ForwardPass<S> pass = forward(network, from_double<S>(dataset.inputs));
            spec.features = "H";
            arrays.push_back(npy_output_from_matrix("H", to_double(pass.H(network.spec.nonlinear_layers))));
        }
        spec.labels = "y";
        arrays.push_back(npy_output_from_labels("y", dataset.labels));
        spec.nonlinear_layers = network.spec.nonlinear_layers;
        spec.activation = network.spec.activation;
        spec.num_classes = dataset.num_classes;
        // lambda and eta the checkpoint was trained with, for the network checkers (T6) of the import.
        const CheckerOptions trained = with_trained_lambda_eta(run.config, checkpoint.state.step, {});
        spec.weight_decay = trained.weight_decay;
        spec.learning_rate = trained.learning_rate;
        spec.description = fmt::format("exported by ncv {} from {} (step {}, {}{}); data: {}", NCVERIFY_VERSION,
                                       checkpoint_path.string(), checkpoint.state.step, precision.describe(),
                                       precision.is_double() ? "" : ", rounded to double", dataset.name);
    });
    write_npz_archive(archive, arrays);
    write_file_atomically(manifest, import_manifest_to_json(spec).dump(2) + "\n");
    return manifest;
}

void add_export_command(CLI::App& app) {
    auto options = std::make_shared<ExportCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "export", "Write a trained network as NumPy arrays (.npz) with an import manifest, for ncv check --import");
    command->add_option("target", options->target, "run directory or checkpoint file")
        ->required()
        ->check(CLI::ExistingPath);
    command->add_option("--out", options->out, "the .npz archive to write; the manifest goes next to it (.json)")
        ->required();
    command->add_option("--layout", options->layout, "whole (W1..WL, X, y) or head (W_(L1+1)..WL, H, y)")
        ->capture_default_str();
    command->add_flag("--round-to-double", options->round_to_double,
                      "export an MPFR checkpoint with its weights rounded to the nearest double");
    command->callback([options] {
        const ImportLayout layout = import_layout_from_name(options->layout, "ncv export --layout");
        const std::filesystem::path manifest =
            export_checkpoint(options->target, options->out, layout, options->round_to_double);
        fmt::print("exported {} ({} layout) to {} and {}\n", options->target, import_layout_name(layout), options->out,
                   manifest.string());
    });
}

}  // namespace ncverify::app
