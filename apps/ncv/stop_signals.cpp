#include "stop_signals.hpp"

#include <unistd.h>

#include <csignal>

namespace ncverify::app {
namespace {

volatile std::sig_atomic_t stop_flag = 0;
volatile std::sig_atomic_t skippable = 0;
std::string skip_message;  // set before `skippable`, read only by the handler while it is set

extern "C" void handle_stop_signal(int) {
    stop_flag = 1;
    if (skippable) {
        // write(2) and _exit(2) are async-signal-safe; the message was formatted before.
        [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, skip_message.data(), skip_message.size());
        ::_exit(130);
    }
}

}  // namespace

void install_stop_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = handle_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stop_requested() { return stop_flag != 0; }

void begin_skippable_work(std::string message) {
    skip_message = std::move(message) + "\n";
    skippable = 1;
}

void end_skippable_work() { skippable = 0; }

}  // namespace ncverify::app
