#include "reproduce_command.hpp"

#include <fmt/core.h>

#include <chrono>
#include <memory>

#include "experiments.hpp"
#include "html.hpp"
#include "ncverify/checkers/registry.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "train_and_check.hpp"

namespace ncverify::app {
namespace fs = std::filesystem;

const std::vector<Experiment>& experiment_registry() {
    static const std::vector<Experiment> registry{
        {"balancedness", "a. balancedness of linear vs nonlinear layers during training",
         "L1 = 3, L2 = 3; ||D_l||_op along training against (1 - eta lambda)^{2t}; claims a1, a2", &run_balancedness_experiment},
        {"head-depth", "b. NC1 and NC2 as the linear head deepens",
         "L1 = 3, L2 = 1..5; NC1, NC2 at H_{L-1} and H_{L1}; claims b1, b2", &run_head_depth_experiment},
        {"per-layer", "c. per-layer table of a 5 nonlinear + 4 linear MLP",
         "NC1, NC2, balancedness, negativity per layer; class-mean cosine heat maps; claims c1, c2", &run_per_layer_experiment},
        {"nonlinear-depth", "d. nonlinear depth with weight decay c/L",
         "L1 = 4..12 (quick 2..6), L2 = 2; negativity and balancedness; claims d1, d2", &run_nonlinear_depth_experiment},
        {"final-checks", "e. checker verdicts at the end of training, approximate and certified",
         "L1 = 2, L2 = 3; every checker, certified T1 - T3; claims e1, e2", &run_final_checks_experiment},
        {"step-size", "f. conditioning and NC2 against the step size (T6, edge of stability)",
         "L1 = 2, L2 = 3, eta = 1/4 .. 2 times the base step; sharpness vs 2/eta, kappa(A), NC2; claims f1, f2",
         &run_step_size_experiment},
    };
    return registry;
}

namespace {

struct ReproduceOptions {
    std::string name;
    bool quick = false;
    int seeds = 0;
    std::string out;
    std::string config_dir = "configs/experiments";
    int threads = 0;
    bool quiet = false;
};

const Experiment& find_experiment(const std::string& name) {
    std::string valid;
    for (const Experiment& e : experiment_registry()) {
        if (e.name == name) return e;
        valid += fmt::format("{}{}", valid.empty() ? "" : ", ", e.name);
    }
    throw InvalidArgument(fmt::format("unknown experiment \"{}\"; valid: {}, all", name, valid));
}

fs::path write_index(const fs::path& out, const std::vector<std::pair<const Experiment*, ExperimentResult>>& results, bool quick) {
    std::string rows;
    for (const auto& [experiment, result] : results) {
        // each claim: its id, its sentence, its outcome and the evidence that decided it
        std::string claims = "<ul class=\"claims\">";
        for (const ClaimOutcome& c : result.claims)
            claims += fmt::format("<li><b>{}</b> {} {}<br><span class=\"name\">{}</span></li>", html_escape(c.id),
                                  math_html(c.claim), status_badge(c.reproduced ? "reproduced" : "not-reproduced"),
                                  math_html(c.evidence));
        claims += "</ul>";
        rows += fmt::format("<tr><td><a href=\"{0}/report.html\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3:.0f} s</td></tr>\n",
                            html_escape(experiment->name), math_html(experiment->title), claims, result.seconds);
    }
    const fs::path index = out / "index.html";
    write_file_atomically(index, fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ncverify "
                                             "reproductions</title><style>{}</style></head><body><h1>ncverify: reproduction of "
                                             "the paper's experiments{}</h1><table><tr><th>experiment</th><th>what</th><th>claims"
                                             "</th><th>time</th></tr>\n{}</table><footer>ncverify {}</footer></body></html>\n",
                                             html_stylesheet(), quick ? " (quick variants)" : "", rows, NCVERIFY_VERSION));
    return index;
}

int run_reproduce(const ReproduceOptions& options) {
    set_thread_count(options.threads);
    std::vector<const Experiment*> selected;
    if (options.name == "all")
        for (const Experiment& e : experiment_registry()) selected.push_back(&e);
    else
        selected.push_back(&find_experiment(options.name));
    const fs::path root = options.out.empty() ? fs::path(options.quick ? "reproductions-quick" : "reproductions") : fs::path(options.out);
    if (!fs::is_directory(options.config_dir))
        throw InputError(fmt::format("{}: no such directory (the experiments' base configurations; run from the repository "
                                     "root or give --config-dir)",
                                     options.config_dir));
    std::vector<std::pair<const Experiment*, ExperimentResult>> results;
    bool all_reproduced = true;
    for (const Experiment* experiment : selected) {
        ExperimentOptions run;
        run.quick = options.quick;
        run.seeds = options.seeds > 0 ? options.seeds : (options.quick ? 3 : 5);
        run.out = root / experiment->name;
        run.config_dir = options.config_dir;
        run.quiet = options.quiet;
        fs::create_directories(run.out);
        const auto start = std::chrono::steady_clock::now();
        ExperimentResult result = experiment->run(run);
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const fs::path report = write_experiment_report(result, run);
        fmt::print("{} ({:.0f} s): {}\n", experiment->title, result.seconds, report.string());
        for (const ClaimOutcome& c : result.claims) {
            fmt::print("  {} {}: {}\n      {}\n", c.id, c.reproduced ? "reproduced    " : "NOT reproduced", c.claim, c.evidence);
            all_reproduced = all_reproduced && c.reproduced;
        }
        results.emplace_back(experiment, std::move(result));
    }
    if (selected.size() > 1) fmt::print("index of the reports: {}\n", write_index(root, results, options.quick).string());
    return all_reproduced ? 0 : 1;
}

}  // namespace

