#pragma once
// Progress of a long run on standard error. On a terminal: one line rewritten in place
// (at most 10 times a second) with step, phase, loss and ETA. Otherwise (CI logs,
// pipes): a plain line every 10% of the steps or every 10 seconds, whichever comes first.
// `quiet` silences everything.

#include <chrono>
#include <string>

namespace ncverify::app {

class ProgressReporter {
public:
    /// `label` prefixes every line (e.g. which run of an experiment this is).
    ProgressReporter(long total_steps, bool quiet, std::string label = {});
    void update(long step, double loss, double data_loss, const std::string& phase);
    /// Ends the progress line (terminal) before other output.
    void finish();

private:
    using Clock = std::chrono::steady_clock;
    long total_steps_;
    bool quiet_;
    bool terminal_;
    Clock::time_point start_, last_print_;
    long last_printed_step_ = -1;
    long start_step_ = -1;
    bool line_open_ = false;
    std::string label_;
};

/// "1h02m", "3m05s", "12s".
std::string format_duration(double seconds);

}  // namespace ncverify::app
