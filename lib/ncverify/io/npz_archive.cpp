#include "ncverify/io/npz_archive.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <span>
#include <string_view>

#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

// Record signatures and fixed sizes of PKWARE's APPNOTE.TXT.
constexpr std::uint32_t local_header_signature = 0x04034b50;
constexpr std::uint32_t central_header_signature = 0x02014b50;
constexpr std::uint32_t end_record_signature = 0x06054b50;
constexpr std::uint32_t zip64_end_record_signature = 0x06064b50;
constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
constexpr std::uint64_t local_header_bytes = 30;
constexpr std::uint64_t central_header_bytes = 46;
constexpr std::uint64_t end_record_bytes = 22;
constexpr std::uint64_t zip64_end_record_bytes = 56;
constexpr std::uint64_t zip64_locator_bytes = 20;
constexpr std::uint64_t max_comment_bytes = 0xFFFF;
constexpr std::uint16_t zip64_extra_id = 0x0001;
constexpr std::uint16_t method_stored = 0;
constexpr std::uint16_t method_deflate = 8;
constexpr std::uint16_t flag_encrypted = 0x0001;
constexpr std::uint16_t flag_strong_encryption = 0x0040;
constexpr std::string_view npy_suffix = ".npy";
constexpr std::array<std::uint8_t, 6> npy_magic = {0x93, 'N', 'U', 'M', 'P', 'Y'};
// An inflated member grows by at least this much at a time (then doubling).
constexpr std::size_t inflate_first_chunk = std::size_t{1} << 16;

using Bytes = std::span<const std::uint8_t>;

std::uint16_t u16(Bytes bytes, std::uint64_t offset) {
    return static_cast<std::uint16_t>(bytes[offset] | (bytes[offset + 1] << 8));
}
std::uint32_t u32(Bytes bytes, std::uint64_t offset) {
    return std::uint32_t{u16(bytes, offset)} | (std::uint32_t{u16(bytes, offset + 2)} << 16);
}
std::uint64_t u64(Bytes bytes, std::uint64_t offset) {
    return std::uint64_t{u32(bytes, offset)} | (std::uint64_t{u32(bytes, offset + 4)} << 32);
}

/// True when [offset, offset + length) lies inside [0, limit).
bool fits(std::uint64_t offset, std::uint64_t length, std::uint64_t limit) {
    return offset <= limit && length <= limit - offset;
}

std::string hex32(std::uint32_t value) { return fmt::format("0x{:08X}", value); }

std::string method_name(std::uint16_t method) {
    switch (method) {
        case 1:
            return "shrink";
        case 6:
            return "implode";
        case 9:
            return "deflate64";
        case 12:
            return "bzip2";
        case 14:
            return "lzma";
        case 93:
            return "zstandard";
        case 95:
            return "xz";
        default:
            return "unknown";
    }
}

/// One central directory entry, with the ZIP64 values substituted.
struct Member {
    std::string name;
    std::string label;  // "<file>: array "NAME"", or "<file>: member "NAME"" when not *.npy
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressed_size = 0;
    std::uint64_t uncompressed_size = 0;
    std::uint64_t local_header_offset = 0;
};

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& file) {
    const std::string name = file.string();
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(file, error);
    if (!std::filesystem::exists(status)) throw InputError(fmt::format("{}: file not found", name));
    if (!std::filesystem::is_regular_file(status)) throw InputError(fmt::format("{}: not a regular file", name));
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error) throw InputError(fmt::format("{}: cannot read ({})", name, error.message()));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot open ({})", name, std::strerror(errno)));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        throw InputError(fmt::format("{}: read error: {} of {} bytes could be read", name, in.gcount(), size));
    return bytes;
}

/// Where the central directory is, from the end records.
struct CentralDirectory {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t entries = 0;
    std::uint64_t end = 0;  // where the records after it start (ZIP64 end record or end record)
};

