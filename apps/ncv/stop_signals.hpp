#pragma once
// SIGINT (Ctrl-C) and SIGTERM request a clean stop: long-running commands poll
// `stop_requested()` between steps, write a valid final checkpoint and exit with 130.

namespace ncverify::app {

void install_stop_signal_handlers();
bool stop_requested();

}  // namespace ncverify::app
