#pragma once
// SIGINT (Ctrl-C) and SIGTERM request a clean stop: long-running commands poll
// `stop_requested()` between steps, write a valid final checkpoint and exit with 130.
//
// While a command runs work that only adds to what is already saved (the final checkers
// after the final checkpoint), it may declare it skippable: a stop signal arriving then
// (the second Ctrl-C of a user who pressed it once to stop training) prints the
// declared message and exits with 130 at once.

#include <string>

namespace ncverify::app {

void install_stop_signal_handlers();
bool stop_requested();

/// From now until end_skippable_work(), a stop signal prints `message` (a line) on standard
/// error and exits the process with status 130. Nothing may be written to files meanwhile.
void begin_skippable_work(std::string message);
void end_skippable_work();

}  // namespace ncverify::app
