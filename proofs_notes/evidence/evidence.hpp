#pragma once
// Support for the evidence programs of proofs_notes/ (see CMakeLists.txt here): each
// program prints the numbers a note quotes and asserts them; main returns the number of
// failed assertions (ctest fails on a nonzero exit status).

#include <cmath>
#include <cstdio>
#include <string>

namespace ncverify::evidence {

class Report {
public:
    /// Prints `name = value` and checks |value - quoted| <= relative * |quoted|: the note
    /// quotes `quoted` (rounded), `relative` is the rounding of the quote.
    void quoted(const std::string& name, double value, double quoted, double relative) {
        const bool ok = std::abs(value - quoted) <= relative * std::abs(quoted);
        std::printf("%-64s %.6g   (note: %.6g +- %.1g rel) %s\n", name.c_str(), value, quoted, relative, ok ? "" : "FAIL");
        failures_ += ok ? 0 : 1;
    }
    /// Prints `name = value` and checks value <= limit.
    void at_most(const std::string& name, double value, double limit) {
        const bool ok = value <= limit;
        std::printf("%-64s %.6g   (<= %.3g) %s\n", name.c_str(), value, limit, ok ? "" : "FAIL");
        failures_ += ok ? 0 : 1;
    }
    /// Prints `name = value` and checks value >= limit.
    void at_least(const std::string& name, double value, double limit) {
        const bool ok = value >= limit;
        std::printf("%-64s %.6g   (>= %.3g) %s\n", name.c_str(), value, limit, ok ? "" : "FAIL");
        failures_ += ok ? 0 : 1;
    }
    int exit_status() const {
        std::printf("%s (%d failed)\n", failures_ == 0 ? "OK" : "FAILED", failures_);
        return failures_ == 0 ? 0 : 1;
    }

private:
    int failures_ = 0;
};

}  // namespace ncverify::evidence
