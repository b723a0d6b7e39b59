#pragma once
// Writer of NumPy .npy files and .npz archives: float64 matrices and vectors, int64
// label vectors, in the form np.load reads and read_npy_file / read_npz_archive
// (io/npy_file.hpp, io/npz_archive.hpp) read back exactly.
//
// .npy: format version 1.0. The magic string "\x93NUMPY", the bytes 1 and 0, the header
// length as a little-endian uint16, then the header
//   {'descr': '<f8', 'fortran_order': False, 'shape': (rows, cols), }
// padded with spaces and ended by a newline so that the data starts at a multiple of
// 64 bytes (NumPy's alignment), then the values in C order (last index fastest) as
// little-endian IEEE binary64 ('<f8') or two's-complement int64 ('<i8').
//
// .npz: a ZIP archive (PKWARE APPNOTE.TXT) of members NAME.npy, all stored (method 0,
// no compression, as np.savez writes), each with its CRC-32 (zlib's crc32), a fixed
// timestamp (1980-01-01 00:00) and Unix permissions 0644: the same arrays give the same
// bytes. No ZIP64 records: an archive or member beyond 4 GiB - 1 bytes, or more than
// 65535 members, is refused (InvalidArgument), not truncated.
//
// Guarantees: every value is written exactly (a double's 8 bytes, an integer's 8 bytes);
// reading the result back gives the same names, shapes and values, bit for bit. Files
// are written atomically (io/atomic_file.hpp).
//
// Errors: InvalidArgument for an empty or duplicate array name, a name containing '/'
// or '\', or a NUL character, or an archive too large for a ZIP without ZIP64;
// InputError from the atomic write (naming the path).

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// One array to write: its name in an archive, its shape (0, 1 or 2 dimensions) and its
/// values in row-major order, float64 or int64.
struct NpyOutputArray {
    std::string name;
    std::vector<std::int64_t> shape;
    std::variant<std::vector<double>, std::vector<std::int64_t>> values;

    /// "<f8" or "<i8".
    std::string dtype() const;
};

/// The rows x cols float64 array of `matrix` (C order in the file).
NpyOutputArray npy_output_from_matrix(std::string name, const Matrix<double>& matrix);
/// The (n,) float64 array of `vector`.
NpyOutputArray npy_output_from_vector(std::string name, const Vector<double>& vector);
/// The (n,) int64 array of `labels`.
NpyOutputArray npy_output_from_labels(std::string name, const std::vector<Index>& labels);

/// The complete bytes of the .npy file of `array` (format 1.0, 64-byte aligned data).
std::vector<std::uint8_t> npy_file_bytes(const NpyOutputArray& array);

/// The complete bytes of the .npz archive holding `arrays`, in this order, stored.
/// Throws InvalidArgument for a bad or duplicate name or an archive needing ZIP64.
std::vector<std::uint8_t> npz_archive_bytes(const std::vector<NpyOutputArray>& arrays);

/// Writes npy_file_bytes(array) to `file`, atomically.
void write_npy_file(const std::filesystem::path& file, const NpyOutputArray& array);

/// Writes npz_archive_bytes(arrays) to `file`, atomically.
void write_npz_archive(const std::filesystem::path& file, const std::vector<NpyOutputArray>& arrays);

}  // namespace ncverify
