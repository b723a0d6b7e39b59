// IDX reader: round trips through files written here (gzip and raw), and every
// documented error with its message.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <chrono>

#include "data/data_test_files.hpp"
#include "ncverify/data/idx_file.hpp"
#include "ncverify/errors.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

std::vector<std::uint8_t> pattern(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t k = 0; k < size; ++k) bytes[k] = static_cast<std::uint8_t>((k * 37 + 11) % 256);
    return bytes;
}

/// 3 images of 4 x 5 pixels.
std::vector<std::uint8_t> small_images() { return idx_bytes({3, 4, 5}, pattern(60)); }

}  // namespace

TEST(IdxFile, ReadsImagesAndLabelsGzipAndRaw) {
    TempDir dir;
    for (const bool gzip : {true, false}) {
        SCOPED_TRACE(gzip ? "gzip" : "raw");
        const auto images_file = dir / (gzip ? "images.gz" : "images");
        const auto labels_file = dir / (gzip ? "labels.gz" : "labels");
        write_file(images_file, small_images(), gzip);
        write_file(labels_file, idx_bytes({3}, {9, 0, 255}), gzip);
        const IdxImages images = read_idx_images(images_file);
        EXPECT_EQ(images.count, 3);
        EXPECT_EQ(images.rows, 4);
        EXPECT_EQ(images.cols, 5);
        EXPECT_EQ(images.pixels, pattern(60));
        EXPECT_EQ(images.pixel(2, 1, 3), pattern(60)[(2 * 4 + 1) * 5 + 3]);
        EXPECT_EQ(read_idx_labels(labels_file), (std::vector<std::uint8_t>{9, 0, 255}));
    }
}

// Write -> read is the identity for random shapes (including empty ones), contents and
// compression; and every strict prefix of a raw file is refused.
RC_GTEST_PROP(IdxFileProperties, RoundTripAndPrefixesFail, ()) {
    const auto count = *rc::gen::inRange<std::uint32_t>(0, 6);
    const auto rows = *rc::gen::inRange<std::uint32_t>(0, 7);
    const auto cols = *rc::gen::inRange<std::uint32_t>(1, 7);
    const auto pixels =
        *rc::gen::container<std::vector<std::uint8_t>>(count * rows * cols, rc::gen::arbitrary<std::uint8_t>());
    const bool gzip = *rc::gen::arbitrary<bool>();
    TempDir dir;
    const std::vector<std::uint8_t> bytes = idx_bytes({count, rows, cols}, pixels);
    write_file(dir / "images", bytes, gzip);
    const IdxImages images = read_idx_images(dir / "images");
    RC_ASSERT(images.count == static_cast<Index>(count));
    RC_ASSERT(images.rows == static_cast<Index>(rows));
    RC_ASSERT(images.cols == static_cast<Index>(cols));
    RC_ASSERT(images.pixels == pixels);

    const auto cut = *rc::gen::inRange<std::size_t>(0, bytes.size());
    write_raw(dir / "prefix", std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(cut)));
    RC_ASSERT_THROWS_AS(read_idx_images(dir / "prefix"), InputError);
}

TEST(IdxFile, PrematureEndSaysHowManyBytesWereExpectedAndRead) {
    TempDir dir;
    std::vector<std::uint8_t> bytes = small_images();
    bytes.resize(16 + 50);
    write_raw(dir / "short", bytes);
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "short"); }),
                    {(dir / "short").string(), "premature end of file", "3 x 4 x 5", "needs 60 bytes", "only 50"});
    bytes.resize(10);
    write_raw(dir / "header", bytes);
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "header"); }),
                    {"premature end of file", "IDX header needs 16 bytes, only 10"});
    write_raw(dir / "empty", {});
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "empty"); }),
                    {"premature end of file", "magic number needs 4 bytes, only 0"});
}

