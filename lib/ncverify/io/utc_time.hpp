#pragma once
// Time stamps of the files ncverify writes (run manifests, checks.json).

#include <string>

namespace ncverify {

/// The current time in UTC, ISO 8601 to the second: "2026-12-07T16:00:00Z".
std::string utc_time_now();

}  // namespace ncverify
