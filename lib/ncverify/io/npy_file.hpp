#pragma once
// Reader of NumPy .npy files: one array of at most two dimensions, of 32- or 64-bit
// floats or integers, as written by numpy.save (the format of numpy.lib.format).
//
// Format: the magic string "\x93NUMPY", one byte each for the major and minor format
// version, the length HEADER_LEN of the header (versions 1.0: little-endian uint16;
// 2.0 and 3.0: little-endian uint32), then HEADER_LEN bytes of header, then the data.
// The header is a Python dictionary literal with exactly the keys 'descr' (the dtype),
// 'fortran_order' (True or False) and 'shape' (a tuple of integers), terminated by a
// newline and padded with spaces (NumPy aligns the data to 64 bytes, older versions to
// 16; neither is required here). Version 3.0 only changes the header's text encoding to
// UTF-8, which this reader does not need (the keys and dtypes it accepts are ASCII).
// The data is prod(shape) * itemsize bytes, C order (last index fastest) unless
// fortran_order is True (first index fastest), and nothing after it.
//
// Accepted:
//   dtypes  '<f4' '>f4' '<f8' '>f8'   float32 / float64, little- or big-endian
//           '<i4' '>i4' '<i8' '>i8'   int32 / int64 (label arrays)
//   shapes  () (one value), (n,), (rows, cols); any dimension may be 0
//   orders  C and Fortran
// Header variants written by other tools are accepted too: keys in any order, single or
// double quotes, a trailing comma or not, Python 2's "3L" integers, any whitespace.
//
// Guarantees: every value is exactly the number stored in the file. float32 -> double
// is exact (every float32 is a double), and so is float64 -> double; big-endian data is
// byte-swapped, not converted. Integers are returned as doubles only when that is exact
// (|value| <= 2^53, else InputError). Memory follows the bytes actually present: the
// file is read once (its size, not what its header claims) and the declared data size
// is compared with the bytes that follow the header before any array is allocated, so
// a header claiming 10^12 rows fails at once.
//
// Errors name the file and the array ("<file>: array "W1": ...") and the problem:
//   InputError      missing file, not a regular file, truncated preamble or header, bad
//                   magic string, format version other than 1.0/2.0/3.0, header not
//                   parseable (with the offending position and text), missing or
//                   unexpected header keys, negative dimension, unsupported dtype (with
//                   its meaning, e.g. '<f2' half precision, '|O' Python objects, '<c16'
//                   complex, structured arrays), data size not matching the shape (too
//                   few bytes, e.g. a truncated file or an absurd shape, or too many),
//                   an integer that a double cannot hold exactly
//   ShapeMismatch   more than 2 dimensions
//   NonFiniteValue  a NaN or infinite float entry: the first in row-major order, by
//                   its index (i, j)

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

/// One array read from a .npy file or from a member of an .npz archive.
struct NpyArray {
    /// The array's name: the file name without ".npy" ("W1" for dir/W1.npy), or the
    /// archive member's name without ".npy".
    std::string name;
    /// Where it was read from (the .npy or .npz file); every error message starts with it.
    std::string source;
    /// The shape as declared: 0, 1 or 2 dimensions, each >= 0.
    std::vector<std::int64_t> shape;
    /// The storage order in the file. `values` is row-major whatever it was.
    bool fortran_order = false;
    /// The dtype as written in the header: "<f4", ">f8", "<i8", ...
    std::string dtype;
    /// prod(shape) values in row-major (C) order: entry (i, j) of a rows x cols array is
    /// values[i * cols + j]. Exactly the file's numbers (see the header comment).
    std::vector<double> values;

    /// prod(shape): the number of values (1 for shape ()).
    std::int64_t size() const { return static_cast<std::int64_t>(values.size()); }
    /// True for the integer dtypes ('<i4', '>i4', '<i8', '>i8').
    bool is_integer() const;
};

/// Reads the .npy file `file`; the array is named after the file (stem). Throws as
/// listed in the header comment.
NpyArray read_npy_file(const std::filesystem::path& file);

/// Parses `bytes`, the complete content of a .npy file (or of an .npz member). `name`
/// and `source` label the array and every error message, as in NpyArray. Same checks
/// and guarantees as read_npy_file; nothing is allocated for the data before its size
/// has been checked against bytes.size().
NpyArray parse_npy_bytes(std::span<const std::uint8_t> bytes, const std::string& name, const std::string& source);

/// The rows x cols matrix of a 2-D array: entry (i, j) = values[i * cols + j], exact.
/// Throws ShapeMismatch naming the source, the array and its shape for any other
/// number of dimensions.
Matrix<double> npy_to_matrix(const NpyArray& array);

/// The n-vector of a 1-D array of shape (n,), exact. Throws ShapeMismatch naming the
/// array and its shape otherwise.
Vector<double> npy_to_vector(const NpyArray& array);

/// The labels of a 1-D integer array ('<i4', '<i8', big-endian too), in order. Throws
/// ShapeMismatch when the array is not 1-D and InputError when its dtype is not an
/// integer one (floats are refused even when integral, so that a features array
/// cannot be taken for labels). The range of the labels is not checked here (that is
/// Dataset::validate's job).
std::vector<Index> npy_to_labels(const NpyArray& array);

}  // namespace ncverify
