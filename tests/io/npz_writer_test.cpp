// NumPy output: the .npy / .npz writer (io/npz_writer.hpp), checked against the format
// specification byte by byte, and round-tripped through the readers (read_npy_file,
// read_npz_archive), which verify every CRC-32, size and header independently. The
// Python-side check (np.load's own parser, zipfile's CRC test) is in tests/cli/import_test.sh.
#include "ncverify/io/npz_writer.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "data/data_test_files.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/io/npy_file.hpp"
#include "ncverify/io/npz_archive.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

using ByteVector = std::vector<std::uint8_t>;

std::uint16_t le16(const ByteVector& b, std::size_t at) { return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8)); }
std::uint32_t le32(const ByteVector& b, std::size_t at) {
    return std::uint32_t{le16(b, at)} | (std::uint32_t{le16(b, at + 2)} << 16);
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

std::vector<double> row_major(const NpyOutputArray& array) {
    if (const auto* doubles = std::get_if<std::vector<double>>(&array.values)) return *doubles;
    const auto& integers = std::get<std::vector<std::int64_t>>(array.values);
    return {integers.begin(), integers.end()};
}

/// A random array: a float64 matrix or vector (finite values, -0.0 and subnormals
/// included by rapidcheck's generator) or int64 labels within +-2^53 (exact as doubles).
NpyOutputArray random_output_array(const std::string& name) {
    const int kind = *rc::gen::inRange(0, 3);
    const auto finite = rc::gen::suchThat(rc::gen::arbitrary<double>(), [](double x) { return std::isfinite(x); });
    if (kind == 0) {
        const auto rows = *rc::gen::inRange<Index>(0, 7);
        const auto cols = *rc::gen::inRange<Index>(0, 7);
        Matrix<double> m(rows, cols);
        for (Index i = 0; i < rows; ++i)
            for (Index j = 0; j < cols; ++j) m(i, j) = *finite;
        return npy_output_from_matrix(name, m);
    }
    if (kind == 1) {
        Vector<double> v(*rc::gen::inRange<Index>(0, 9));
        for (Index i = 0; i < v.size(); ++i) v(i) = *finite;
        return npy_output_from_vector(name, v);
    }
    std::vector<Index> labels(*rc::gen::inRange<std::size_t>(0, 9));
    for (Index& label : labels) label = *rc::gen::inRange<Index>(-(Index{1} << 53), (Index{1} << 53) + 1);
    return npy_output_from_labels(name, labels);
}

void rc_assert_same(const NpyArray& read, const NpyOutputArray& written) {
    RC_ASSERT(read.name == written.name);
    RC_ASSERT(read.shape == written.shape);
    RC_ASSERT(read.dtype == written.dtype());
    RC_ASSERT(!read.fortran_order);
    const std::vector<double> expected = row_major(written);
    RC_ASSERT(read.values.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) RC_ASSERT(same_bits(read.values[k], expected[k]));
}

}  // namespace

// The bytes of a .npy file, from the format specification (numpy.lib.format, version 1.0).
TEST(NpyWriter, HeaderAndDataFollowTheSpecification) {
    Matrix<double> m(2, 3);
    m << 1, 2, 3, -0.0, 0.5, 1e300;
    const ByteVector bytes = npy_file_bytes(npy_output_from_matrix("W1", m));
    ASSERT_GE(bytes.size(), 10u);
    EXPECT_EQ(ByteVector(bytes.begin(), bytes.begin() + 8), (ByteVector{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}));
    const std::size_t header_length = le16(bytes, 8);
    const std::string header(bytes.begin() + 10, bytes.begin() + 10 + static_cast<std::ptrdiff_t>(header_length));
    EXPECT_EQ((10 + header_length) % 64, 0u) << "data aligned to 64 bytes";
    const std::string dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    EXPECT_EQ(header.substr(0, dictionary.size()), dictionary);
    EXPECT_EQ(header.back(), '\n');
    EXPECT_EQ(header.find_first_not_of(' ', dictionary.size()), header.size() - 1) << "padded with spaces";
    ASSERT_EQ(bytes.size(), 10 + header_length + 6 * 8);
    // C order, little-endian binary64: entry (1, 0) = -0.0 is the 4th value.
    const std::size_t data = 10 + header_length;
    for (int k = 0; k < 6; ++k) {
        std::uint64_t bits = 0;
        for (int b = 7; b >= 0; --b) bits = (bits << 8) | bytes[data + static_cast<std::size_t>(8 * k + b)];
        EXPECT_TRUE(same_bits(std::bit_cast<double>(bits), m(k / 3, k % 3))) << k;
    }

    const ByteVector labels = npy_file_bytes(npy_output_from_labels("y", {0, 1, -2}));
    const std::string labels_header(labels.begin() + 10, labels.begin() + 10 + le16(labels, 8));
    const std::string labels_dictionary = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    EXPECT_EQ(labels_header.substr(0, labels_dictionary.size()), labels_dictionary);
    EXPECT_EQ(labels[labels.size() - 8], 0xFE) << "two's complement, little-endian";
    EXPECT_EQ(labels.back(), 0xFF);
}

