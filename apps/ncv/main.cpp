// ncv: the ncverify command-line tool.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "check_command.hpp"
#include "demo_command.hpp"
#include "export_command.hpp"
#include "ncverify/errors.hpp"
#include "report_command.hpp"
#include "reproduce_command.hpp"
#include "tightness_command.hpp"
#include "train_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"ncv: verified numerics for neural collapse (Jacot, Sukenik, Wang, Mondelli, ICLR 2025)"};
    app.set_version_flag("--version", NCVERIFY_VERSION);
    app.require_subcommand(1);
    int exit_code = 0;
    ncverify::app::add_demo_command(app);
    ncverify::app::add_train_command(app, exit_code);
    ncverify::app::add_tightness_command(app, exit_code);
    ncverify::app::add_check_command(app, exit_code);
    ncverify::app::add_export_command(app);
    ncverify::app::add_report_command(app, exit_code);
    ncverify::app::add_reproduce_command(app, exit_code);
    ncverify::app::add_list_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const ncverify::Error& e) {
        fmt::print(stderr, "ncv: error: {}\n", e.what());
        return 2;
    }
    return exit_code;
}
