#include "checkpoint_model.hpp"

#include <fmt/core.h>

#include "check_command.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify::app {

ImportedModel load_checkpoint_model(const std::filesystem::path& run_or_checkpoint, bool round_to_double) {
    const std::filesystem::path path = resolve_checkpoint(run_or_checkpoint);
    const Precision precision = checkpoint_precision(path);
    if (!precision.is_double() && !round_to_double)
        throw InvalidArgument(fmt::format(
            "{}: the checkpoint is saved in {}; the measurements are computed in double, which would round its "
            "weights to the nearest double. Pass --round-to-double to measure the rounded network anyway",
            path.string(), precision.describe()));
    return with_scalar(precision, [&]<class S>() {
        const Checkpoint<S> checkpoint = load_checkpoint<S>(path);
        CheckpointRun run = reload_checkpoint_run(checkpoint.metadata, path);
        const Network<S>& trained = checkpoint.state.network;
        Network<double> network{trained.spec, {}};
        for (const Matrix<S>& w : trained.weights) network.weights.push_back(to_double(w));
        ImportedModel model;
        model.layout = ImportLayout::whole;
        model.origin = path.string();
        model.nonlinear_layers = trained.spec.nonlinear_layers;
        model.network = std::move(network);
        model.inputs = std::move(run.dataset.inputs);
        model.labels = std::move(run.dataset.labels);
        model.num_classes = run.dataset.num_classes;
        model.notes.push_back(fmt::format("checkpoint {} (step {}, {}{}) of the run's training data {}", path.string(),
                                          checkpoint.state.step, precision.describe(),
                                          precision.is_double() ? "" : ", weights rounded to the nearest double",
                                          run.dataset.name));
        const CheckerOptions trained_with = with_trained_lambda_eta(run.config, checkpoint.state.step, {});
        model.weight_decay = trained_with.weight_decay;
        model.learning_rate = trained_with.learning_rate;
        return model;
    });
}

}  // namespace ncverify::app
