#pragma once
// Readers of IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST
// (http://yann.lecun.com/exdb/mnist/), gzip-compressed or raw.
//
// Format: a magic number of 4 bytes 0x00 0x00 T R, where T = 0x08 (unsigned bytes) and R
// is the number of dimensions; then R dimension sizes, each a big-endian 32-bit integer;
// then prod(sizes) data bytes in row-major order (last index fastest), and nothing more.
//   images: magic 0x00000803, sizes (count, rows, cols)
//   labels: magic 0x00000801, sizes (count)
//
// Guarantees: the values returned are exactly the bytes of the file. Every malformation
// throws InputError naming the file: missing file, bad magic number (expected and found
// printed in hex), wrong number of dimensions, a size that is negative as a signed 32-bit
// integer, data larger than idx_max_data_bytes (rejected from the header alone, before
// any allocation), premature end of file (bytes expected and read), bytes after the
// declared data, corrupt gzip stream (zlib's diagnosis). Memory grows with the data
// actually read, never with what a header claims.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// Largest data section accepted, in bytes (4 GiB; Fashion-MNIST's training images take
/// 47 MB). A header declaring more is rejected before anything is allocated.
inline constexpr std::uint64_t idx_max_data_bytes = std::uint64_t{1} << 32;

/// The content of an IDX image file: `count` images of rows x cols pixels.
struct IdxImages {
    Index count = 0;
    Index rows = 0;
    Index cols = 0;
    /// count * rows * cols bytes; pixel (r, c) of image i is pixels[(i * rows + r) * cols + c].
    std::vector<std::uint8_t> pixels;

    std::uint8_t pixel(Index image, Index row, Index col) const {
        return pixels[static_cast<std::size_t>((image * rows + row) * cols + col)];
    }
};

/// Reads an IDX image file (magic 0x00000803). `missing_hint` is appended to the
/// "file not found" message (e.g. which package provides the file).
IdxImages read_idx_images(const std::filesystem::path& file, const std::string& missing_hint = "");

/// Reads an IDX label file (magic 0x00000801): one byte per item.
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& file, const std::string& missing_hint = "");

}  // namespace ncverify
