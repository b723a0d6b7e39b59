#pragma once
// Reader of NumPy .npz archives: the arrays written by np.savez (members stored
// uncompressed) and np.savez_compressed (members deflated), each a .npy file read by
// parse_npy_bytes (io/npy_file.hpp) with all its checks and guarantees.
//
// Format: a ZIP archive (PKWARE APPNOTE.TXT). The reader finds the end-of-central-
// directory record at the end of the file (and the ZIP64 end record through its locator
// when there is one), reads every central directory entry, and for each entry its
// local header (to find where the data starts). Sizes, CRC-32 and offsets come from the
// central directory, with the ZIP64 extra field (id 0x0001) when a field is 0xFFFFFFFF
// (np.savez writes ZIP64 local headers for every member). Members must be named
// NAME.npy; the array is called NAME. Compression method 0 (stored) and 8 (deflate,
// inflated by zlib as a raw stream) are accepted; every member's CRC-32 is verified.
//
// Guarantees: the arrays are in archive order and have distinct names. The archive is
// read into memory once (its size on disk); an inflated member grows with the bytes
// that zlib actually produces, never with a size that a header declares, and every
// declared size and offset is checked against the file before it is used.
//
// Errors are InputError naming the archive and, once it is known, the array
// ("<file>: array "W1": ...") and the problem: missing file, not a ZIP archive or cut
// short (no end-of-central-directory record), a multi-disk archive, a central directory
// or member outside the file, a ZIP64 marker without its ZIP64 record or extra field,
// an encrypted member, a compression method other than stored or deflate, a member not
// named *.npy, duplicate member names, a local header that disagrees with the central
// directory, a stored member whose sizes differ, a corrupt or truncated deflate stream
// (zlib's diagnosis), an inflated size other than the declared one, a CRC-32 mismatch;
// then every error of parse_npy_bytes (including ShapeMismatch for more than 2
// dimensions and NonFiniteValue for NaN or infinite entries).

#include <filesystem>
#include <string>
#include <vector>

#include "ncverify/io/npy_file.hpp"

namespace ncverify {

/// The arrays of an .npz archive.
struct NpzArchive {
    /// The archive that was read.
    std::filesystem::path file;
    /// Every member, in archive order (np.savez keeps the order of its keyword
    /// arguments); names are distinct.
    std::vector<NpyArray> arrays;

    /// The array called `name`, or nullptr.
    const NpyArray* find(const std::string& name) const;
    /// True when the archive holds an array called `name`.
    bool contains(const std::string& name) const { return find(name) != nullptr; }
    /// The array called `name`; throws InputError naming the archive, the missing array
    /// and the arrays present.
    const NpyArray& at(const std::string& name) const;
    /// The names of the arrays, in archive order.
    std::vector<std::string> names() const;
};

/// Reads every array of the .npz archive `file`. Throws as listed in the header comment.
NpzArchive read_npz_archive(const std::filesystem::path& file);

}  // namespace ncverify
