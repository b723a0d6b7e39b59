#include "checks_file.hpp"

#include <algorithm>

#include "ncverify/checkers/registry.hpp"
#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/utc_time.hpp"
#include "run_directory.hpp"

namespace ncverify::app {
namespace {

bool is_network_checker(const std::string& result) {
    const auto& registry = checker_registry();
    return std::any_of(registry.begin(), registry.end(),
                       [&](const CheckerEntry& e) { return e.id == result && e.kind == CheckerKind::network; });
}

}  // namespace

nlohmann::json checker_options_json(const CheckerOptions& options) {
    nlohmann::json json = nlohmann::json::object();
    const auto set = [&](const char* key, const std::optional<double>& value) {
        if (value) json[key] = *value;
    };
    set("epsilon1", options.epsilon1);
    set("epsilon2", options.epsilon2);
    set("radius", options.radius);
    set("relative_tolerance", options.relative_tolerance);
    set("weight_decay", options.weight_decay);
    set("learning_rate", options.learning_rate);
    set("best_loss", options.best_loss);
    return json;
}

void merge_verdicts(const std::filesystem::path& file, const std::vector<Verdict>& verdicts,
                    const CheckContext& context) {
    nlohmann::json stored = std::filesystem::exists(file) ? read_checks_file(file) : nlohmann::json::object();
    nlohmann::json& list = stored["verdicts"];
    if (list.is_null()) list = nlohmann::json::array();
    nlohmann::json& checked = stored["checked"];
    if (checked.is_null()) checked = nlohmann::json::object();
    const std::string time = utc_time_now();
    // Relative to the checks file, so that a run directory can be moved.
    const std::string checkpoint =
        std::filesystem::absolute(context.checkpoint)
            .lexically_proximate(std::filesystem::absolute(file).parent_path())
            .string();
    for (const Verdict& verdict : verdicts) {
        nlohmann::json options =
            checker_options_json(is_network_checker(verdict.result) ? context.network_options : context.options);
        if (verdict.certificate && context.certification)
            options["precision_ladder"] = context.certification->precision_ladder;
        checked[verdict.result] = {{"time", time},
                                   {"command", context.command},
                                   {"checkpoint", checkpoint},
                                   {"options", std::move(options)}};
        const auto same = std::find_if(list.begin(), list.end(),
                                       [&](const nlohmann::json& v) { return v.at("result") == verdict.result; });
        if (same != list.end())
            *same = verdict.to_json();
        else
            list.push_back(verdict.to_json());
    }
    stored["format"] = "ncverify.checks/2";
    write_file_atomically(file, stored.dump(2));
}

}  // namespace ncverify::app
