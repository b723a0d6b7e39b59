// ncv: the ncverify command-line tool.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "demo_command.hpp"
#include "ncverify/errors.hpp"

int main(int argc, char** argv) {
    CLI::App app{"ncv: verified numerics for neural collapse (Jacot, Sukenik, Wang, Mondelli, ICLR 2025)"};
    app.require_subcommand(1);
    ncverify::app::add_demo_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const ncverify::Error& e) {
        fmt::print(stderr, "ncv: error: {}\n", e.what());
        return 2;
    }
    return 0;
}