CentralDirectory locate_central_directory(Bytes bytes, const std::string& file) {
    const std::uint64_t size = bytes.size();
    // The end record is the last 22 bytes before a comment of up to 65535 bytes; its
    // comment length must reach the end of the file exactly.
    std::optional<std::uint64_t> end_record;
    if (size >= end_record_bytes) {
        const std::uint64_t lowest =
            size - end_record_bytes > max_comment_bytes ? size - end_record_bytes - max_comment_bytes : 0;
        for (std::uint64_t pos = size - end_record_bytes + 1; pos-- > lowest;)
            if (u32(bytes, pos) == end_record_signature && u16(bytes, pos + 20) == size - pos - end_record_bytes) {
                end_record = pos;
                break;
            }
    }
    if (!end_record) {
        if (size >= npy_magic.size() && std::equal(npy_magic.begin(), npy_magic.end(), bytes.begin()))
            throw InputError(
                fmt::format("{}: this is a .npy file, not an .npz archive (read it as a .npy file)", file));
        throw InputError(
            fmt::format("{}: not an .npz archive, or truncated: no ZIP end-of-central-directory record "
                        "at its end ({} bytes in all); an .npz file is the ZIP archive written by "
                        "np.savez or np.savez_compressed",
                        file, size));
    }
    const std::uint64_t pos = *end_record;
    CentralDirectory directory;
    std::uint64_t disk = u16(bytes, pos + 4);
    std::uint64_t directory_disk = u16(bytes, pos + 6);
    std::uint64_t entries_on_disk = u16(bytes, pos + 8);
    directory.entries = u16(bytes, pos + 10);
    directory.size = u32(bytes, pos + 12);
    directory.offset = u32(bytes, pos + 16);
    directory.end = pos;
    const bool saturated = disk == 0xFFFF || directory_disk == 0xFFFF || entries_on_disk == 0xFFFF ||
                           directory.entries == 0xFFFF || directory.size == 0xFFFFFFFF ||
                           directory.offset == 0xFFFFFFFF;
    const bool has_locator =
        pos >= zip64_locator_bytes && u32(bytes, pos - zip64_locator_bytes) == zip64_locator_signature;
    if (has_locator) {
        const std::uint64_t locator = pos - zip64_locator_bytes;
        const std::uint64_t record = u64(bytes, locator + 8);
        const std::uint32_t total_disks = u32(bytes, locator + 16);
        if (u32(bytes, locator + 4) != 0 || total_disks > 1)
            throw InputError(
                fmt::format("{}: the archive spans {} disks (a multi-part ZIP); only single-file "
                            "archives are read",
                            file, total_disks));
        if (!fits(record, zip64_end_record_bytes, locator) || u32(bytes, record) != zip64_end_record_signature)
            throw InputError(
                fmt::format("{}: the ZIP64 locator points to offset {}, where there is no ZIP64 "
                            "end-of-central-directory record; the archive is corrupt",
                            file, record));
        disk = u32(bytes, record + 16);
        directory_disk = u32(bytes, record + 20);
        entries_on_disk = u64(bytes, record + 24);
        directory.entries = u64(bytes, record + 32);
        directory.size = u64(bytes, record + 40);
        directory.offset = u64(bytes, record + 48);
        directory.end = record;
    } else if (saturated) {
        throw InputError(
            fmt::format("{}: the end-of-central-directory record has ZIP64 markers (0xFFFF or "
                        "0xFFFFFFFF) but no ZIP64 locator precedes it; the archive is corrupt",
                        file));
    }
    if (disk != 0 || directory_disk != 0 || entries_on_disk != directory.entries)
        throw InputError(
            fmt::format("{}: the archive spans several disks (a multi-part ZIP); only single-file "
                        "archives are read",
                        file));
    if (!fits(directory.offset, directory.size, directory.end))
        throw InputError(
            fmt::format("{}: the central directory ({} bytes at offset {}) does not fit before the end "
                        "records at offset {}; the archive is truncated or corrupt",
                        file, directory.size, directory.offset, directory.end));
    return directory;
}

