#pragma once
// GzipFileReader: sequential reading of a file that is either gzip-compressed or stored
// raw, through zlib (a raw file is passed through unchanged: zlib's transparent mode).
// Every error is an InputError that names the file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

struct gzFile_s;  // zlib's file state (gzFile); zlib stays a private dependency

namespace ncverify {

class GzipFileReader {
public:
    /// Opens `file`. Throws InputError "... not found" when it does not exist, and
    /// InputError when it is not a regular file or cannot be opened (with the system's
    /// reason). `missing_hint` is appended to the "not found" message (e.g. which package
    /// provides the file).
    explicit GzipFileReader(std::filesystem::path file, const std::string& missing_hint = "");
    ~GzipFileReader();
    GzipFileReader(const GzipFileReader&) = delete;
    GzipFileReader& operator=(const GzipFileReader&) = delete;

    /// Reads up to buffer.size() bytes of the (decompressed) content, continuing where the
    /// previous read stopped; returns the number read, which is smaller than buffer.size()
    /// only when the content ends. A corrupt gzip stream (bad header, invalid deflate data,
    /// CRC or length mismatch) throws InputError with zlib's diagnosis; a truncated gzip
    /// stream reads as content that ends early (see ended_inside_gzip_stream).
    std::size_t read(std::span<std::uint8_t> buffer);

    /// True once a read has hit the end of the file in the middle of a gzip stream (the
    /// file was cut short), as opposed to a complete stream or raw file.
    bool ended_inside_gzip_stream() const;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    gzFile_s* handle_ = nullptr;
};

}  // namespace ncverify
