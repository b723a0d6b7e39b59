// NumPy import: the .npy reader and the .npz reader.
//
// Three independent routes: fixtures under tests/io/data/ written by Python's standard
// library from the format specifications (make_fixtures.py; zipfile is an independent
// ZIP writer), a small writer here (NumPy's header layout, ZIP records by hand, zlib's
// raw deflate and crc32) for round-trip properties, and one test per documented error.
#include "ncverify/io/npy_file.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "data/data_test_files.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/npz_archive.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

const std::filesystem::path fixtures = NCV_NPY_FIXTURE_DIR;

using ByteVector = std::vector<std::uint8_t>;

// ---- a test-only .npy writer ------------------------------------------------------

template <class T>
void put_value(ByteVector& out, T value, bool big_endian) {
    auto bytes = std::bit_cast<std::array<std::uint8_t, sizeof(T)>>(value);
    if (big_endian != (std::endian::native == std::endian::big)) std::reverse(bytes.begin(), bytes.end());
    out.insert(out.end(), bytes.begin(), bytes.end());
}

void put_u16(ByteVector& out, std::uint64_t value) { put_value(out, static_cast<std::uint16_t>(value), false); }
void put_u32(ByteVector& out, std::uint64_t value) { put_value(out, static_cast<std::uint32_t>(value), false); }
void put_u64(ByteVector& out, std::uint64_t value) { put_value(out, value, false); }

/// The header NumPy writes: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }".
std::string npy_header_text(const std::string& dtype, bool fortran_order, const std::vector<std::int64_t>& shape) {
    std::string shape_text = "(";
    for (std::size_t k = 0; k < shape.size(); ++k) shape_text += fmt::format("{}{}", k ? ", " : "", shape[k]);
    if (shape.size() == 1) shape_text += ",";
    shape_text += ")";
    return fmt::format("{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}", dtype, fortran_order ? "True" : "False",
                       shape_text);
}

/// Magic, version, header length, the header padded with spaces and a newline so that
/// the data starts at a multiple of 64 bytes, then `data`.
ByteVector npy_file_bytes(const std::string& header_text, const ByteVector& data, int major = 1) {
    const std::size_t preamble = major == 1 ? 10 : 12;
    std::string header = header_text;
    while ((preamble + header.size() + 1) % 64 != 0) header += ' ';
    header += '\n';
    ByteVector out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<std::uint8_t>(major), 0};
    if (major == 1)
        put_u16(out, header.size());
    else
        put_u32(out, header.size());
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

/// An array to write: `values` row-major, converted to `dtype` exactly (the caller
/// chooses values representable in it).
struct NpyCase {
    std::string dtype = "<f8";
    bool fortran_order = false;
    std::vector<std::int64_t> shape;
    std::vector<double> values;
    int major = 1;
};

ByteVector npy_data_bytes(const NpyCase& c) {
    const bool big = c.dtype[0] == '>';
    const std::string type = c.dtype.substr(1);
    const bool transpose = c.fortran_order && c.shape.size() == 2;
    const std::size_t rows = c.shape.size() == 2 ? static_cast<std::size_t>(c.shape[0]) : 0;
    const std::size_t cols = c.shape.size() == 2 ? static_cast<std::size_t>(c.shape[1]) : 0;
    ByteVector data;
    for (std::size_t k = 0; k < c.values.size(); ++k) {
        // File element k is entry (k % rows, k / rows) in Fortran order.
        const double v = c.values[transpose ? (k % rows) * cols + k / rows : k];
        if (type == "f4")
            put_value(data, static_cast<float>(v), big);
        else if (type == "f8")
            put_value(data, v, big);
        else if (type == "i4")
            put_value(data, static_cast<std::int32_t>(v), big);
        else
            put_value(data, static_cast<std::int64_t>(v), big);
    }
    return data;
}

ByteVector npy_bytes(const NpyCase& c) {
    return npy_file_bytes(npy_header_text(c.dtype, c.fortran_order, c.shape), npy_data_bytes(c), c.major);
}

/// "<f8", C order, the given shape and row-major values.
ByteVector npy_f8(const std::vector<std::int64_t>& shape, const std::vector<double>& values) {
    return npy_bytes(NpyCase{"<f8", false, shape, values, 1});
}

// ---- a test-only ZIP writer -------------------------------------------------------

