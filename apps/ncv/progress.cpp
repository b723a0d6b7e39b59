#include "progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace ncverify::app {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long s = std::lround(seconds);
    if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
    if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}s", s);
}

ProgressReporter::ProgressReporter(long total_steps, bool quiet, std::string label)
    : total_steps_(total_steps), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) != 0), start_(Clock::now()),
      last_print_(start_), label_(std::move(label)) {}

void ProgressReporter::update(long step, double loss, double data_loss, const std::string& phase) {
    if (quiet_) return;
    if (start_step_ < 0) {
        start_step_ = step;
        start_ = Clock::now();
    }
    const auto now = Clock::now();
    const double since_print = std::chrono::duration<double>(now - last_print_).count();
    const bool last = step >= total_steps_;
    const long tenth = std::max(1L, total_steps_ / 10);
    const bool due = terminal_ ? since_print >= 0.1
                               : (since_print >= 10.0 || step / tenth != last_printed_step_ / tenth);
    if (!due && !last && last_printed_step_ >= 0) return;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const long done = step - start_step_;
    const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_steps_ - step) : NAN;
    const std::string line = label_ + fmt::format("step {}/{} ({:.0f}%)  phase {}  loss {:.6e}  data loss {:.6e}  elapsed {}  ETA {}",
                                         step, total_steps_, 100.0 * static_cast<double>(step) / std::max(1L, total_steps_),
                                         phase, loss, data_loss, format_duration(elapsed), format_duration(eta));
    if (terminal_) {
        fmt::print(stderr, "\r\033[K{}", line);
        line_open_ = true;
    } else {
        fmt::print(stderr, "{}\n", line);
    }
    std::fflush(stderr);
    last_print_ = now;
    last_printed_step_ = step;
}

void ProgressReporter::finish() {
    if (line_open_) fmt::print(stderr, "\n");
    line_open_ = false;
}

}  // namespace ncverify::app
