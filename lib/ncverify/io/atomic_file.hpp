#pragma once
// Atomic file output: a file either keeps its previous complete content or gets the
// new complete content, never a prefix. The content is written to a temporary file in
// the same directory, flushed to disk (fsync), renamed over the target (atomic on
// POSIX file systems), and the directory entry is synced.
//
// Throws InputError naming the path and the system error (unwritable directory, disk
// full, ...); on failure the temporary file is removed and the target is untouched.

#include <filesystem>
#include <string_view>

namespace ncverify {

void write_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Reads a whole file; throws InputError naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace ncverify