// The ZIP records: stored members NAME.npy at the recorded offsets, CRC-32 of zlib, a
// fixed timestamp, and an end record counting them; the same arrays give the same bytes.
TEST(NpzWriter, StoredMembersWithCrcAndFixedTimestamp) {
    Matrix<double> w(1, 2);
    w << 3, 4;
    const std::vector<NpyOutputArray> arrays = {npy_output_from_matrix("W1", w), npy_output_from_labels("y", {0, 1})};
    const ByteVector zip = npz_archive_bytes(arrays);
    EXPECT_EQ(zip, npz_archive_bytes(arrays)) << "deterministic";
    std::size_t offset = 0;
    for (const NpyOutputArray& array : arrays) {
        const ByteVector member = npy_file_bytes(array);
        const std::string name = array.name + ".npy";
        ASSERT_EQ(le32(zip, offset), 0x04034b50u);
        EXPECT_EQ(le16(zip, offset + 8), 0) << "method 0 (stored)";
        EXPECT_EQ(le16(zip, offset + 12), (1 << 5) | 1) << "1980-01-01";
        EXPECT_EQ(le32(zip, offset + 14), crc32(0L, member.data(), static_cast<uInt>(member.size())));
        EXPECT_EQ(le32(zip, offset + 18), member.size());
        EXPECT_EQ(le32(zip, offset + 22), member.size());
        ASSERT_EQ(le16(zip, offset + 26), name.size());
        EXPECT_EQ(std::string(zip.begin() + static_cast<std::ptrdiff_t>(offset + 30),
                              zip.begin() + static_cast<std::ptrdiff_t>(offset + 30 + name.size())),
                  name);
        const std::size_t data = offset + 30 + name.size();
        EXPECT_EQ(ByteVector(zip.begin() + static_cast<std::ptrdiff_t>(data),
                             zip.begin() + static_cast<std::ptrdiff_t>(data + member.size())),
                  member);
        offset = data + member.size();
    }
    const std::size_t end = zip.size() - 22;
    EXPECT_EQ(le32(zip, end), 0x06054b50u);
    EXPECT_EQ(le16(zip, end + 10), 2) << "two entries";
    EXPECT_EQ(le32(zip, end + 16), offset) << "central directory right after the members";
}

TEST(NpzWriter, WritesFilesThatTheReadersReadBack) {
    TempDir dir;
    Matrix<double> x(3, 2);
    x << 0.1, -0.2, 1e-310, 4, 5, std::numeric_limits<double>::max();
    write_npz_archive(dir / "model.npz", {npy_output_from_matrix("X", x), npy_output_from_labels("y", {2, 0})});
    const NpzArchive archive = read_npz_archive(dir / "model.npz");
    EXPECT_EQ(archive.names(), (std::vector<std::string>{"X", "y"}));
    EXPECT_EQ(npy_to_matrix(archive.at("X")), x);
    EXPECT_EQ(npy_to_labels(archive.at("y")), (std::vector<Index>{2, 0}));

    Vector<double> v(2);
    v << 1.5, -2.5;
    write_npy_file(dir / "v.npy", npy_output_from_vector("v", v));
    EXPECT_EQ(npy_to_vector(read_npy_file(dir / "v.npy")), v);
    write_npz_archive(dir / "empty.npz", {});
    EXPECT_TRUE(read_npz_archive(dir / "empty.npz").arrays.empty());
}

TEST(NpzWriter, RefusesBadNames) {
    const NpyOutputArray a = npy_output_from_labels("a", {0});
    expect_mentions(error_message<InvalidArgument>([&] { npz_archive_bytes({a, a}); }), {"two arrays are named \"a\""});
    expect_mentions(error_message<InvalidArgument>([] { npz_archive_bytes({npy_output_from_labels("", {0})}); }),
                    {"empty name"});
    expect_mentions(error_message<InvalidArgument>([] { npz_archive_bytes({npy_output_from_labels("a/b", {0})}); }),
                    {"\"a/b\"", "contains '/'"});
    const NpyOutputArray wrong{"w", {2, 2}, std::vector<double>{1, 2, 3}};
    expect_mentions(error_message<InvalidArgument>([&] { npy_file_bytes(wrong); }),
                    {"array \"w\"", "shape (2, 2) (4 values) but holds 3"});
}

// Write -> read is the identity, bit for bit, for random archives of matrices, vectors
// and labels, through read_npz_archive and parse_npy_bytes.
RC_GTEST_PROP(NpzWriterProperties, RoundTripThroughTheReaders, ()) {
    const int count = *rc::gen::inRange(0, 5);
    std::vector<NpyOutputArray> arrays;
    for (int k = 0; k < count; ++k) arrays.push_back(random_output_array(fmt::format("a{}", k)));
    TempDir dir;
    // (write_raw: the atomic writers' fsync would dominate; they are tested above.)
    write_raw(dir / "r.npz", npz_archive_bytes(arrays));
    const NpzArchive archive = read_npz_archive(dir / "r.npz");
    RC_ASSERT(archive.arrays.size() == arrays.size());
    for (std::size_t k = 0; k < arrays.size(); ++k) rc_assert_same(archive.arrays[k], arrays[k]);
    for (const NpyOutputArray& array : arrays) rc_assert_same(parse_npy_bytes(npy_file_bytes(array), array.name, "bytes"), array);
}