/// Substitutes the ZIP64 extra field's values for the fields saturated at 0xFFFFFFFF, in
/// APPNOTE's order: uncompressed size, compressed size, local header offset.
void apply_zip64_extra(Member& member, Bytes extra, const std::string& file) {
    const bool need_uncompressed = member.uncompressed_size == 0xFFFFFFFF;
    const bool need_compressed = member.compressed_size == 0xFFFFFFFF;
    const bool need_offset = member.local_header_offset == 0xFFFFFFFF;
    if (!need_uncompressed && !need_compressed && !need_offset) return;
    std::uint64_t pos = 0;
    while (pos + 4 <= extra.size()) {
        const std::uint16_t id = u16(extra, pos);
        const std::uint16_t length = u16(extra, pos + 2);
        if (!fits(pos + 4, length, extra.size())) break;
        if (id == zip64_extra_id) {
            const std::uint64_t needed = 8 * (std::uint64_t{need_uncompressed} + need_compressed + need_offset);
            if (length < needed)
                throw InputError(
                    fmt::format("{}: member \"{}\": its ZIP64 extra field has {} bytes, {} needed for "
                                "the fields marked 0xFFFFFFFF; the archive is corrupt",
                                file, member.name, length, needed));
            std::uint64_t field = pos + 4;
            const auto next = [&] {
                const std::uint64_t value = u64(extra, field);
                field += 8;
                return value;
            };
            if (need_uncompressed) member.uncompressed_size = next();
            if (need_compressed) member.compressed_size = next();
            if (need_offset) member.local_header_offset = next();
            return;
        }
        pos += 4 + std::uint64_t{length};
    }
    throw InputError(
        fmt::format("{}: member \"{}\": sizes or offset marked 0xFFFFFFFF (ZIP64) but no ZIP64 extra "
                    "field; the archive is corrupt",
                    file, member.name));
}

std::vector<Member> read_central_directory(Bytes bytes, const CentralDirectory& directory, const std::string& file) {
    std::vector<Member> members;
    std::map<std::string, std::uint64_t> first_entry;  // member name -> index of its entry
    std::uint64_t pos = directory.offset;
    const std::uint64_t limit = directory.offset + directory.size;
    for (std::uint64_t index = 0; index < directory.entries; ++index) {
        if (!fits(pos, central_header_bytes, limit) || u32(bytes, pos) != central_header_signature)
            throw InputError(
                fmt::format("{}: central directory entry {} of {} (offset {}) is missing or has a bad "
                            "signature; the archive is corrupt",
                            file, index, directory.entries, pos));
        Member member;
        member.flags = u16(bytes, pos + 8);
        member.method = u16(bytes, pos + 10);
        member.crc = u32(bytes, pos + 16);
        member.compressed_size = u32(bytes, pos + 20);
        member.uncompressed_size = u32(bytes, pos + 24);
        const std::uint64_t name_length = u16(bytes, pos + 28);
        const std::uint64_t extra_length = u16(bytes, pos + 30);
        const std::uint64_t comment_length = u16(bytes, pos + 32);
        member.local_header_offset = u32(bytes, pos + 42);
        const std::uint64_t variable = name_length + extra_length + comment_length;
        if (!fits(pos + central_header_bytes, variable, limit))
            throw InputError(
                fmt::format("{}: central directory entry {} runs past the end of the central "
                            "directory; the archive is corrupt",
                            file, index));
        const std::uint64_t name_pos = pos + central_header_bytes;
        member.name.assign(reinterpret_cast<const char*>(bytes.data() + name_pos), name_length);
        apply_zip64_extra(member, bytes.subspan(name_pos + name_length, extra_length), file);
        pos = name_pos + variable;

        const bool is_npy =
            member.name.size() >= npy_suffix.size() && std::string_view(member.name).ends_with(npy_suffix);
        if (!is_npy)
            throw InputError(
                fmt::format("{}: member \"{}\" is not a .npy array; an .npz archive holds only members "
                            "NAME.npy, as np.savez writes them",
                            file, member.name));
        member.label =
            fmt::format("{}: array \"{}\"", file, member.name.substr(0, member.name.size() - npy_suffix.size()));
        const auto [previous, inserted] = first_entry.emplace(member.name, index);
        if (!inserted)
            throw InputError(
                fmt::format("{}: duplicate member name \"{}\" (central directory entries {} and {}); "
                            "each array of an .npz archive must have its own name",
                            member.label, member.name, previous->second, index));
        if ((member.flags & (flag_encrypted | flag_strong_encryption)) != 0)
            throw InputError(fmt::format("{}: the member is encrypted; encrypted archives are not read", member.label));
        if (member.method != method_stored && member.method != method_deflate)
            throw InputError(
                fmt::format("{}: compression method {} ({}) is not supported; np.savez stores members "
                            "(method 0) and np.savez_compressed deflates them (method 8)",
                            member.label, member.method, method_name(member.method)));
        members.push_back(std::move(member));
    }
    return members;
}

