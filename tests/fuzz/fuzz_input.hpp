#pragma once
// What every fuzz target shares: the contract it checks and a scratch directory for
// readers that take a path.
//
// The contract of ncverify's readers on arbitrary bytes: they either return a value that
// satisfies their documented invariants, or throw an ncverify::Error (InputError,
// ShapeMismatch, NonFiniteValue, ...) whose message names the input. Anything else is a
// bug the fuzzer reports as a crash: a sanitizer report, an allocation beyond
// libFuzzer's -malloc_limit_mb (a header's absurd size trusted before the bytes are
// checked), any other exception escaping (std::out_of_range, nlohmann::json::exception,
// std::bad_alloc, ...: std::terminate aborts), or a violated invariant (fuzz_failure).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "ncverify/errors.hpp"

namespace ncverify::fuzz {

/// A directory private to this process, created on first use and removed at exit.
const std::filesystem::path& scratch_directory();

/// Writes `bytes` to scratch_directory() / `name` (replacing it) and returns the path.
std::filesystem::path write_scratch_file(const std::string& name, std::string_view bytes);

/// Reports a violated invariant and aborts (libFuzzer records the input as a crash).
[[noreturn]] void fuzz_failure(const std::string& what);

/// Runs `read`; an ncverify::Error is the documented way to refuse an input and is
/// swallowed (its message must not be empty); every other exception escapes.
template <class Read>
void expect_value_or_input_error(Read&& read) {
    try {
        read();
    } catch (const Error& e) {
        if (std::string_view(e.what()).empty()) fuzz_failure("an ncverify::Error with an empty message");
    }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace ncverify::fuzz