ByteVector raw_deflate(const ByteVector& input) {
    z_stream stream{};
    EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    ByteVector out(deflateBound(&stream, static_cast<uLong>(input.size())));
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

struct ZipEntry {
    std::string name;
    ByteVector content;
};

/// The archive and where its parts are, for the corruption tests.
struct ZipImage {
    ByteVector bytes;
    std::vector<std::size_t> local_offsets;
    std::vector<std::size_t> data_offsets;
    std::vector<std::size_t> data_sizes;
    std::vector<std::size_t> central_offsets;
};

/// A ZIP archive as np.savez (stored) or np.savez_compressed (deflate) writes it. With
/// `zip64`, every size and offset goes through ZIP64 fields: local headers with a ZIP64
/// extra (as NumPy writes them), central entries with sizes and offset 0xFFFFFFFF and a
/// ZIP64 extra, the ZIP64 end record and locator, and a saturated end record.
ZipImage zip_archive(const std::vector<ZipEntry>& entries, bool deflate, bool zip64 = false) {
    ZipImage image;
    ByteVector& out = image.bytes;
    std::vector<std::uint32_t> crcs;
    std::vector<ByteVector> stored;
    for (const ZipEntry& entry : entries) {
        crcs.push_back(
            static_cast<std::uint32_t>(crc32(0, entry.content.data(), static_cast<uInt>(entry.content.size()))));
        stored.push_back(deflate ? raw_deflate(entry.content) : entry.content);
        image.local_offsets.push_back(out.size());
        put_u32(out, 0x04034b50);
        put_u16(out, zip64 ? 45 : 20);
        put_u16(out, 0);                // flags
        put_u16(out, deflate ? 8 : 0);  // method
        put_u16(out, 0);                // time
        put_u16(out, 0x21);             // date: 1980-01-01
        put_u32(out, crcs.back());
        put_u32(out, zip64 ? 0xFFFFFFFF : stored.back().size());
        put_u32(out, zip64 ? 0xFFFFFFFF : entry.content.size());
        put_u16(out, entry.name.size());
        put_u16(out, zip64 ? 20 : 0);
        out.insert(out.end(), entry.name.begin(), entry.name.end());
        if (zip64) {
            put_u16(out, 0x0001);
            put_u16(out, 16);
            put_u64(out, entry.content.size());
            put_u64(out, stored.back().size());
        }
        image.data_offsets.push_back(out.size());
        image.data_sizes.push_back(stored.back().size());
        out.insert(out.end(), stored.back().begin(), stored.back().end());
    }
    const std::size_t central_offset = out.size();
    for (std::size_t k = 0; k < entries.size(); ++k) {
        image.central_offsets.push_back(out.size());
        put_u32(out, 0x02014b50);
        put_u16(out, zip64 ? 45 : 20);  // made by
        put_u16(out, zip64 ? 45 : 20);  // needed
        put_u16(out, 0);
        put_u16(out, deflate ? 8 : 0);
        put_u16(out, 0);
        put_u16(out, 0x21);
        put_u32(out, crcs[k]);
        put_u32(out, zip64 ? 0xFFFFFFFF : stored[k].size());
        put_u32(out, zip64 ? 0xFFFFFFFF : entries[k].content.size());
        put_u16(out, entries[k].name.size());
        put_u16(out, zip64 ? 28 : 0);
        put_u16(out, 0);  // comment
        put_u16(out, 0);  // disk
        put_u16(out, 0);  // internal attributes
        put_u32(out, 0);  // external attributes
        put_u32(out, zip64 ? 0xFFFFFFFF : image.local_offsets[k]);
        out.insert(out.end(), entries[k].name.begin(), entries[k].name.end());
        if (zip64) {
            put_u16(out, 0x0001);
            put_u16(out, 24);
            put_u64(out, entries[k].content.size());
            put_u64(out, stored[k].size());
            put_u64(out, image.local_offsets[k]);
        }
    }
    const std::size_t central_size = out.size() - central_offset;
    if (zip64) {
        const std::size_t record = out.size();
        put_u32(out, 0x06064b50);
        put_u64(out, 44);
        put_u16(out, 45);
        put_u16(out, 45);
        put_u32(out, 0);
        put_u32(out, 0);
        put_u64(out, entries.size());
        put_u64(out, entries.size());
        put_u64(out, central_size);
        put_u64(out, central_offset);
        put_u32(out, 0x07064b50);
        put_u32(out, 0);
        put_u64(out, record);
        put_u32(out, 1);
    }
    put_u32(out, 0x06054b50);
    put_u16(out, 0);
    put_u16(out, 0);
    put_u16(out, zip64 ? 0xFFFF : entries.size());
    put_u16(out, zip64 ? 0xFFFF : entries.size());
    put_u32(out, zip64 ? 0xFFFFFFFF : central_size);
    put_u32(out, zip64 ? 0xFFFFFFFF : central_offset);
    put_u16(out, 0);
    return image;
}

void patch_u16(ByteVector& bytes, std::size_t offset, std::uint16_t value) {
    bytes[offset] = static_cast<std::uint8_t>(value);
    bytes[offset + 1] = static_cast<std::uint8_t>(value >> 8);
}

/// Two small arrays as np.savez would store them.
std::vector<ZipEntry> two_members() {
    return {{"W1.npy", npy_f8({2, 2}, {1, 2, 3, 4})}, {"y.npy", npy_bytes(NpyCase{"<i8", false, {3}, {0, 1, 1}, 1})}};
}

std::string bit_text(double x) { return fmt::format("{:a}", x); }

void expect_values(const NpyArray& array, const std::vector<double>& expected) {
    ASSERT_EQ(array.values.size(), expected.size()) << array.name;
    for (std::size_t k = 0; k < expected.size(); ++k)
        EXPECT_EQ(std::bit_cast<std::uint64_t>(array.values[k]), std::bit_cast<std::uint64_t>(expected[k]))
            << array.name << " value " << k << ": " << bit_text(array.values[k]) << " vs " << bit_text(expected[k]);
}

std::string npy_error(const std::filesystem::path& file) {
    return error_message<InputError>([&] { read_npy_file(file); });
}

std::string npz_error(const std::filesystem::path& file) {
    return error_message<InputError>([&] { read_npz_archive(file); });
}

}  // namespace

// ---- fixtures written independently (tests/io/data/make_fixtures.py) ------------------