void add_reproduce_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReproduceOptions>();
    CLI::App* command = app.add_subcommand("reproduce", "Run a reproduction experiment of the paper (or all) with a report");
    command->add_option("name", options->name, "experiment name (see `ncv list`) or all")->required();
    command->add_flag("--quick", options->quick, "the quick variant: synthetic data, short runs, 3 seeds (< 1 minute each)");
    command->add_option("--seeds", options->seeds, "seeds per variant (default 5, quick 3)")->check(CLI::Range(1, 100));
    command->add_option("--out", options->out, "output directory (default reproductions/ or reproductions-quick/)");
    command->add_option("--config-dir", options->config_dir, "directory of the base configurations")->capture_default_str();
    command->add_option("--threads", options->threads, "threads for the double path (default: all cores)");
    command->add_flag("--quiet", options->quiet, "no progress lines");
    command->callback([options, &exit_code] { exit_code = run_reproduce(*options); });
}

void add_list_command(CLI::App& app) {
    CLI::App* command = app.add_subcommand("list", "List the experiments, checkers, activations and data sets");
    command->callback([] {
        fmt::print("experiments (ncv reproduce NAME [--quick]):\n");
        for (const Experiment& e : experiment_registry()) fmt::print("  {:<16} {}\n  {:<16} {}\n", e.name, e.title, "", e.description);
        fmt::print("checkers (ncv check --checker ID; L1 runs during ncv train; T4 is a trajectory checker, run by its monitor):\n");
        for (const CheckerEntry& c : checker_registry())
            fmt::print("  {:<4} [{}] {} ({}){}\n", c.id, provenance_name(c.provenance), c.title, c.proof_note,
                       c.certify ? ", certified mode" : "");
        fmt::print("activations (network.activation):\n");
        for (const char* name : {"smooth_leaky_relu", "leaky_relu", "relu", "tanh", "identity"})
            fmt::print("  {:<18} {}\n", name, Activation::from_name(name, 0.1, 1.0).formula());
        fmt::print("data sets (data.source; docs/data.md):\n"
                   "  fashion-mnist      Debian dataset-fashion-mnist, balanced subsample, optional pooling\n"
                   "  gaussian-mixture   K Gaussian classes in R^d (synthetic)\n"
                   "  iris, digits       scikit-learn's bundled data (Debian python3-sklearn)\n"
                   "  NumPy .npz / .npy  networks and data trained elsewhere (ncv check --import; docs/data.md)\n");
    });
}

}  // namespace ncverify::app