/// The member's compressed bytes inside the archive, after checking its local header.
Bytes member_data(Bytes bytes, const Member& member, std::uint64_t data_limit) {
    const std::uint64_t pos = member.local_header_offset;
    if (!fits(pos, local_header_bytes, data_limit) || u32(bytes, pos) != local_header_signature)
        throw InputError(
            fmt::format("{}: no local header at offset {}, where the central directory places the "
                        "member; the archive is truncated or corrupt",
                        member.label, pos));
    const std::uint16_t method = u16(bytes, pos + 8);
    const std::uint64_t name_length = u16(bytes, pos + 26);
    const std::uint64_t extra_length = u16(bytes, pos + 28);
    if (!fits(pos + local_header_bytes, name_length + extra_length, data_limit))
        throw InputError(
            fmt::format("{}: the local header at offset {} runs past the member data area; the "
                        "archive is truncated or corrupt",
                        member.label, pos));
    const std::string_view local_name(reinterpret_cast<const char*>(bytes.data() + pos + local_header_bytes),
                                      name_length);
    if (local_name != member.name || method != member.method)
        throw InputError(
            fmt::format("{}: the local header at offset {} (name \"{}\", method {}) disagrees with the "
                        "central directory (name \"{}\", method {}); the archive is corrupt",
                        member.label, pos, local_name, method, member.name, member.method));
    const std::uint64_t data = pos + local_header_bytes + name_length + extra_length;
    if (!fits(data, member.compressed_size, data_limit))
        throw InputError(
            fmt::format("{}: the member's {} bytes of data at offset {} run past the member data area "
                        "(which ends at offset {}); the archive is truncated or corrupt",
                        member.label, member.compressed_size, data, data_limit));
    return bytes.subspan(data, member.compressed_size);
}

