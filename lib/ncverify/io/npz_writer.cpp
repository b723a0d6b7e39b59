#include "ncverify/io/npz_writer.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <set>
#include <string_view>
#include <type_traits>
#include <variant>

#include "ncverify/errors.hpp"
#include "ncverify/io/atomic_file.hpp"

namespace ncverify {

namespace {

using Bytes = std::vector<std::uint8_t>;

// Record signatures and fixed sizes of PKWARE's APPNOTE.TXT.
constexpr std::uint32_t local_header_signature = 0x04034b50;
constexpr std::uint32_t central_header_signature = 0x02014b50;
constexpr std::uint32_t end_record_signature = 0x06054b50;
// Version 2.0 of the specification (stored members); "made by" Unix (3 << 8).
constexpr std::uint16_t version_needed = 20;
constexpr std::uint16_t version_made_by = (3 << 8) | 20;
constexpr std::uint16_t method_stored = 0;
// MS-DOS date of 1980-01-01 ((year - 1980) << 9 | month << 5 | day), time 00:00:00.
constexpr std::uint16_t dos_time = 0;
constexpr std::uint16_t dos_date = (1 << 5) | 1;
// Unix mode 0100644 (regular file, rw-r--r--) in the high half of the external attributes.
constexpr std::uint32_t external_attributes = 0100644u << 16;
// The largest value of a 32-bit field; 0xFFFFFFFF itself would mean "see the ZIP64 record".
constexpr std::uint64_t zip32_limit = 0xFFFFFFFEu;
constexpr std::uint64_t max_members = 0xFFFE;
// NumPy aligns the start of the data to this many bytes (numpy.lib.format.ARRAY_ALIGN).
constexpr std::size_t npy_alignment = 64;
constexpr std::size_t npy_v1_preamble = 10;  // magic (6), version (2), header length (2)

void put_u16(Bytes& out, std::uint64_t value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}
void put_u32(Bytes& out, std::uint64_t value) {
    put_u16(out, value & 0xFFFF);
    put_u16(out, (value >> 16) & 0xFFFF);
}
void put_u64(Bytes& out, std::uint64_t value) {
    put_u32(out, value & 0xFFFFFFFFu);
    put_u32(out, value >> 32);
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    if (shape.size() == 1) return fmt::format("({},)", shape[0]);
    return fmt::format("({})", fmt::join(shape, ", "));
}

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
    std::int64_t count = 1;
    for (std::int64_t n : shape) count *= n;
    return count;
}

std::size_t value_count(const NpyOutputArray& array) {
    return std::visit([](const auto& values) { return values.size(); }, array.values);
}

void validate_output_array(const NpyOutputArray& array) {
    if (array.shape.size() > 2)
        throw InvalidArgument(fmt::format("npy output: array \"{}\" has shape {} of {} dimensions; at most 2 are written",
                                          array.name, shape_text(array.shape), array.shape.size()));
    for (std::int64_t n : array.shape)
        if (n < 0)
            throw InvalidArgument(
                fmt::format("npy output: array \"{}\" has a negative dimension in its shape {}", array.name, shape_text(array.shape)));
    if (static_cast<std::uint64_t>(element_count(array.shape)) != value_count(array))
        throw InvalidArgument(fmt::format("npy output: array \"{}\" has shape {} ({} values) but holds {} values",
                                          array.name, shape_text(array.shape), element_count(array.shape),
                                          value_count(array)));
}

void validate_member_name(const std::string& name) {
    if (name.empty()) throw InvalidArgument("npz output: an array has an empty name; np.load needs a name per array");
    if (name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
        throw InvalidArgument(fmt::format(
            "npz output: array name \"{}\" contains '/', '\\' or a NUL character; names are plain member names",
            name));
    if (name.size() > 0xFFFF - 4)
        throw InvalidArgument(fmt::format("npz output: array name of {} bytes is longer than a ZIP member name allows",
                                          name.size()));
}

}  // namespace

std::string NpyOutputArray::dtype() const {
    return std::holds_alternative<std::vector<double>>(values) ? "<f8" : "<i8";
}

NpyOutputArray npy_output_from_matrix(std::string name, const Matrix<double>& matrix) {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(matrix.size()));
    for (Index i = 0; i < matrix.rows(); ++i)
        for (Index j = 0; j < matrix.cols(); ++j) values.push_back(matrix(i, j));
    return {std::move(name), {matrix.rows(), matrix.cols()}, std::move(values)};
}

NpyOutputArray npy_output_from_vector(std::string name, const Vector<double>& vector) {
    return {std::move(name), {vector.size()}, std::vector<double>(vector.data(), vector.data() + vector.size())};
}

NpyOutputArray npy_output_from_labels(std::string name, const std::vector<Index>& labels) {
    std::vector<std::int64_t> values(labels.begin(), labels.end());
    return {std::move(name), {static_cast<std::int64_t>(labels.size())}, std::move(values)};
}