TEST(NpyFile, ReadsIndependentFixtures) {
    const NpyArray w = read_npy_file(fixtures / "weights_f8_c.npy");
    EXPECT_EQ(w.name, "weights_f8_c");
    EXPECT_EQ(w.source, (fixtures / "weights_f8_c.npy").string());
    EXPECT_EQ(w.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_FALSE(w.fortran_order);
    EXPECT_EQ(w.dtype, "<f8");
    EXPECT_FALSE(w.is_integer());
    expect_values(w, {1.5, -2.25, 3.0, 0.1, 1e-300, -7.0});
    const Matrix<double> m = npy_to_matrix(w);
    ASSERT_EQ(m.rows(), 2);
    ASSERT_EQ(m.cols(), 3);
    EXPECT_EQ(m(1, 0), 0.1);
    EXPECT_EQ(m(0, 2), 3.0);

    // Big-endian float32 in Fortran order: values row-major, each float widened exactly.
    const NpyArray f = read_npy_file(fixtures / "weights_f4_fortran_be.npy");
    EXPECT_EQ(f.shape, (std::vector<std::int64_t>{3, 2}));
    EXPECT_TRUE(f.fortran_order);
    EXPECT_EQ(f.dtype, ">f4");
    expect_values(f, {0.1f, -1.0f, 2.5f, 3.0e-8f, 65504.0f, -0.0f});
    EXPECT_TRUE(std::signbit(npy_to_matrix(f)(2, 1)));

    const NpyArray y = read_npy_file(fixtures / "labels_i8.npy");
    EXPECT_TRUE(y.is_integer());
    EXPECT_EQ(npy_to_labels(y), (std::vector<Index>{0, 0, 1, 1, 2}));
}

TEST(NpyFile, ReadsFormatVersions2And3AndOldHeaders) {
    const NpyArray v2 = read_npy_file(fixtures / "labels_i4_v2.npy");
    EXPECT_EQ(v2.dtype, "<i4");
    EXPECT_EQ(npy_to_labels(v2), (std::vector<Index>{3, -1, 0, 2147483647}));

    const NpyArray v3 = read_npy_file(fixtures / "counts_i8_fortran_be_v3.npy");
    EXPECT_EQ(v3.dtype, ">i8");
    EXPECT_TRUE(v3.fortran_order);
    expect_values(v3, {1, 2, 3, 4});

    // 16-byte alignment, Python 2 longs "(3L,)", no trailing comma.
    const NpyArray legacy = read_npy_file(fixtures / "legacy_header.npy");
    EXPECT_EQ(legacy.shape, (std::vector<std::int64_t>{3}));
    EXPECT_EQ(npy_to_vector(legacy), (Vector<double>(3) << 1, 2, 3).finished());
}

TEST(NpyFile, ErrorFixtures) {
    expect_mentions(error_message<NonFiniteValue>([] { read_npy_file(fixtures / "nan_f4.npy"); }),
                    {(fixtures / "nan_f4.npy").string(), "array \"nan_f4\"", "entry (1, 0) is nan"});
    expect_mentions(npy_error(fixtures / "half_f2.npy"),
                    {"array \"half_f2\"", "unsupported dtype '<f2' (float16, half precision)", "'<f8'"});
    expect_mentions(npy_error(fixtures / "object.npy"),
                    {"array \"object\"", "unsupported dtype '|O' (Python objects, stored pickled)"});
}

TEST(NpzArchive, ReadsArchivesWrittenByPythonZipfile) {
    for (const char* file : {"network.npz", "network_compressed.npz"}) {
        SCOPED_TRACE(file);
        const NpzArchive archive = read_npz_archive(fixtures / file);
        EXPECT_EQ(archive.names(), (std::vector<std::string>{"W1", "W2", "X", "y"}));
        const NpyArray& w1 = archive.at("W1");
        EXPECT_EQ(w1.source, (fixtures / file).string());
        EXPECT_EQ(npy_to_matrix(w1), (Matrix<double>(3, 2) << 1.0, -0.5, 0.25, 2.0, -3.0, 0.125).finished());
        EXPECT_TRUE(archive.at("W2").fortran_order);
        EXPECT_EQ(npy_to_matrix(archive.at("W2")),
                  (Matrix<double>(2, 3) << 0.5, 1.5, -1.0, 2.0, -0.75, 0.0625).finished());
        EXPECT_EQ(npy_to_matrix(archive.at("X")),
                  (Matrix<double>(2, 4) << 0.1, 0.2, 0.3, 0.4, -1.0, -2.0, -3.0, -4.0).finished());
        EXPECT_EQ(npy_to_labels(archive.at("y")), (std::vector<Index>{0, 0, 1, 1}));
        EXPECT_TRUE(archive.contains("X"));
        EXPECT_FALSE(archive.contains("X.npy"));
    }
    // ZIP64 extra fields in the central directory, the ZIP64 end record and a saturated
    // classic end record.
    const NpzArchive zip64 = read_npz_archive(fixtures / "zip64.npz");
    EXPECT_EQ(zip64.names(), (std::vector<std::string>{"W1", "W2"}));
    EXPECT_EQ(npy_to_matrix(zip64.at("W2")), (Matrix<double>(2, 3) << 0.5, 1.5, -1.0, 2.0, -0.75, 0.0625).finished());

    expect_mentions(npz_error(fixtures / "bad_crc.npz"),
                    {(fixtures / "bad_crc.npz").string(), "array \"W2\"", "CRC-32 mismatch"});
}

// ---- .npy: contract ------------------------------------------------------------------

TEST(NpyFile, Float32ToDoubleIsExact) {
    TempDir dir;
    // Values that need all 24 bits, the extremes, a subnormal, and both zeros.
    const std::vector<float> floats = {0.1f,
                                       1.0f / 3.0f,
                                       16777215.0f,
                                       std::numeric_limits<float>::max(),
                                       std::numeric_limits<float>::min(),
                                       std::numeric_limits<float>::denorm_min(),
                                       -0.0f,
                                       0.0f};
    std::vector<double> widened(floats.begin(), floats.end());
    for (const char* dtype : {"<f4", ">f4"}) {
        write_raw(dir / "f.npy", npy_bytes(NpyCase{dtype, false, {8}, widened, 1}));
        const NpyArray array = read_npy_file(dir / "f.npy");
        expect_values(array, widened);
        for (std::size_t k = 0; k < floats.size(); ++k)
            EXPECT_EQ(static_cast<float>(array.values[k]), floats[k]);  // the round trip is the identity
    }
}

TEST(NpyFile, HeaderVariantsOfOtherWriters) {
    TempDir dir;
    const ByteVector data = npy_data_bytes(NpyCase{"<f8", false, {2, 2}, {1, 2, 3, 4}, 1});
    for (const std::string header : {
             "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
             "{'shape': (2, 2), 'fortran_order': False, 'descr': '<f8'}",
             "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,2)}",
             "  {'descr':'<f8','fortran_order':False,'shape':(2L, 2L),}  ",
             "{'descr': '<f8',\n 'fortran_order': False,\t'shape': ( 2 , 2 , ) }",
         }) {
        SCOPED_TRACE(header);
        write_raw(dir / "a.npy", npy_file_bytes(header, data));
        const NpyArray array = read_npy_file(dir / "a.npy");
        EXPECT_EQ(array.shape, (std::vector<std::int64_t>{2, 2}));
        expect_values(array, {1, 2, 3, 4});
    }
    // Shapes () and (0, 3).
    write_raw(dir / "scalar.npy", npy_f8({}, {2.5}));
    const NpyArray scalar = read_npy_file(dir / "scalar.npy");
    EXPECT_TRUE(scalar.shape.empty());
    expect_values(scalar, {2.5});
    write_raw(dir / "empty.npy", npy_f8({0, 3}, {}));
    const Matrix<double> empty = npy_to_matrix(read_npy_file(dir / "empty.npy"));
    EXPECT_EQ(empty.rows(), 0);
    EXPECT_EQ(empty.cols(), 3);
}

TEST(NpyFile, HelpersRefuseWrongShapesAndDtypes) {
    TempDir dir;
    write_raw(dir / "v.npy", npy_f8({3}, {1, 2, 3}));
    write_raw(dir / "m.npy", npy_f8({1, 3}, {1, 2, 3}));
    const NpyArray v = read_npy_file(dir / "v.npy");
    const NpyArray m = read_npy_file(dir / "m.npy");
    expect_mentions(error_message<ShapeMismatch>([&] { npy_to_matrix(v); }),
                    {(dir / "v.npy").string(), "array \"v\"", "shape (3,) has 1 dimension", "matrix needs 2"});
    expect_mentions(error_message<ShapeMismatch>([&] { npy_to_vector(m); }),
                    {"array \"m\"", "shape (1, 3) has 2 dimensions"});
    expect_mentions(error_message<ShapeMismatch>([&] { npy_to_labels(m); }),
                    {"array \"m\"", "shape (1, 3)", "labels need 1"});
    expect_mentions(error_message<InputError>([&] { npy_to_labels(v); }),
                    {"array \"v\"", "dtype '<f8' is not an integer dtype"});
}

// ---- .npy: one test per error ----------------------------------------------------------

TEST(NpyFile, MissingFile) {
    TempDir dir;
    expect_mentions(npy_error(dir / "W1.npy"), {(dir / "W1.npy").string(), "array \"W1\"", "file not found"});
    expect_mentions(npy_error(dir.path()), {"not a regular file"});
}

TEST(NpyFile, TruncatedFile) {
    TempDir dir;
    const ByteVector full = npy_f8({2, 3}, {1, 2, 3, 4, 5, 6});
    write_raw(dir / "empty.npy", {});
    expect_mentions(npy_error(dir / "empty.npy"),
                    {"array \"empty\"", "truncated file: 0 bytes", "magic string and format version"});
    write_raw(dir / "preamble.npy", ByteVector(full.begin(), full.begin() + 9));
    expect_mentions(npy_error(dir / "preamble.npy"), {"truncated file: 9 bytes", "10 of a version 1.0 preamble"});
    write_raw(dir / "header.npy", ByteVector(full.begin(), full.begin() + 40));
    expect_mentions(npy_error(dir / "header.npy"),
                    {"truncated file: the preamble declares a header of 118 bytes, only 30 follow"});
    write_raw(dir / "data.npy", ByteVector(full.begin(), full.end() - 8));
    expect_mentions(npy_error(dir / "data.npy"),
                    {"array \"data\"", "shape (2, 3) of '<f8' needs 48 bytes of data, only 40 follow", "truncated"});
}

TEST(NpyFile, BadMagic) {
    TempDir dir;
    write_raw(dir / "text.npy", text_bytes("hello, not numpy at all"));
    expect_mentions(npy_error(dir / "text.npy"),
                    {(dir / "text.npy").string(), "array \"text\"", "bad magic string \"hello,\"", "68 65 6C 6C 6F 2C",
                     "expected \"\\x93NUMPY\"", "not a .npy file"});
    write_raw(dir / "short.npy", text_bytes("\x93NUM!"));
    expect_mentions(npy_error(dir / "short.npy"), {"bad magic string", "93 4E 55 4D 21"});
}

TEST(NpyFile, UnsupportedFormatVersion) {
    TempDir dir;
    for (const auto& [major, minor] : std::vector<std::pair<int, int>>{{4, 0}, {1, 1}, {0, 0}}) {
        ByteVector bytes = npy_f8({2}, {1, 2});
        bytes[6] = static_cast<std::uint8_t>(major);
        bytes[7] = static_cast<std::uint8_t>(minor);
        write_raw(dir / "v.npy", bytes);
        expect_mentions(npy_error(dir / "v.npy"),
                        {"array \"v\"", fmt::format("unsupported .npy format version {}.{}", major, minor),
                         "versions 1.0, 2.0 and 3.0"});
    }
}

TEST(NpyFile, UnsupportedDtypes) {
    TempDir dir;
    const ByteVector eight_bytes(8, 0);
    for (const auto& [descr, meaning] : std::vector<std::pair<std::string, std::string>>{
             {"'<f2'", "'<f2' (float16, half precision)"},
             {"'|O'", "'|O' (Python objects, stored pickled)"},
             {"'<c16'", "'<c16' (complex)"},
             {"'<c8'", "'<c8' (complex)"},
             {"'|b1'", "'|b1' (boolean)"},
             {"'<u8'", "'<u8' (unsigned integer)"},
             {"'<i2'", "'<i2' (2-byte integer)"},
             {"'<f16'", "'<f16' (long double, extended precision)"},
             {"'<U3'", "'<U3' (Unicode strings)"},
             {"'=f8'", "'=f8' (float, native byte order '='"},
             {"[('x', '<f8')]", "(a structured array: fields of several types)"},
         }) {
        SCOPED_TRACE(descr);
        write_raw(dir / "W1.npy",
                  npy_file_bytes(fmt::format("{{'descr': {}, 'fortran_order': False, 'shape': (1,), }}", descr),
                                 eight_bytes));
        expect_mentions(npy_error(dir / "W1.npy"),
                        {(dir / "W1.npy").string(), "array \"W1\"", "unsupported dtype " + meaning,
                         "supported: '<f4' '>f4' '<f8' '>f8'"});
    }
}

TEST(NpyFile, HeaderNotParseable) {
    TempDir dir;
    const ByteVector data(8, 0);
    for (const auto& [header, problem] : std::vector<std::pair<std::string, std::string>>{
             {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), ", "unexpected end of the header"},
             {"{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}", "expected ',' or '}' at offset 16"},
             {"{'descr': '<f8', 'fortran_order': false, 'shape': (1,)}", "unknown name 'false'"},
             {"{'descr' '<f8', 'fortran_order': False, 'shape': (1,)}", "expected ':' after a dictionary key"},
             {"['descr', '<f8']", "the header is a list, not a dictionary"},
             {"{'descr': '<f8', 'shape': (1,)}", "the key 'fortran_order' is missing"},
             {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unexpected key 'extra'"},
             {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}",
              "the key 'descr' appears twice"},
             {"{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}", "'fortran_order' is an integer, not True"},
             {"{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", "'shape' is a list, not a tuple"},
             {"{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", "'shape' is an integer, not a tuple"},
             {"{'descr': '<f8', 'fortran_order': False, 'shape': ('1',)}", "dimension 0 of 'shape' is a string"},
             {"{'descr': 8, 'fortran_order': False, 'shape': (1,)}", "'descr' is an integer, not a dtype string"},
             {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} junk", "unexpected text after the dictionary"},
             {std::string(100, '(') + std::string(100, ')'), "nesting too deep"},
         }) {
        SCOPED_TRACE(header);
        write_raw(dir / "W2.npy", npy_file_bytes(header, data));
        expect_mentions(npy_error(dir / "W2.npy"),
                        {(dir / "W2.npy").string(), "array \"W2\"", "header not parseable: " + problem});
    }
    // The header is quoted without its padding.
    write_raw(dir / "W2.npy", npy_file_bytes("{'descr': '<f8', 'fortran_order': false, 'shape': (1,), }", data));
    expect_mentions(npy_error(dir / "W2.npy"), {"unknown name 'false' at offset 34 of the header "
                                                "\"{'descr': '<f8', 'fortran_order': false, 'shape': (1,), }\""});
    // Shapes that parse but cannot be.
    write_raw(dir / "neg.npy", npy_file_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", data));
    expect_mentions(npy_error(dir / "neg.npy"), {"array \"neg\"", "dimension 0 of the shape is negative (-1)"});
    write_raw(dir / "big.npy", npy_file_bytes("{'descr': '<f8', 'fortran_order': False, "
                                              "'shape': (99999999999999999999,)}",
                                              data));
    expect_mentions(npy_error(dir / "big.npy"), {"99999999999999999999, does not fit in 64 bits"});
}

TEST(NpyFile, MoreThanTwoDimensions) {
    TempDir dir;
    write_raw(dir / "t.npy", npy_f8({2, 3, 4}, std::vector<double>(24, 1.0)));
    expect_mentions(error_message<ShapeMismatch>([&] { read_npy_file(dir / "t.npy"); }),
                    {(dir / "t.npy").string(), "array \"t\"", "shape (2, 3, 4) has 3 dimensions", "at most 2"});
}

TEST(NpyFile, DataSizeNotMatchingShape) {
    TempDir dir;
    ByteVector bytes = npy_f8({2, 3}, {1, 2, 3, 4, 5, 6});
    bytes.push_back(0);
    write_raw(dir / "long.npy", bytes);
    expect_mentions(npy_error(dir / "long.npy"),
                    {"array \"long\"", "data size mismatch: shape (2, 3) of '<f8' needs 48 bytes of data, but 49",
                     "continues after the data"});
    // The header says float64, the data is float32.
    write_raw(dir / "f4.npy", npy_file_bytes(npy_header_text("<f8", false, {2, 3}),
                                             npy_data_bytes(NpyCase{"<f4", false, {2, 3}, {1, 2, 3, 4, 5, 6}, 1})));
    expect_mentions(npy_error(dir / "f4.npy"), {"needs 48 bytes of data, only 24 follow"});
}

TEST(NpyFile, AbsurdShapeFailsFastWithoutAllocating) {
    TempDir dir;
    const auto start = std::chrono::steady_clock::now();
    const ByteVector data = npy_data_bytes(NpyCase{"<f8", false, {2, 3}, {1, 2, 3, 4, 5, 6}, 1});
    write_raw(dir / "rows.npy", npy_file_bytes(npy_header_text("<f8", false, {1000000000000, 3}), data));
    expect_mentions(npy_error(dir / "rows.npy"),
                    {"array \"rows\"",
                     "shape (1000000000000, 3) of '<f8' needs 24000000000000 bytes of data, only "
                     "48 follow"});
    write_raw(dir / "overflow.npy", npy_file_bytes(npy_header_text("<f8", true, {1000000000000, 1000000000000}), data));
    expect_mentions(npy_error(dir / "overflow.npy"),
                    {"shape (1000000000000, 1000000000000) of '<f8' declares more than 2^64 bytes"});
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

TEST(NpyFile, NonFiniteEntriesNameArrayAndIndex) {
    TempDir dir;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    // Fortran order: the first bad entry in row-major order is (0, 2), though (1, 0)
    // comes first in the file.
    write_raw(dir / "W3.npy", npy_bytes(NpyCase{">f8", true, {2, 3}, {1, 2, -inf, nan, 5, 6}, 1}));
    expect_mentions(error_message<NonFiniteValue>([&] { read_npy_file(dir / "W3.npy"); }),
                    {(dir / "W3.npy").string(), "array \"W3\"", "entry (0, 2) is -inf", "must be finite"});
    write_raw(dir / "b.npy", npy_bytes(NpyCase{"<f4", false, {4}, {1, 2, 3, inf}, 1}));
    expect_mentions(error_message<NonFiniteValue>([&] { read_npy_file(dir / "b.npy"); }),
                    {"array \"b\"", "entry 3 is inf"});
    write_raw(dir / "s.npy", npy_f8({}, {nan}));
    expect_mentions(error_message<NonFiniteValue>([&] { read_npy_file(dir / "s.npy"); }), {"the value is nan"});
}

TEST(NpyFile, Int64BeyondTwoTo53IsRefused) {
    TempDir dir;
    ByteVector data;
    for (const std::int64_t v : {std::int64_t{0}, (std::int64_t{1} << 53), (std::int64_t{1} << 53) + 1})
        put_value(data, v, false);
    write_raw(dir / "y.npy", npy_file_bytes(npy_header_text("<i8", false, {3}), data));
    expect_mentions(npy_error(dir / "y.npy"), {"array \"y\"", "entry 2 is 9007199254740993", "beyond 2^53"});
    // 2^53 itself is exact.
    write_raw(dir / "ok.npy", npy_bytes(NpyCase{"<i8", false, {2}, {-9007199254740992.0, 9007199254740992.0}, 1}));
    EXPECT_EQ(npy_to_labels(read_npy_file(dir / "ok.npy")), (std::vector<Index>{-9007199254740992, 9007199254740992}));
}

// ---- .npy: properties ------------------------------------------------------------------

namespace {

NpyCase random_npy_case() {
    NpyCase c;
    c.dtype = *rc::gen::element<std::string>("<f4", ">f4", "<f8", ">f8", "<i4", ">i4", "<i8", ">i8");
    const int dims = *rc::gen::inRange(0, 3);
    for (int d = 0; d < dims; ++d) c.shape.push_back(*rc::gen::inRange<std::int64_t>(0, 7));
    c.fortran_order = *rc::gen::arbitrary<bool>();
    c.major = *rc::gen::inRange(1, 4);
    std::int64_t count = 1;
    for (const std::int64_t dim : c.shape) count *= dim;
    const std::string type = c.dtype.substr(1);
    for (std::int64_t k = 0; k < count; ++k) {
        if (type == "f4")
            c.values.push_back(
                *rc::gen::suchThat(rc::gen::arbitrary<float>(), [](float x) { return std::isfinite(x); }));
        else if (type == "f8")
            c.values.push_back(
                *rc::gen::suchThat(rc::gen::arbitrary<double>(), [](double x) { return std::isfinite(x); }));
        else if (type == "i4")
            c.values.push_back(*rc::gen::arbitrary<std::int32_t>());
        else
            c.values.push_back(static_cast<double>(
                *rc::gen::inRange<std::int64_t>(-(std::int64_t{1} << 53), (std::int64_t{1} << 53) + 1)));
    }
    return c;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
               return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
           });
}

}  // namespace

// Write -> read is the identity (bit for bit, -0.0 included) for random shapes, dtypes,
// orders and format versions; every strict prefix and one extra byte are refused.
RC_GTEST_PROP(NpyFileProperties, RoundTripAndPrefixesFail, ()) {
    const NpyCase c = random_npy_case();
    const ByteVector bytes = npy_bytes(c);
    TempDir dir;
    write_raw(dir / "a.npy", bytes);
    const NpyArray array = read_npy_file(dir / "a.npy");
    RC_ASSERT(array.name == "a");
    RC_ASSERT(array.shape == c.shape);
    RC_ASSERT(array.dtype == c.dtype);
    RC_ASSERT(array.fortran_order == c.fortran_order);
    RC_ASSERT(same_bits(array.values, c.values));
    if (c.shape.size() == 2) {
        const Matrix<double> m = npy_to_matrix(array);
        for (Index i = 0; i < m.rows(); ++i)
            for (Index j = 0; j < m.cols(); ++j)
                RC_ASSERT(m(i, j) == c.values[static_cast<std::size_t>(i * m.cols() + j)]);
    }

    const auto cut = *rc::gen::inRange<std::size_t>(0, bytes.size());
    RC_ASSERT_THROWS_AS(parse_npy_bytes(std::span(bytes).first(cut), "a", "prefix"), InputError);
    ByteVector longer = bytes;
    longer.push_back(*rc::gen::arbitrary<std::uint8_t>());
    RC_ASSERT_THROWS_AS(parse_npy_bytes(longer, "a", "longer"), InputError);
}

// ---- .npz: contract and errors ---------------------------------------------------------

TEST(NpzArchive, ReadsStoredDeflatedAndZip64Archives) {
    TempDir dir;
    for (const bool deflate : {false, true})
        for (const bool zip64 : {false, true}) {
            SCOPED_TRACE(fmt::format("deflate {}, zip64 {}", deflate, zip64));
            write_raw(dir / "a.npz", zip_archive(two_members(), deflate, zip64).bytes);
            const NpzArchive archive = read_npz_archive(dir / "a.npz");
            EXPECT_EQ(archive.file.string(), (dir / "a.npz").string());
            EXPECT_EQ(archive.names(), (std::vector<std::string>{"W1", "y"}));
            expect_values(archive.at("W1"), {1, 2, 3, 4});
            EXPECT_EQ(npy_to_labels(archive.at("y")), (std::vector<Index>{0, 1, 1}));
        }
    write_raw(dir / "empty.npz", zip_archive({}, false).bytes);
    EXPECT_TRUE(read_npz_archive(dir / "empty.npz").arrays.empty());
}

TEST(NpzArchive, AtNamesTheMissingArrayAndThoseAvailable) {
    const NpzArchive archive = read_npz_archive(fixtures / "network.npz");
    expect_mentions(error_message<InputError>([&] { archive.at("W3"); }),
                    {(fixtures / "network.npz").string(), "no array \"W3\"", "holds W1, W2, X, y"});
    EXPECT_EQ(archive.find("W3"), nullptr);
}

TEST(NpzArchive, MissingFile) {
    TempDir dir;
    expect_mentions(npz_error(dir / "net.npz"), {(dir / "net.npz").string(), "file not found"});
}

TEST(NpzArchive, NotAZipArchiveOrTruncated) {
    TempDir dir;
    write_raw(dir / "text.npz", text_bytes("just some text, no archive"));
    expect_mentions(npz_error(dir / "text.npz"), {(dir / "text.npz").string(), "not an .npz archive, or truncated",
                                                  "no ZIP end-of-central-directory record"});
    write_raw(dir / "array.npz", npy_f8({1}, {1}));
    expect_mentions(npz_error(dir / "array.npz"), {"this is a .npy file, not an .npz archive"});
    // Cut before the end record, or inside a member (the central directory then points
    // past the end).
    const ByteVector full = zip_archive(two_members(), true).bytes;
    write_raw(dir / "cut.npz", ByteVector(full.begin(), full.end() - 5));
    expect_mentions(npz_error(dir / "cut.npz"), {"not an .npz archive, or truncated"});
    ByteVector shifted = full;
    shifted.erase(shifted.begin() + 40, shifted.begin() + 60);
    write_raw(dir / "shifted.npz", shifted);
    expect_mentions(npz_error(dir / "shifted.npz"), {"does not fit before the end records", "truncated or corrupt"});
}

TEST(NpzArchive, CrcMismatch) {
    TempDir dir;
    ZipImage image = zip_archive(two_members(), false);
    image.bytes[image.data_offsets[1] + image.data_sizes[1] - 1] ^= 0x40;
    write_raw(dir / "crc.npz", image.bytes);
    expect_mentions(npz_error(dir / "crc.npz"),
                    {(dir / "crc.npz").string(), "array \"y\"", "CRC-32 mismatch: the central directory records 0x"});
}

TEST(NpzArchive, CorruptDeflateStream) {
    TempDir dir;
    ZipImage image = zip_archive(two_members(), true);
    image.bytes[image.data_offsets[0]] = 0xFF;  // first block: final, type 3 (reserved)
    write_raw(dir / "bad.npz", image.bytes);
    expect_mentions(npz_error(dir / "bad.npz"),
                    {(dir / "bad.npz").string(), "array \"W1\"", "corrupt deflate stream (invalid block type)"});
    // A stream cut short: the central directory declares fewer compressed bytes.
    image = zip_archive(two_members(), true);
    image.bytes[image.central_offsets[0] + 20] -= 10;
    write_raw(dir / "short.npz", image.bytes);
    expect_mentions(npz_error(dir / "short.npz"), {"array \"W1\"", "deflate stream is cut short"});
}

TEST(NpzArchive, DuplicateMemberNames) {
    TempDir dir;
    std::vector<ZipEntry> entries = two_members();
    entries.push_back({"W1.npy", npy_f8({1}, {5})});
    write_raw(dir / "dup.npz", zip_archive(entries, false).bytes);
    expect_mentions(npz_error(dir / "dup.npz"), {(dir / "dup.npz").string(), "array \"W1\"",
                                                 "duplicate member name \"W1.npy\"", "entries 0 and 2"});
}

TEST(NpzArchive, MembersThatAreNotNpyArrays) {
    TempDir dir;
    std::vector<ZipEntry> entries = two_members();
    entries.push_back({"notes.txt", text_bytes("hello")});
    write_raw(dir / "txt.npz", zip_archive(entries, true).bytes);
    expect_mentions(npz_error(dir / "txt.npz"),
                    {(dir / "txt.npz").string(), "member \"notes.txt\" is not a .npy array"});
    // A .npy member whose content is not .npy: the error names archive and array.
    write_raw(dir / "junk.npz", zip_archive({{"W1.npy", text_bytes("not an array")}}, true).bytes);
    expect_mentions(npz_error(dir / "junk.npz"), {(dir / "junk.npz").string(), "array \"W1\"", "bad magic string"});
}

TEST(NpzArchive, ErrorsInsideAMemberNameArchiveAndArray) {
    TempDir dir;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    write_raw(dir / "nan.npz", zip_archive({{"W2.npy", npy_f8({2, 2}, {1, 2, nan, 4})}}, true).bytes);
    expect_mentions(error_message<NonFiniteValue>([&] { read_npz_archive(dir / "nan.npz"); }),
                    {(dir / "nan.npz").string(), "array \"W2\"", "entry (1, 0) is nan"});
    write_raw(
        dir / "half.npz",
        zip_archive({{"X.npy", npy_file_bytes(npy_header_text("<f2", false, {2}), ByteVector(4, 0))}}, false).bytes);
    expect_mentions(npz_error(dir / "half.npz"), {"array \"X\"", "unsupported dtype '<f2'"});
    write_raw(dir / "cube.npz", zip_archive({{"H.npy", npy_f8({1, 1, 1}, {1})}}, false).bytes);
    expect_mentions(error_message<ShapeMismatch>([&] { read_npz_archive(dir / "cube.npz"); }),
                    {"array \"H\"", "shape (1, 1, 1) has 3 dimensions"});
}

TEST(NpzArchive, UnsupportedMethodAndEncryption) {
    TempDir dir;
    ZipImage image = zip_archive(two_members(), false);
    patch_u16(image.bytes, image.local_offsets[1] + 8, 12);
    patch_u16(image.bytes, image.central_offsets[1] + 10, 12);
    write_raw(dir / "bzip2.npz", image.bytes);
    expect_mentions(npz_error(dir / "bzip2.npz"),
                    {(dir / "bzip2.npz").string(), "array \"y\"", "compression method 12 (bzip2) is not supported"});
    image = zip_archive(two_members(), false);
    patch_u16(image.bytes, image.central_offsets[0] + 8, 1);
    write_raw(dir / "secret.npz", image.bytes);
    expect_mentions(npz_error(dir / "secret.npz"), {"array \"W1\"", "encrypted"});
    // The local header must agree with the central directory.
    image = zip_archive(two_members(), false);
    patch_u16(image.bytes, image.local_offsets[1] + 8, 8);
    write_raw(dir / "disagree.npz", image.bytes);
    expect_mentions(npz_error(dir / "disagree.npz"), {"array \"y\"", "disagrees with the central directory"});
}

TEST(NpzArchive, Zip64MarkersWithoutTheirRecords) {
    TempDir dir;
    // Saturated end record without the ZIP64 locator: drop the 76 bytes of ZIP64 end
    // record and locator before it.
    ByteVector bytes = zip_archive(two_members(), false, true).bytes;
    bytes.erase(bytes.end() - 22 - 76, bytes.end() - 22);
    write_raw(dir / "nolocator.npz", bytes);
    expect_mentions(npz_error(dir / "nolocator.npz"), {"ZIP64 markers", "no ZIP64 locator"});
    // Central entry with sizes 0xFFFFFFFF but its ZIP64 extra renamed to another id.
    ZipImage image = zip_archive(two_members(), false, true);
    patch_u16(image.bytes, image.central_offsets[0] + 46 + 6, 0x5455);
    write_raw(dir / "noextra.npz", image.bytes);
    expect_mentions(npz_error(dir / "noextra.npz"), {"member \"W1.npy\"", "no ZIP64 extra field"});
}

TEST(NpzArchive, AbsurdDeclaredSizesFailFast) {
    TempDir dir;
    const auto start = std::chrono::steady_clock::now();
    // ZIP64 sizes rewritten: 10^12 bytes once inflated, and 10^12 compressed bytes.
    for (const bool compressed_size : {false, true}) {
        ZipImage image = zip_archive(two_members(), true, true);
        const std::size_t field = image.central_offsets[0] + 46 + 6 + 4 + (compressed_size ? 8 : 0);
        for (int b = 0; b < 8; ++b)
            image.bytes[field + static_cast<std::size_t>(b)] =
                static_cast<std::uint8_t>(std::uint64_t{1000000000000} >> (8 * b));
        write_raw(dir / "huge.npz", image.bytes);
        expect_mentions(npz_error(dir / "huge.npz"),
                        {"array \"W1\"", compressed_size ? "1000000000000 bytes of data" : "declares 1000000000000"});
    }
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}

// Random arrays through random archives (stored or deflate, ZIP64 or not) come back in
// order and bit for bit; changing any one byte of a member's data, or cutting the
// archive anywhere, is detected.
RC_GTEST_PROP(NpzArchiveProperties, RoundTripAndCorruptionDetected, ()) {
    const int count = *rc::gen::inRange(1, 5);
    std::vector<NpyCase> cases;
    std::vector<ZipEntry> entries;
    for (int k = 0; k < count; ++k) {
        cases.push_back(random_npy_case());
        entries.push_back({fmt::format("W{}.npy", k + 1), npy_bytes(cases.back())});
    }
    const bool deflate = *rc::gen::arbitrary<bool>();
    const bool zip64 = *rc::gen::arbitrary<bool>();
    const ZipImage image = zip_archive(entries, deflate, zip64);
    TempDir dir;
    write_raw(dir / "a.npz", image.bytes);
    const NpzArchive archive = read_npz_archive(dir / "a.npz");
    RC_ASSERT(archive.arrays.size() == cases.size());
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const NpyArray& array = archive.arrays[k];
        RC_ASSERT(array.name == fmt::format("W{}", k + 1));
        RC_ASSERT(array.shape == cases[k].shape);
        RC_ASSERT(array.dtype == cases[k].dtype);
        RC_ASSERT(same_bits(array.values, cases[k].values));
    }

    const auto member = *rc::gen::inRange<std::size_t>(0, entries.size());
    const auto position = *rc::gen::inRange<std::size_t>(0, image.data_sizes[member]);
    const auto flip = *rc::gen::inRange<int>(1, 256);
    ByteVector corrupt = image.bytes;
    corrupt[image.data_offsets[member] + position] ^= static_cast<std::uint8_t>(flip);
    write_raw(dir / "corrupt.npz", corrupt);
    RC_ASSERT_THROWS_AS(read_npz_archive(dir / "corrupt.npz"), InputError);

    const auto cut = *rc::gen::inRange<std::size_t>(0, image.bytes.size());
    write_raw(dir / "cut.npz", ByteVector(image.bytes.begin(), image.bytes.begin() + static_cast<std::ptrdiff_t>(cut)));
    RC_ASSERT_THROWS_AS(read_npz_archive(dir / "cut.npz"), InputError);
}
