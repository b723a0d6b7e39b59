#include "stop_signals.hpp"

#include <csignal>

namespace ncverify::app {
namespace {

volatile std::sig_atomic_t stop_flag = 0;

extern "C" void handle_stop_signal(int) { stop_flag = 1; }

}  // namespace

void install_stop_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = handle_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return stop_flag != 0; }

}  // namespace ncverify::app