TEST(IdxFile, TruncatedGzipStreamIsReported) {
    TempDir dir;
    write_gzip(dir / "full.gz", small_images());
    const std::vector<std::uint8_t> full = read_raw(dir / "full.gz");
    // Cut inside the deflate data, then just before the 8-byte trailer (data complete).
    write_raw(dir / "cut.gz", std::vector<std::uint8_t>(full.begin(), full.begin() + 20));
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "cut.gz"); }),
                    {"premature end of file", "gzip stream is cut short"});
    write_raw(dir / "no-trailer.gz", std::vector<std::uint8_t>(full.begin(), full.end() - 8));
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "no-trailer.gz"); }),
                    {"premature end of file", "before its trailer"});
}

TEST(IdxFile, BadMagicNumberPrintsExpectedAndFoundInHex) {
    TempDir dir;
    write_raw(dir / "text", text_bytes("hello world, not IDX"));
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "text"); }),
                    {(dir / "text").string(), "bad magic number 0x68656C6C", "expected 0x00000803"});
    write_gzip(dir / "ints.gz", idx_bytes({3}, pattern(12), 0x00000C01));  // 32-bit integers
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "ints.gz"); }),
                    {"bad magic number 0x00000C01", "expected 0x00000801"});
}

TEST(IdxFile, WrongNumberOfDimensions) {
    TempDir dir;
    write_gzip(dir / "labels.gz", idx_bytes({3}, {1, 2, 3}));
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "labels.gz"); }),
                    {"wrong number of dimensions", "0x00000801 declares 1", "expected 0x00000803"});
    write_gzip(dir / "images.gz", small_images());
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "images.gz"); }),
                    {"wrong number of dimensions", "declares 3", "expected 0x00000801"});
}

TEST(IdxFile, AbsurdHeadersFailFastWithoutAllocating) {
    TempDir dir;
    const auto start = std::chrono::steady_clock::now();
    write_gzip(dir / "huge.gz", idx_bytes({1000000, 1000000, 1}, pattern(100)));
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "huge.gz"); }),
                    {"1000000 x 1000000 x 1", "more than the limit of 4294967296"});
    write_raw(dir / "negative", idx_bytes({0xFFFFFFF0u}, pattern(100)));
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "negative"); }),
                    {"dimension 0 has size 0xFFFFFFF0", "negative"});
    // Below the limit but far beyond the file: memory follows the bytes present.
    write_gzip(dir / "big.gz", idx_bytes({2000000000}, pattern(100)));
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "big.gz"); }),
                    {"premature end of file", "needs 2000000000 bytes, only 100"});
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

TEST(IdxFile, TrailingBytesAreRefused) {
    TempDir dir;
    std::vector<std::uint8_t> bytes = idx_bytes({3}, {1, 2, 3});
    bytes.push_back(4);
    write_gzip(dir / "labels.gz", bytes);
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "labels.gz"); }),
                    {"continues after the 8 header bytes and 3 data bytes"});
}

TEST(IdxFile, CorruptGzipStreamIsReported) {
    TempDir dir;
    write_gzip(dir / "good.gz", small_images());
    std::vector<std::uint8_t> bytes = read_raw(dir / "good.gz");
    bytes[10] = 0x07;  // first deflate block: final, type 3 (reserved)
    write_raw(dir / "block.gz", bytes);
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "block.gz"); }),
                    {(dir / "block.gz").string(), "corrupt gzip stream", "invalid block type"});
    bytes = read_raw(dir / "good.gz");
    bytes[bytes.size() - 8] ^= 0xFF;  // the CRC-32 of the trailer
    write_raw(dir / "crc.gz", bytes);
    expect_mentions(error_message<InputError>([&] { read_idx_images(dir / "crc.gz"); }),
                    {"corrupt gzip stream", "incorrect data check"});
}

TEST(IdxFile, MissingFileAndDirectory) {
    TempDir dir;
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir / "absent.gz", "package p provides it"); }),
                    {(dir / "absent.gz").string(), "file not found", "package p provides it"});
    expect_mentions(error_message<InputError>([&] { read_idx_labels(dir.path()); }), {"not a regular file"});
}
