#include "ncverify/data/gzip_file_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <utility>

#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

// zlib's internal buffer for reading: large enough that inflating tens of megabytes
// costs few system calls.
constexpr unsigned zlib_buffer_bytes = 1u << 17;

}  // namespace

GzipFileReader::GzipFileReader(std::filesystem::path file, const std::string& missing_hint) : file_(std::move(file)) {
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(file_, error);
    if (!std::filesystem::exists(status))
        throw InputError(file_.string() + ": file not found" + (missing_hint.empty() ? "" : "; " + missing_hint));
    if (!std::filesystem::is_regular_file(status)) throw InputError(file_.string() + ": not a regular file");
    errno = 0;
    handle_ = gzopen(file_.c_str(), "rb");
    if (handle_ == nullptr)
        throw InputError(file_.string() + ": cannot open (" +
                         (errno != 0 ? std::string(std::strerror(errno)) : std::string("out of memory")) + ")");
    gzbuffer(handle_, zlib_buffer_bytes);
}

GzipFileReader::~GzipFileReader() { gzclose_r(handle_); }

std::size_t GzipFileReader::read(std::span<std::uint8_t> buffer) {
    std::size_t total = 0;
    while (total < buffer.size()) {
        const unsigned request = static_cast<unsigned>(std::min<std::size_t>(buffer.size() - total, INT_MAX));
        const int got = gzread(handle_, buffer.data() + total, request);
        if (got < 0) {
            int code = Z_OK;
            std::string detail = gzerror(handle_, &code);
            const std::string zlib_prefix = file_.string() + ": ";  // zlib names the file too
            if (detail.starts_with(zlib_prefix)) detail.erase(0, zlib_prefix.size());
            throw InputError(file_.string() + ": " +
                             (code == Z_ERRNO ? "read error (" + std::string(std::strerror(errno)) + ")"
                                              : "corrupt gzip stream (" + detail + ")"));
        }
        if (got == 0) break;
        total += static_cast<std::size_t>(got);
    }
    return total;
}

bool GzipFileReader::ended_inside_gzip_stream() const {
    int code = Z_OK;
    gzerror(handle_, &code);
    return code == Z_BUF_ERROR;
}

}  // namespace ncverify
