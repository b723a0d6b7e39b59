#include "check_command.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>

#include "checks_file.hpp"
#include "import_model.hpp"
#include "ncverify/checkers/registry.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/scalar/dispatch.hpp"

namespace ncverify::app {
namespace {

struct CheckCommandOptions {
    std::string target;
    ImportOptions import;
    std::vector<std::string> checkers;
    std::optional<double> epsilon1, epsilon2, radius, weight_decay, learning_rate;
    std::string out;
    bool json = false;
    bool certified = false;
    std::string precision_ladder = "53,128,256,512,1024";
};

}  // namespace

CheckerOptions with_trained_lambda_eta(const RunConfig& config, Index step, const CheckerOptions& options) {
    const TrainingPlan plan = config.plan();
    if (plan.total_steps() == 0) return options;
    const StepSetting setting = plan.at(std::clamp<Index>(step - 1, 0, plan.total_steps() - 1));
    CheckerOptions trained = options;
    if (!trained.weight_decay) trained.weight_decay = setting.weight_decay;
    if (!trained.learning_rate) trained.learning_rate = setting.learning_rate;
    return trained;
}

std::filesystem::path resolve_checkpoint(const std::filesystem::path& path) {
    if (std::filesystem::is_directory(path)) {
        const auto final_checkpoint = path / "checkpoints" / "final.json";
        if (!std::filesystem::exists(final_checkpoint))
            throw InputError(path.string() + " is a directory without checkpoints/final.json (not a run directory)");
        return final_checkpoint;
    }
    return path;
}

CheckpointRun reload_checkpoint_run(const nlohmann::json& metadata, const std::filesystem::path& checkpoint) {
    if (!metadata.contains("config") || !metadata["config"].is_string())
        throw InputError(checkpoint.string() + ": the checkpoint records no run configuration, so its data cannot be reloaded");
    RunConfig config = parse_run_config(metadata["config"].get<std::string>(), checkpoint.string() + " (config)");
    Dataset dataset = load_dataset(config.data);
    bind_config_to_data(config, dataset);
    return {std::move(config), std::move(dataset)};
}

CheckpointChecks check_checkpoint(const std::filesystem::path& run_or_checkpoint, const CheckerOptions& options,
                                  const std::vector<std::string>& selected,
                                  const std::optional<CertificationOptions>& certification,
                                  const CheckerProgress& progress) {
    const std::filesystem::path path = resolve_checkpoint(run_or_checkpoint);
    const Precision precision = checkpoint_precision(path);
    return with_scalar(precision, [&]<class S>() {
        const Checkpoint<S> checkpoint = load_checkpoint<S>(path);
        const CheckpointRun run = reload_checkpoint_run(checkpoint.metadata, path);
        const Dataset& dataset = run.dataset;
        const CheckState<S> state = check_state_from_network(checkpoint.state.network, from_double<S>(dataset.inputs),
                                                             dataset.labels, dataset.num_classes, precision);
        const CheckerOptions network_options = with_trained_lambda_eta(run.config, checkpoint.state.step, options);
        CheckpointChecks checks{path, {}, options, network_options};
        checks.verdicts = run_state_and_network_checkers(
            state,
            network_check_state(checkpoint.state.network, from_double<S>(dataset.inputs), dataset.labels,
                                dataset.num_classes, precision),
            options, network_options, selected, progress);
        if (certification)
            certify_verdicts(checks.verdicts,
                             certified_source_from_network(checkpoint.state.network, from_double<S>(dataset.inputs),
                                                           dataset.labels, dataset.num_classes),
                             options, *certification);
        return checks;
    });
}

template <class S>
std::vector<Verdict> run_state_and_network_checkers(const CheckState<S>& state, const NetworkCheckState<S>& network,
                                                    const CheckerOptions& options, const CheckerOptions& network_options,
                                                    const std::vector<std::string>& selected,
                                                    const CheckerProgress& progress) {
    std::vector<std::string> ids = selected;
    if (ids.empty())
        for (const CheckerEntry& e : checker_registry())
            if (e.kind != CheckerKind::trajectory) ids.push_back(e.id);
    std::vector<Verdict> verdicts;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (progress) progress(ids[i], i, ids.size());
        const auto entry = std::find_if(checker_registry().begin(), checker_registry().end(),
                                        [&](const CheckerEntry& e) { return e.id == ids[i]; });
        // run_checkers names an unknown id or one of another kind
        for (Verdict& v : entry != checker_registry().end() && entry->kind == CheckerKind::network
                              ? run_network_checkers(network, network_options, {ids[i]})
                              : run_checkers(state, options, {ids[i]}))
            verdicts.push_back(std::move(v));
    }
    return verdicts;
}

template std::vector<Verdict> run_state_and_network_checkers(const CheckState<double>&, const NetworkCheckState<double>&,
                                                             const CheckerOptions&, const CheckerOptions&,
                                                             const std::vector<std::string>&, const CheckerProgress&);
template std::vector<Verdict> run_state_and_network_checkers(const CheckState<Mpfr>&, const NetworkCheckState<Mpfr>&,
                                                             const CheckerOptions&, const CheckerOptions&,
                                                             const std::vector<std::string>&, const CheckerProgress&);

