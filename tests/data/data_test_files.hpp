#pragma once
// Support for the data tests: a private temporary directory (TempDir, from
// support/temp_dir.hpp), files written raw or gzip-compressed (with zlib, independently
// of the readers under test), IDX headers, and checks on error messages.

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace ncverify::testing {

inline void write_raw(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << file;
}

inline void write_gzip(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    gzFile out = gzopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr) << file;
    if (!bytes.empty()) {
        ASSERT_EQ(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
    }
    ASSERT_EQ(gzclose(out), Z_OK);
}

inline void write_file(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes, bool gzip) {
    if (gzip)
        write_gzip(file, bytes);
    else
        write_raw(file, bytes);
}

inline std::vector<std::uint8_t> text_bytes(const std::string& text) { return {text.begin(), text.end()}; }

inline std::vector<std::uint8_t> read_raw(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// An IDX file: magic 0x0000 08 R, the sizes as big-endian 32-bit integers, then `data`.
inline std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& sizes,
                                           const std::vector<std::uint8_t>& data, std::uint32_t magic = 0) {
    if (magic == 0) magic = 0x00000800u | static_cast<std::uint32_t>(sizes.size());
    std::vector<std::uint8_t> bytes;
    auto push_word = [&](std::uint32_t word) {
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(word >> shift));
    };
    push_word(magic);
    for (const std::uint32_t size : sizes) push_word(size);
    bytes.insert(bytes.end(), data.begin(), data.end());
    return bytes;
}

/// The message of the E thrown by f(); fails the test when f throws nothing or another type.
template <class E, class F>
std::string error_message(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "threw another exception type: " << e.what();
        return {};
    }
    ADD_FAILURE() << "threw nothing";
    return {};
}

/// Expects every fragment in `message`.
inline void expect_mentions(const std::string& message, std::initializer_list<std::string> fragments) {
    for (const std::string& fragment : fragments)
        EXPECT_NE(message.find(fragment), std::string::npos) << "missing \"" << fragment << "\" in: " << message;
}

}  // namespace ncverify::testing