/// Inflates a raw deflate stream that must produce exactly `declared` bytes. The output
/// grows with what zlib produces (doubling), never beyond declared + 1 bytes.
std::vector<std::uint8_t> inflate_member(Bytes compressed, std::uint64_t declared, const std::string& label) {
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
        throw InputError(fmt::format("{}: cannot start zlib's inflate (out of memory)", label));
    struct InflateEnd {
        z_stream* stream;
        ~InflateEnd() { inflateEnd(stream); }
    } end_inflate{&stream};

    const std::uint64_t capacity_limit = declared == UINT64_MAX ? declared : declared + 1;
    std::vector<std::uint8_t> out;
    std::uint64_t produced = 0;
    std::uint64_t fed = 0;
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        if (stream.avail_in == 0 && fed < compressed.size()) {
            const std::uint64_t piece = std::min<std::uint64_t>(compressed.size() - fed, UINT_MAX);
            stream.next_in = const_cast<Bytef*>(compressed.data() + fed);
            stream.avail_in = static_cast<uInt>(piece);
            fed += piece;
        }
        if (produced == out.size()) {
            if (out.size() >= capacity_limit) break;  // more output than declared
            const std::uint64_t grown = std::max<std::uint64_t>(2 * out.size(), inflate_first_chunk);
            out.resize(static_cast<std::size_t>(std::min(grown, capacity_limit)));
        }
        const auto room = static_cast<uInt>(std::min<std::uint64_t>(out.size() - produced, UINT_MAX));
        stream.next_out = out.data() + produced;
        stream.avail_out = room;
        status = inflate(&stream, Z_NO_FLUSH);
        produced += room - stream.avail_out;
        if (status == Z_DATA_ERROR || status == Z_NEED_DICT)
            throw InputError(fmt::format("{}: corrupt deflate stream ({}); the archive is corrupt", label,
                                         stream.msg != nullptr ? stream.msg : "invalid data"));
        if (status == Z_MEM_ERROR) throw InputError(fmt::format("{}: out of memory while inflating", label));
        if (status == Z_BUF_ERROR && stream.avail_in == 0 && fed == compressed.size() && stream.avail_out != 0)
            throw InputError(
                fmt::format("{}: the deflate stream is cut short: its {} compressed bytes end before "
                            "the stream does ({} bytes inflated); the archive is truncated or corrupt",
                            label, compressed.size(), produced));
    }
    if (produced != declared)
        throw InputError(fmt::format(
            "{}: the member inflates to {}{} bytes, but the central directory declares {}; "
            "the archive is corrupt",
            label, produced > declared ? "more than " : "", produced > declared ? declared : produced, declared));
    if (stream.avail_in != 0 || fed != compressed.size())
        throw InputError(
            fmt::format("{}: the deflate stream ends after {} of the member's {} compressed bytes; the "
                        "archive is corrupt",
                        label, fed - stream.avail_in, compressed.size()));
    out.resize(static_cast<std::size_t>(produced));
    return out;
}

}  // namespace

const NpyArray* NpzArchive::find(const std::string& name) const {
    const auto found = std::find_if(arrays.begin(), arrays.end(), [&](const NpyArray& a) { return a.name == name; });
    return found == arrays.end() ? nullptr : &*found;
}

const NpyArray& NpzArchive::at(const std::string& name) const {
    if (const NpyArray* array = find(name)) return *array;
    throw InputError(
        fmt::format("{}: no array \"{}\"; the archive holds {}", file.string(), name,
                    arrays.empty() ? std::string("no arrays") : fmt::format("{}", fmt::join(names(), ", "))));
}

std::vector<std::string> NpzArchive::names() const {
    std::vector<std::string> result;
    for (const NpyArray& array : arrays) result.push_back(array.name);
    return result;
}

NpzArchive read_npz_archive(const std::filesystem::path& file) {
    const std::string name = file.string();
    const std::vector<std::uint8_t> content = read_whole_file(file);
    const Bytes bytes(content);
    const CentralDirectory directory = locate_central_directory(bytes, name);
    const std::vector<Member> members = read_central_directory(bytes, directory, name);

    NpzArchive archive;
    archive.file = file;
    for (const Member& member : members) {
        // Member data lies before the central directory.
        const Bytes stored = member_data(bytes, member, directory.offset);
        std::vector<std::uint8_t> inflated;
        Bytes npy = stored;
        if (member.method == method_deflate) {
            inflated = inflate_member(stored, member.uncompressed_size, member.label);
            npy = inflated;
        } else if (member.compressed_size != member.uncompressed_size) {
            throw InputError(
                fmt::format("{}: the member is stored uncompressed but its compressed size {} differs "
                            "from its size {}; the archive is corrupt",
                            member.label, member.compressed_size, member.uncompressed_size));
        }
        const auto crc = static_cast<std::uint32_t>(crc32_z(0, npy.data(), npy.size()));
        if (crc != member.crc)
            throw InputError(
                fmt::format("{}: CRC-32 mismatch: the central directory records {}, the member's data "
                            "gives {}; the archive is corrupt",
                            member.label, hex32(member.crc), hex32(crc)));
        archive.arrays.push_back(
            parse_npy_bytes(npy, member.name.substr(0, member.name.size() - npy_suffix.size()), name));
    }
    return archive;
}

}  // namespace ncverify
