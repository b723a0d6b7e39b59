// ncv: the ncverify command-line tool.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <csignal>

#include "check_command.hpp"
#include "demo_command.hpp"
#include "export_command.hpp"
#include "measure_command.hpp"
#include "ncverify/errors.hpp"
#include "report_command.hpp"
#include "reproduce_command.hpp"
#include "tightness_command.hpp"
#include "train_command.hpp"

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
        return app.exit(e) == static_cast<int>(CLI::ExitCodes::Success) ? 0 : 2;
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