CLI::Option* add_import_options(CLI::App& command, ImportOptions& options) {
    CLI::Option* import_option =
        command
            .add_option("--import", options.path,
                        "a network trained elsewhere: an import manifest (.json), or an .npz archive or directory of "
                        ".npy files described by the flags below (docs/data.md, \"NumPy import\")")
            ->check(CLI::ExistingPath);
    ImportFlags& flags = options.flags;
    const std::string group = "Import without a manifest (with --import ARCHIVE.npz or DIRECTORY)";
    command.add_option("--layout", flags.layout, "whole (W1..WL, X, y) or head (H, W_(L1+1)..WL, y)")
        ->group(group)
        ->needs(import_option);
    command.add_option("--nonlinear-layers", flags.nonlinear_layers, "L1, the number of nonlinear layers")
        ->group(group)
        ->needs(import_option);
    command.add_option("--activation", flags.activation, "smooth_leaky_relu, leaky_relu, relu, tanh or identity")
        ->group(group)
        ->needs(import_option);
    command.add_option("--slope", flags.slope, "the activation's slope (gamma of smooth_leaky_relu; leaky_relu)")
        ->group(group)
        ->needs(import_option);
    command.add_option("--beta", flags.beta, "smooth_leaky_relu's sharpness (default 1)")->group(group)->needs(import_option);
    command.add_option("--classes", flags.num_classes, "K (default: the rows of W_L)")->group(group)->needs(import_option);
    command.add_flag("--samples-as-rows", flags.samples_as_rows, "X (or H) is stored N x d, one row per sample")
        ->group(group)
        ->needs(import_option);
    command
        .add_flag("--allow-unused-arrays", options.allow_unused_arrays,
                  "accept arrays in the import that the layout does not read (default: an error naming them)")
        ->needs(import_option);
    return import_option;
}

ImportSpec ImportOptions::spec() const {
    ImportSpec result = resolve_import(path, flags);
    result.allow_unused_arrays |= allow_unused_arrays;
    return result;
}

int verdicts_exit_status(const std::vector<Verdict>& verdicts) {
    const auto any = [&](auto predicate) { return std::any_of(verdicts.begin(), verdicts.end(), predicate); };
    if (any([](const Verdict& v) {
            return v.status == VerdictStatus::violated || (v.certificate && v.certificate->status == CertifiedStatus::refuted);
        }))
        return 1;
    if (any([](const Verdict& v) { return v.status == VerdictStatus::proof_step_failed; })) return 4;
    return 0;
}

void add_check_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CheckCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "check", "Run the checkers on a trained network (run directory or checkpoint, or NumPy files with --import)");
    CLI::Option* target =
        command->add_option("target", options->target, "run directory or checkpoint file")->check(CLI::ExistingPath);
    CLI::Option* import_option = add_import_options(*command, options->import);
    import_option->excludes(target);
    command->add_option("--checker", options->checkers, "only these checkers (repeatable; see the registry)");
    command->add_option("--eps1", options->epsilon1, "the theorem's eps1 (default: measured)");
    command->add_option("--eps2", options->epsilon2, "the theorem's eps2 (default: measured)");
    command->add_option("--radius", options->radius, "the theorem's r (default: measured)");
    command->add_option("--weight-decay", options->weight_decay,
                        "lambda for T6 (default: that of the step that produced the checkpoint, or the import "
                        "manifest's)");
    command->add_option("--learning-rate", options->learning_rate,
                        "eta for T6's stability hypothesis (default: that of the step that produced the checkpoint, "
                        "or the import manifest's)");
    command->add_option("--out", options->out,
                        "checks file to merge the verdicts into (default: <run directory>/checks.json; none with "
                        "--import)");
    command->add_flag("--json", options->json, "print the JSON instead of the table");
    command->add_flag("--certified", options->certified,
                      "also prove or refute each verdict with rigorous enclosures (proved / refuted / inconclusive)");
    command->add_option("--precision-ladder", options->precision_ladder,
                        "certified mode: increasing precisions in bits to try until one decides (53 = double "
                        "approximations)")
        ->capture_default_str();
    command->callback([options, &exit_code] {
        CheckerOptions checker_options;
        checker_options.epsilon1 = options->epsilon1;
        checker_options.epsilon2 = options->epsilon2;
        checker_options.radius = options->radius;
        checker_options.weight_decay = options->weight_decay;
        checker_options.learning_rate = options->learning_rate;
        std::optional<CertificationOptions> certification;
        if (options->certified) certification = CertificationOptions{parse_precision_ladder(options->precision_ladder)};
        std::vector<Verdict> verdicts;
        CheckContext context{"ncv check", {}, checker_options, checker_options, certification};
        std::filesystem::path out = options->out;
        if (!options->import.path.empty()) {
            const ImportedModel model = load_imported_model(options->import.spec());
            verdicts = check_imported_model(model, checker_options, options->checkers, certification);
            context.checkpoint = options->import.path;
            context.network_options = imported_network_options(model, checker_options);
            if (!options->json) fmt::print("imported {}: {}\n", model.origin, model.describe());
        } else {
            if (options->target.empty())
                throw InvalidArgument(
                    "ncv check: give a run directory or checkpoint, or --import MODEL (a manifest .json, an .npz "
                    "archive or a directory of .npy files); see ncv check --help");
            CheckpointChecks checks = check_checkpoint(options->target, checker_options, options->checkers, certification);
            verdicts = std::move(checks.verdicts);
            context.checkpoint = checks.checkpoint;
            context.network_options = checks.network_options;
            if (out.empty() && std::filesystem::is_directory(options->target))
                out = std::filesystem::path(options->target) / "checks.json";
        }
        if (!out.empty()) merge_verdicts(out, verdicts, context);
        if (options->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const Verdict& v : verdicts) list.push_back(v.to_json());
            fmt::print("{}\n", list.dump(2));
        } else {
            fmt::print("{}", verdict_table(verdicts));
            if (!out.empty()) fmt::print("verdicts written to {}\n", out.string());
        }
        exit_code = verdicts_exit_status(verdicts);
    });
}

}  // namespace ncverify::app