std::vector<std::uint8_t> npy_file_bytes(const NpyOutputArray& array) {
    validate_output_array(array);
    std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", array.dtype(),
                                     shape_text(array.shape));
    // Spaces, then the newline, up to the next multiple of the alignment.
    const std::size_t unpadded = npy_v1_preamble + header.size() + 1;
    header.append((npy_alignment - unpadded % npy_alignment) % npy_alignment, ' ');
    header += '\n';
    if (header.size() > std::numeric_limits<std::uint16_t>::max())
        throw InvalidArgument(fmt::format("npy output: array \"{}\": header of {} bytes does not fit format 1.0",
                                          array.name, header.size()));
    Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    put_u16(out, header.size());
    out.insert(out.end(), header.begin(), header.end());
    out.reserve(out.size() + value_count(array) * 8);
    std::visit(
        [&out](const auto& values) {
            for (const auto value : values) {
                // Two's complement for int64, the IEEE bit pattern for double: both
                // written least significant byte first.
                std::uint64_t bits;
                if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>)
                    bits = std::bit_cast<std::uint64_t>(value);
                else
                    bits = static_cast<std::uint64_t>(value);
                put_u64(out, bits);
            }
        },
        array.values);
    return out;
}

std::vector<std::uint8_t> npz_archive_bytes(const std::vector<NpyOutputArray>& arrays) {
    if (arrays.size() > max_members)
        throw InvalidArgument(fmt::format("npz output: {} arrays, more than the {} members of a ZIP without ZIP64",
                                          arrays.size(), max_members));
    std::set<std::string> names;
    for (const NpyOutputArray& array : arrays) {
        validate_member_name(array.name);
        if (!names.insert(array.name).second)
            throw InvalidArgument(fmt::format("npz output: two arrays are named \"{}\"; names must be distinct", array.name));
    }

    struct Entry {
        std::string member;
        std::uint32_t crc;
        std::uint64_t size;
        std::uint64_t offset;
    };
    std::vector<Entry> entries;
    Bytes out;
    for (const NpyOutputArray& array : arrays) {
        const Bytes data = npy_file_bytes(array);
        const std::string member = array.name + ".npy";
        if (data.size() > zip32_limit || out.size() > zip32_limit)
            throw InvalidArgument(fmt::format(
                "npz output: array \"{}\" ({} bytes at offset {}) does not fit a ZIP without ZIP64 (4 GiB); "
                "save large arrays as separate .npy files",
                array.name, data.size(), out.size()));
        // zlib's crc32 takes a 32-bit length; feed it in pieces.
        uLong crc = crc32(0L, Z_NULL, 0);
        for (std::size_t done = 0; done < data.size();) {
            const std::size_t piece = std::min<std::size_t>(data.size() - done, 1u << 30);
            crc = crc32(crc, data.data() + done, static_cast<uInt>(piece));
            done += piece;
        }
        const Entry entry{member, static_cast<std::uint32_t>(crc), data.size(), out.size()};
        put_u32(out, local_header_signature);
        put_u16(out, version_needed);
        put_u16(out, 0);  // flags
        put_u16(out, method_stored);
        put_u16(out, dos_time);
        put_u16(out, dos_date);
        put_u32(out, entry.crc);
        put_u32(out, entry.size);  // compressed size
        put_u32(out, entry.size);  // uncompressed size
        put_u16(out, member.size());
        put_u16(out, 0);  // extra field length
        out.insert(out.end(), member.begin(), member.end());
        out.insert(out.end(), data.begin(), data.end());
        entries.push_back(entry);
    }
    const std::uint64_t directory_offset = out.size();
    for (const Entry& entry : entries) {
        put_u32(out, central_header_signature);
        put_u16(out, version_made_by);
        put_u16(out, version_needed);
        put_u16(out, 0);  // flags
        put_u16(out, method_stored);
        put_u16(out, dos_time);
        put_u16(out, dos_date);
        put_u32(out, entry.crc);
        put_u32(out, entry.size);
        put_u32(out, entry.size);
        put_u16(out, entry.member.size());
        put_u16(out, 0);  // extra field length
        put_u16(out, 0);  // comment length
        put_u16(out, 0);  // disk number start
        put_u16(out, 0);  // internal attributes
        put_u32(out, external_attributes);
        put_u32(out, entry.offset);
        out.insert(out.end(), entry.member.begin(), entry.member.end());
    }
    const std::uint64_t directory_size = out.size() - directory_offset;
    if (directory_offset > zip32_limit || directory_size > zip32_limit)
        throw InvalidArgument(fmt::format(
            "npz output: the archive ({} bytes before its central directory) does not fit a ZIP without ZIP64 "
            "(4 GiB); save large arrays as separate .npy files",
            directory_offset));
    put_u32(out, end_record_signature);
    put_u16(out, 0);  // this disk
    put_u16(out, 0);  // disk of the central directory
    put_u16(out, entries.size());
    put_u16(out, entries.size());
    put_u32(out, directory_size);
    put_u32(out, directory_offset);
    put_u16(out, 0);  // comment length
    return out;
}

void write_npy_file(const std::filesystem::path& file, const NpyOutputArray& array) {
    const Bytes bytes = npy_file_bytes(array);
    write_file_atomically(file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void write_npz_archive(const std::filesystem::path& file, const std::vector<NpyOutputArray>& arrays) {
    const Bytes bytes = npz_archive_bytes(arrays);
    write_file_atomically(file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace ncverify
