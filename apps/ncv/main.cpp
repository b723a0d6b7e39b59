// ncv: the ncverify command-line tool.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <csignal>

#include "check_command.hpp"
#include "demo_command.hpp"
#include "export_command.hpp"
#include "measure_command.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/closest_name.hpp"
#include "report_command.hpp"
#include "reproduce_command.hpp"
#include "tightness_command.hpp"
#include "train_command.hpp"

namespace {

/// After a usage error, the likely misspelling of argv: an unknown first word close to a
/// subcommand's name, or an unknown --option close to one of the subcommand's options
/// (closest_name.hpp), printed as "ncv: ... did you mean ...?" on standard error.
void suggest_spelling(CLI::App& app, int argc, char** argv) {
    int first = 1;
    while (first < argc && argv[first][0] == '-') ++first;
    if (first >= argc) return;
    const std::string command = argv[first];
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(sub->get_name());
    if (std::find(commands.begin(), commands.end(), command) == commands.end()) {
        if (const auto meant = ncverify::closest_name(command, commands))
            fmt::print(stderr, "ncv: {} is not a command; did you mean {}?\n", command, *meant);
        return;
    }
    std::vector<std::string> options;
    for (const CLI::App* owner : {static_cast<const CLI::App*>(&app), static_cast<const CLI::App*>(app.get_subcommand(command))})
        for (const CLI::Option* option : owner->get_options())
            for (const std::string& name : option->get_lnames()) options.push_back("--" + name);
    for (int i = first + 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument.rfind("--", 0) != 0 || argument == "--") continue;
        const std::string option = argument.substr(0, argument.find('='));
        if (std::find(options.begin(), options.end(), option) != options.end()) continue;
        if (const auto meant = ncverify::closest_name(option, options))
            fmt::print(stderr, "ncv: {} is not an option of ncv {}; did you mean {}?\n", option, command, *meant);
    }
}

}  // namespace

int main(int argc, char** argv) {
    // Past a file-size limit (ulimit -f) write() then fails with EFBIG, which the atomic
    // writer reports as an error naming the file, instead of SIGXFSZ killing the process.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"ncv: verified numerics for neural collapse (Jacot, Sukenik, Wang, Mondelli, ICLR 2025)"};
    app.set_version_flag("--version", NCVERIFY_VERSION);
    app.require_subcommand(1);
    int exit_code = 0;
    ncverify::app::add_demo_command(app);
    ncverify::app::add_train_command(app, exit_code);
    ncverify::app::add_tightness_command(app, exit_code);
    ncverify::app::add_check_command(app, exit_code);
    ncverify::app::add_measure_command(app, exit_code);
    ncverify::app::add_export_command(app);
    ncverify::app::add_report_command(app, exit_code);
    ncverify::app::add_reproduce_command(app, exit_code);
    ncverify::app::add_list_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help prints and exits 0; every usage error (unknown option, a file argument
        // that does not exist, a malformed number) is bad input: exit status 2.
        if (app.exit(e) == static_cast<int>(CLI::ExitCodes::Success)) return 0;
        suggest_spelling(app, argc, argv);
        return 2;
    } catch (const ncverify::Error& e) {
        fmt::print(stderr, "ncv: error: {}\n", e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        // Sizes are checked before allocating (docs/robustness.md); this is the machine's
        // memory running out on a problem that passed those checks.
        fmt::print(stderr, "ncv: error: out of memory: the problem does not fit in this machine's memory "
                           "(reduce the widths, the samples or the precision)\n");
        return 2;
    }
    return exit_code;
}
