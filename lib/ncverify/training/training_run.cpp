#include "ncverify/training/training_run.hpp"

#include <fmt/core.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/io/network_spec_json.hpp"
#include "ncverify/io/utc_time.hpp"
#include "ncverify/linalg/blas_product.hpp"
#include "ncverify/metrics/layer_report.hpp"
#include "ncverify/scalar/dispatch.hpp"
#include "ncverify/training/trajectory.hpp"

namespace ncverify {
namespace {

void prepare_directory(const TrainingRunOptions& options) {
    namespace fs = std::filesystem;
    if (options.out.empty()) throw InvalidArgument("training run: no output directory given");
    std::error_code error;
    if (fs::exists(options.out / "manifest.json") && !options.overwrite)
        throw InvalidArgument(fmt::format("training run: {} already holds a run (manifest.json); choose another "
                                          "output directory or allow overwriting",
                                          options.out.string()));
    fs::create_directories(options.out / "checkpoints", error);
    if (error)
        throw InputError(fmt::format("cannot create the run directory {}: {}", options.out.string(), error.message()));
}

nlohmann::json phases_json(const std::vector<TrainingPhase>& phases) {
    nlohmann::json list = nlohmann::json::array();
    for (const TrainingPhase& p : phases)
        list.push_back({{"name", p.name},
                        {"steps", p.steps},
                        {"learning_rate", p.learning_rate},
                        {"weight_decay", p.weight_decay},
                        {"drop_at_fraction", p.drop_at_fraction},
                        {"drop_factor", p.drop_factor}});
    return list;
}

/// The run directory a checkpoint belongs to (<run>/checkpoints/<file>), or empty.
std::filesystem::path resumed_run_directory(const std::filesystem::path& checkpoint) {
    const std::filesystem::path directory = checkpoint.parent_path();
    return directory.filename() == "checkpoints" ? directory.parent_path() : std::filesystem::path();
}

/// The entries of reports.json (training_run.hpp) whose step is below `step`.
nlohmann::json reports_before(Index step, const std::filesystem::path& file) {
    nlohmann::json earlier = nlohmann::json::array();
    try {
        const nlohmann::json document = nlohmann::json::parse(read_file(file));
        for (const nlohmann::json& entry : document.at("reports"))
            if (entry.at("step").get<Index>() < step) earlier.push_back(entry);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(fmt::format("{}: not a report trajectory written by ncv train: {}", file.string(), e.what()));
    }
    return earlier;
}

template <class S>
TrainingRunResult train_in(const RunConfig& config, const Dataset& dataset, const TrainingRunOptions& options,
                           nlohmann::json manifest) {
    const TrainingPlan plan = config.plan();
    const Matrix<S> inputs = from_double<S>(dataset.inputs);
    const Matrix<S> targets = from_double<S>(dataset.one_hot());
    TrainingState<S> state;
    if (options.resume) {
        Checkpoint<S> checkpoint = load_checkpoint<S>(*options.resume);
        if (checkpoint.state.network.spec.describe() != config.network.describe())
            throw InputError(fmt::format("{}: the checkpoint's network {} differs from the configuration's {}",
                                         options.resume->string(), checkpoint.state.network.spec.describe(),
                                         config.network.describe()));
        state = std::move(checkpoint.state);
        manifest["resumed_from"] = {{"checkpoint", options.resume->string()}, {"step", state.step}};
    } else {
        state.network = network_from_double<S>(initialize_network(config.network, config.init));
    }
    const nlohmann::json checkpoint_metadata{{"run", config.name}, {"config", config.source_text}};
    const auto checkpoint_path = [&](Index step) {
        return options.out / "checkpoints" / fmt::format("step-{:08}.json", step);
    };

    Trajectory trajectory(config.network);
    const StepObserver<S> record = record_every<S>(config.record_every, trajectory);
    nlohmann::json reports = nlohmann::json::array();  // every report_every steps (and the last)
    const Index first_step = state.step;
    if (options.resume) {
        // The history before the checkpoint: the records of the run it belongs to.
        const std::filesystem::path history = resumed_run_directory(*options.resume);
        const bool has_history = !history.empty() && std::filesystem::exists(history / "trajectory.json");
        if (has_history) {
            trajectory.prepend_records_before(first_step, history / "trajectory.json");
            if (config.report_every > 0 && std::filesystem::exists(history / "reports.json"))
                reports = reports_before(first_step, history / "reports.json");
        }
        manifest["resumed_from"]["history"] = has_history ? nlohmann::json(history.string()) : nlohmann::json();
    }
    // Written at every periodic checkpoint (before it) and at the end, so that a run killed
    // after a checkpoint leaves the history its resumption continues.
    const auto write_history = [&] {
        if (config.report_every > 0)
            write_file_atomically(options.out / "reports.json",
                                  nlohmann::json{{"format", "ncverify.report_trajectory/1"}, {"reports", reports}}.dump(1));
        trajectory.write_csv(options.out / "trajectory.csv");
        trajectory.write_json(options.out / "trajectory.json");
    };
    const auto start = std::chrono::steady_clock::now();
    const TrainingOutcome outcome = gradient_descent<S>(
        state, inputs, targets, plan, config.stopping, [&](const StepView<S>& view) {
            record(view);
            if constexpr (std::is_same_v<S, double>) {
                if (options.observe_double) options.observe_double(view);
            } else {
                if (options.observe_mpfr) options.observe_mpfr(view);
            }
            const Index step = view.state.step;
            if (config.report_every > 0 && (step % config.report_every == 0 || view.is_final))
                reports.push_back({{"step", step},
                                   {"report", measurement_report_to_json(
                                                  measure_network(view.state.network, view.evaluation.pass, dataset.labels))}});
            if (config.checkpoint_every > 0 && step % config.checkpoint_every == 0 && step != first_step &&
                !view.is_final) {
                write_history();
                save_checkpoint(checkpoint_path(step), view.state, config.precision, checkpoint_metadata);
            }
            if (options.on_progress)
                options.on_progress(step, plan.total_steps(), ScalarTraits<S>::to_double(view.evaluation.loss),
                                    ScalarTraits<S>::to_double(view.evaluation.data_loss),
                                    plan.phases()[static_cast<std::size_t>(view.setting.phase)].name);
            return !(options.should_stop && options.should_stop());
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    TrainingRunResult result;
    result.outcome = outcome;
    result.directory = options.out;
    result.final_checkpoint = options.out / "checkpoints" / "final.json";
    result.steps_run = state.step - first_step;
    result.seconds = seconds;
    result.seconds_per_step = seconds / static_cast<double>(std::max<Index>(result.steps_run, 1));
    result.dataset_name = dataset.name;
    save_checkpoint(result.final_checkpoint, state, config.precision, checkpoint_metadata);
    // The per-layer measurements of the final state (metrics/layer_report.hpp).
    write_file_atomically(options.out / "measurements.json",
                          measurement_report_to_json(measure_network(state.network, inputs, dataset.labels)).dump(1));
    write_history();

    manifest["status"] = training_status_name(outcome.status);
    manifest["message"] = outcome.message;
    manifest["final_step"] = state.step;
    manifest["steps_run"] = result.steps_run;
    manifest["finished_at"] = utc_time_now();
    manifest["timings"] = {{"training_seconds", seconds}, {"seconds_per_step", result.seconds_per_step}};
    write_file_atomically(options.out / "manifest.json", manifest.dump(2));
    return result;
}

}  // namespace

TrainingRunResult run_training(RunConfig config, const TrainingRunOptions& options) {
    const Dataset dataset = load_dataset(config.data);
    bind_config_to_data(config, dataset);
    prepare_directory(options);
    write_file_atomically(options.out / "config.toml", config.source_text);
    nlohmann::json manifest{{"format", "ncverify-run"},
                            {"version", 1},
                            {"ncverify_version", NCVERIFY_VERSION},
                            {"name", config.name},
                            {"seed", config.seed},
                            {"init_seed", config.init.seed},
                            {"precision", config.precision.to_string()},
                            {"precision_description", config.precision.describe()},
                            // the double products' kernel: a double run's last bits depend on it
                            {"blas_kernel", blas_kernel_description()},
                            {"data", {{"name", dataset.name}, {"N", dataset.num_samples()}, {"K", dataset.num_classes},
                                      {"d", dataset.input_dim()}}},
                            {"network", network_spec_to_json(config.network)},
                            {"network_description", config.network.describe()},
                            // the phases in the sum scale of the loss (bound above), whatever loss_scale
                            {"loss_scale", config.loss_scale == LossScale::mean ? "mean" : "sum"},
                            {"phases", phases_json(config.phases)},
                            {"record_every", config.record_every},
                            {"checkpoint_every", config.checkpoint_every},
                            {"report_every", config.report_every},
                            {"started_at", utc_time_now()},
                            {"status", "running"}};
    write_file_atomically(options.out / "manifest.json", manifest.dump(2));
    return with_scalar(config.precision, [&]<class S>() { return train_in<S>(config, dataset, options, manifest); });
}

}  // namespace ncverify
