#include "ncverify/data/idx_file.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>

#include "ncverify/data/gzip_file_reader.hpp"
#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

constexpr std::uint8_t idx_type_unsigned_byte = 0x08;
// Data is read in pieces of this size, so that memory follows the bytes actually present.
constexpr std::size_t read_chunk_bytes = std::size_t{16} << 20;

std::string hex32(std::uint32_t value) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08X", value);
    return text;
}

std::uint32_t big_endian_32(const std::uint8_t* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
           std::uint32_t{bytes[3]};
}

std::string dims_text(const std::vector<Index>& dims) {
    std::string text;
    for (std::size_t k = 0; k < dims.size(); ++k) text += (k ? " x " : "") + std::to_string(dims[k]);
    return text;
}

/// Fills `buffer` or throws "premature end of file": `what` needs `needed` bytes in all,
/// of which `already_read` were read before this call.
void read_exactly(GzipFileReader& reader, std::span<std::uint8_t> buffer, std::size_t already_read, std::size_t needed,
                  const std::string& what) {
    const std::size_t got = reader.read(buffer);
    if (got < buffer.size())
        throw InputError(reader.file().string() + ": premature end of file: " + what + " needs " +
                         std::to_string(needed) + " bytes, only " + std::to_string(already_read + got) +
                         " could be read" +
                         (reader.ended_inside_gzip_stream() ? " (the gzip stream is cut short)" : ""));
}

struct IdxArray {
    std::vector<Index> dims;
    std::vector<std::uint8_t> values;
};

IdxArray read_idx_ubyte(const std::filesystem::path& file, std::uint8_t expected_rank,
                        const std::string& missing_hint) {
    GzipFileReader reader(file, missing_hint);
    const std::string name = file.string();
    const std::uint32_t expected_magic = (std::uint32_t{idx_type_unsigned_byte} << 8) | expected_rank;
    const std::string expected_text = hex32(expected_magic) + " (IDX, unsigned bytes, " +
                                      std::to_string(expected_rank) +
                                      (expected_rank == 1 ? " dimension)" : " dimensions)");

    std::array<std::uint8_t, 4> magic_bytes{};
    read_exactly(reader, magic_bytes, 0, magic_bytes.size(), "the IDX magic number");
    const std::uint32_t magic = big_endian_32(magic_bytes.data());
    if (magic_bytes[0] != 0 || magic_bytes[1] != 0 || magic_bytes[2] != idx_type_unsigned_byte)
        throw InputError(name + ": bad magic number " + hex32(magic) + ", expected " + expected_text +
                         "; this is not an IDX file of unsigned bytes");
    if (magic_bytes[3] != expected_rank)
        throw InputError(name + ": wrong number of dimensions: the magic number " + hex32(magic) + " declares " +
                         std::to_string(magic_bytes[3]) + (magic_bytes[3] == 1 ? " dimension" : " dimensions") +
                         ", expected " + expected_text);

    std::vector<std::uint8_t> size_bytes(4 * std::size_t{expected_rank});
    const std::size_t header_bytes = magic_bytes.size() + size_bytes.size();
    read_exactly(reader, size_bytes, magic_bytes.size(), header_bytes, "the IDX header");
    IdxArray array;
    std::uint64_t total = 1;
    for (std::size_t k = 0; k < expected_rank; ++k) {
        const std::uint32_t size = big_endian_32(size_bytes.data() + 4 * k);
        if (size > 0x7FFFFFFFu)
            throw InputError(name + ": dimension " + std::to_string(k) + " has size " + hex32(size) +
                             ", negative as a signed 32-bit integer");
        array.dims.push_back(static_cast<Index>(size));
        // total <= 2^32 and size < 2^31 here, so the product cannot overflow.
        total *= size;
        if (total > idx_max_data_bytes) {
            for (std::size_t rest = k + 1; rest < expected_rank; ++rest)
                array.dims.push_back(static_cast<Index>(big_endian_32(size_bytes.data() + 4 * rest)));
            throw InputError(name + ": the header declares sizes " + dims_text(array.dims) +
                             ", more than the limit of " + std::to_string(idx_max_data_bytes) +
                             " data bytes (idx_max_data_bytes); the header is corrupt or the file is not IDX");
        }
    }

    const std::string data_what = "the data declared by the header (" + dims_text(array.dims) + ")";
    const std::size_t data_bytes = static_cast<std::size_t>(total);
    while (array.values.size() < data_bytes) {
        const std::size_t done = array.values.size();
        array.values.resize(std::min(data_bytes, done + read_chunk_bytes));
        read_exactly(reader, std::span(array.values).subspan(done), done, data_bytes, data_what);
    }
    // One more read: it must find the end, which also makes zlib check the gzip trailer.
    std::uint8_t extra = 0;
    const std::size_t extra_read = reader.read(std::span(&extra, 1));
    if (extra_read == 0 && reader.ended_inside_gzip_stream())
        throw InputError(name +
                         ": premature end of file: the data is complete but the gzip stream is cut short "
                         "before its trailer (CRC-32 and length)");
    if (extra_read != 0)
        throw InputError(name + ": the file continues after the " + std::to_string(header_bytes) +
                         " header bytes and " + std::to_string(data_bytes) + " data bytes that the header (" +
                         dims_text(array.dims) + ") declares");
    return array;
}

}  // namespace

IdxImages read_idx_images(const std::filesystem::path& file, const std::string& missing_hint) {
    IdxArray array = read_idx_ubyte(file, 3, missing_hint);
    IdxImages images;
    images.count = array.dims[0];
    images.rows = array.dims[1];
    images.cols = array.dims[2];
    images.pixels = std::move(array.values);
    return images;
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& file, const std::string& missing_hint) {
    return read_idx_ubyte(file, 1, missing_hint).values;
}

}  // namespace ncverify
