#include "ncverify/io/npy_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>

#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

constexpr std::array<std::uint8_t, 6> npy_magic = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::string_view npy_magic_text = "\\x93NUMPY";
// Integers up to 2^53 in magnitude are exactly representable as doubles.
constexpr std::int64_t max_exact_integer = std::int64_t{1} << 53;
// Header texts quoted in messages are cut to this many characters.
constexpr std::size_t quoted_header_chars = 160;
// Nesting deeper than this is refused (a .npy header nests at most 3 levels).
constexpr int max_literal_depth = 32;

std::string array_label(const std::string& source, const std::string& name) {
    return fmt::format("{}: array \"{}\"", source, name);
}

std::string printable(std::string_view text, std::size_t max_chars) {
    std::string out;
    for (std::size_t k = 0; k < text.size() && k < max_chars; ++k) {
        const auto c = static_cast<unsigned char>(text[k]);
        if (c == '\n')
            out += "\\n";
        else if (c == '\\')
            out += "\\\\";
        else if (c >= 0x20 && c < 0x7F)
            out += static_cast<char>(c);
        else
            out += fmt::format("\\x{:02x}", c);
    }
    if (text.size() > max_chars) out += "...";
    return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    if (shape.size() == 1) return fmt::format("({},)", shape[0]);
    return fmt::format("({})", fmt::join(shape, ", "));
}

std::string entry_text(const std::vector<std::int64_t>& shape, std::size_t row_major_index) {
    if (shape.empty()) return "the value";
    if (shape.size() == 1) return fmt::format("entry {}", row_major_index);
    const auto cols = static_cast<std::size_t>(shape[1]);
    return fmt::format("entry ({}, {})", row_major_index / cols, row_major_index % cols);
}

// ---- The header: a Python literal -------------------------------------------------

/// A Python literal of the subset that .npy headers use.
struct PyLiteral {
    enum class Kind { string, boolean, none, integer, tuple, list, dict };
    Kind kind = Kind::none;
    std::string text;                     // string: its content; integer: as written
    bool boolean = false;                 // boolean: its value
    std::optional<std::int64_t> integer;  // integer: its value, nullopt outside int64
    std::vector<PyLiteral> items;         // tuple, list: elements; dict: key, value, key, value, ...
    std::size_t position = 0;             // offset in the header text

    std::string_view kind_name() const {
        switch (kind) {
            case Kind::string:
                return "a string";
            case Kind::boolean:
                return "a boolean";
            case Kind::none:
                return "None";
            case Kind::integer:
                return "an integer";
            case Kind::tuple:
                return "a tuple";
            case Kind::list:
                return "a list";
            case Kind::dict:
                return "a dictionary";
        }
        return "a value";
    }
};

struct LiteralSyntaxError {
    std::string problem;
    std::size_t position;
};

/// Recursive-descent parser of Python literals: dictionaries, tuples, lists, strings,
/// integers (with Python 2's L suffix), True, False and None; Python's rule that "(x)"
/// is x and "(x,)" a tuple.
class PyLiteralParser {
public:
    explicit PyLiteralParser(std::string_view text) : text_(text) {}

    PyLiteral parse_all() {
        PyLiteral value = parse_value(0);
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the dictionary");
        return value;
    }

private:
    [[noreturn]] void fail(std::string problem) const { throw LiteralSyntaxError{std::move(problem), pos_}; }

    void skip_space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    char peek() {
        skip_space();
        if (pos_ == text_.size()) fail("unexpected end of the header");
        return text_[pos_];
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    static bool is_name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
    }

    PyLiteral parse_value(int depth) {
        if (depth > max_literal_depth) fail("nesting too deep");
        const char c = peek();
        PyLiteral value;
        value.position = pos_;
        if (c == '{') return parse_sequence(std::move(value), PyLiteral::Kind::dict, '}', depth);
        if (c == '[') return parse_sequence(std::move(value), PyLiteral::Kind::list, ']', depth);
        if (c == '(') return parse_sequence(std::move(value), PyLiteral::Kind::tuple, ')', depth);
        if (c == '\'' || c == '"') {
            value.kind = PyLiteral::Kind::string;
            value.text = parse_string();
            return value;
        }
        if (is_digit(c) || c == '-' || c == '+') {
            value.kind = PyLiteral::Kind::integer;
            parse_integer(value);
            return value;
        }
        if (is_name_char(c)) {
            std::size_t end = pos_;
            while (end < text_.size() && is_name_char(text_[end])) ++end;
            const std::string_view word = text_.substr(pos_, end - pos_);
            if (word == "True" || word == "False") {
                value.kind = PyLiteral::Kind::boolean;
                value.boolean = word == "True";
            } else if (word == "None") {
                value.kind = PyLiteral::Kind::none;
            } else {
                fail(fmt::format("unknown name '{}'", printable(word, 40)));
            }
            pos_ = end;
            return value;
        }
        fail(fmt::format("unexpected character '{}'", printable(text_.substr(pos_, 1), 1)));
    }

    /// Elements separated by commas, an optional trailing comma; dictionaries have
    /// key: value pairs. "(x)" without a comma is x itself.
    PyLiteral parse_sequence(PyLiteral value, PyLiteral::Kind kind, char close, int depth) {
        value.kind = kind;
        ++pos_;  // the opening bracket
        bool saw_comma = false;
        while (peek() != close) {
            value.items.push_back(parse_value(depth + 1));
            if (kind == PyLiteral::Kind::dict) {
                if (peek() != ':') fail("expected ':' after a dictionary key");
                ++pos_;
                value.items.push_back(parse_value(depth + 1));
            }
            const char next = peek();
            if (next == ',') {
                ++pos_;
                saw_comma = true;
            } else if (next != close) {
                fail(fmt::format("expected ',' or '{}'", close));
            }
        }
        ++pos_;  // the closing bracket
        if (kind == PyLiteral::Kind::tuple && value.items.size() == 1 && !saw_comma) return std::move(value.items[0]);
        return value;
    }

    std::string parse_string() {
        const char quote = text_[pos_++];
        std::string content;
        while (true) {
            if (pos_ == text_.size()) fail("unterminated string");
            const char c = text_[pos_++];
            if (c == quote) return content;
            if (c == '\n') fail("unterminated string");
            if (c == '\\') {
                if (pos_ == text_.size()) fail("unterminated string");
                content += text_[pos_++];
            } else {
                content += c;
            }
        }
    }

    void parse_integer(PyLiteral& value) {
        const std::size_t start = pos_;
        bool negative = false;
        if (text_[pos_] == '-' || text_[pos_] == '+') negative = text_[pos_++] == '-';
        if (pos_ == text_.size() || !is_digit(text_[pos_])) fail("expected digits");
        std::uint64_t magnitude = 0;
        bool overflow = false;
        while (pos_ < text_.size() && is_digit(text_[pos_])) {
            const auto digit = static_cast<std::uint64_t>(text_[pos_++] - '0');
            if (magnitude > (std::uint64_t{1} << 63) / 10 || magnitude * 10 > (std::uint64_t{1} << 63) - digit)
                overflow = true;
            else
                magnitude = magnitude * 10 + digit;
        }
        value.text = std::string(text_.substr(start, pos_ - start));
        if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) ++pos_;  // Python 2 long
        if (pos_ < text_.size() && is_name_char(text_[pos_])) fail("malformed integer");
        if (overflow || (!negative && magnitude == (std::uint64_t{1} << 63))) return;
        if (!negative)
            value.integer = static_cast<std::int64_t>(magnitude);
        else
            value.integer = magnitude == (std::uint64_t{1} << 63) ? std::numeric_limits<std::int64_t>::min()
                                                                  : -static_cast<std::int64_t>(magnitude);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

// ---- dtypes -----------------------------------------------------------------------

struct Dtype {
    bool is_float = false;
    std::size_t itemsize = 0;
    bool big_endian = false;
};

std::optional<Dtype> supported_dtype(std::string_view descr) {
    if (descr.size() != 3 || (descr[0] != '<' && descr[0] != '>')) return std::nullopt;
    Dtype dtype;
    dtype.big_endian = descr[0] == '>';
    const std::string_view type = descr.substr(1);
    if (type == "f4" || type == "f8")
        dtype.is_float = true;
    else if (type != "i4" && type != "i8")
        return std::nullopt;
    dtype.itemsize = type[1] == '4' ? 4 : 8;
    return dtype;
}

/// What an unsupported descr means, for the message.
std::string dtype_meaning(std::string_view descr) {
    if (descr.empty()) return "empty";
    std::string_view type = descr;
    std::string order_note;
    if (type[0] == '<' || type[0] == '>' || type[0] == '|' || type[0] == '=') {
        if (type[0] == '=') order_note = ", native byte order '=' (NumPy writes '<' or '>')";
        type.remove_prefix(1);
    }
    if (type.empty()) return "malformed";
    const std::string_view size = type.substr(1);
    std::string meaning;
    switch (type[0]) {
        case 'f':
            meaning = size == "2"                      ? "float16, half precision"
                      : size == "4" || size == "8"     ? "float"
                      : (size == "12" || size == "16") ? "long double, extended precision"
                                                       : "float of unknown size";
            break;
        case 'c':
            meaning = "complex";
            break;
        case 'O':
            meaning = "Python objects, stored pickled";
            break;
        case 'b':
        case '?':
            meaning = "boolean";
            break;
        case 'u':
            meaning = "unsigned integer";
            break;
        case 'i':
            meaning = size == "4" || size == "8" ? "integer" : fmt::format("{}-byte integer", size);
            break;
        case 'U':
            meaning = "Unicode strings";
            break;
        case 'S':
        case 'a':
            meaning = "byte strings";
            break;
        case 'V':
            meaning = "raw bytes (void)";
            break;
        case 'M':
            meaning = "datetime";
            break;
        case 'm':
            meaning = "timedelta";
            break;
        default:
            meaning = "unknown type code";
            break;
    }
    return meaning + order_note;
}

[[noreturn]] void throw_unsupported_dtype(const std::string& label, const std::string& what) {
    throw InputError(fmt::format(
        "{}: unsupported dtype {}; supported: '<f4' '>f4' '<f8' '>f8' (float32, float64) and '<i4' '>i4' '<i8' "
        "'>i8' (int32, int64, for labels); convert before saving, e.g. np.save(path, a.astype(np.float64))",
        label, what));
}

// ---- the header -------------------------------------------------------------------

struct NpyHeader {
    std::string descr;
    bool fortran_order = false;
    std::vector<std::int64_t> shape;
};

NpyHeader interpret_header(std::string_view text, const std::string& label) {
    // The header quoted without NumPy's padding (spaces and the final newline).
    const std::string_view quoted = text.substr(0, text.find_last_not_of(" \n") + 1);
    const auto not_parseable = [&](const std::string& problem, std::size_t position) {
        return InputError(fmt::format("{}: header not parseable: {} at offset {} of the header \"{}\"", label, problem,
                                      position, printable(quoted, quoted_header_chars)));
    };
    PyLiteral dict;
    try {
        dict = PyLiteralParser(text).parse_all();
    } catch (const LiteralSyntaxError& error) {
        throw not_parseable(error.problem, error.position);
    }
    if (dict.kind != PyLiteral::Kind::dict)
        throw not_parseable(fmt::format("the header is {}, not a dictionary", dict.kind_name()), dict.position);

    const PyLiteral* descr = nullptr;
    const PyLiteral* fortran_order = nullptr;
    const PyLiteral* shape = nullptr;
    for (std::size_t k = 0; k < dict.items.size(); k += 2) {
        const PyLiteral& key = dict.items[k];
        if (key.kind != PyLiteral::Kind::string)
            throw not_parseable(fmt::format("a key is {}, not a string", key.kind_name()), key.position);
        const PyLiteral** slot = key.text == "descr"           ? &descr
                                 : key.text == "fortran_order" ? &fortran_order
                                 : key.text == "shape"         ? &shape
                                                               : nullptr;
        if (slot == nullptr)
            throw not_parseable(fmt::format("unexpected key '{}'; a .npy header has exactly the keys 'descr', "
                                            "'fortran_order' and 'shape'",
                                            printable(key.text, 40)),
                                key.position);
        if (*slot != nullptr) throw not_parseable(fmt::format("the key '{}' appears twice", key.text), key.position);
        *slot = &dict.items[k + 1];
    }
    using KeySlot = std::pair<const PyLiteral*, std::string_view>;
    for (const auto& [slot, key] :
         std::array<KeySlot, 3>{KeySlot{descr, "descr"}, {fortran_order, "fortran_order"}, {shape, "shape"}})
        if (slot == nullptr)
            throw not_parseable(fmt::format("the key '{}' is missing; a .npy header has exactly the keys 'descr', "
                                            "'fortran_order' and 'shape'",
                                            key),
                                text.size());

    NpyHeader header;
    if (fortran_order->kind != PyLiteral::Kind::boolean)
        throw not_parseable(fmt::format("'fortran_order' is {}, not True or False", fortran_order->kind_name()),
                            fortran_order->position);
    header.fortran_order = fortran_order->boolean;

    if (shape->kind != PyLiteral::Kind::tuple)
        throw not_parseable(fmt::format("'shape' is {}, not a tuple of integers", shape->kind_name()), shape->position);
    for (std::size_t k = 0; k < shape->items.size(); ++k) {
        const PyLiteral& dim = shape->items[k];
        if (dim.kind != PyLiteral::Kind::integer)
            throw not_parseable(fmt::format("dimension {} of 'shape' is {}, not an integer", k, dim.kind_name()),
                                dim.position);
        if (!dim.integer)
            throw InputError(
                fmt::format("{}: dimension {} of the shape, {}, does not fit in 64 bits; the header is "
                            "corrupt",
                            label, k, dim.text));
        if (*dim.integer < 0)
            throw InputError(fmt::format("{}: dimension {} of the shape is negative ({}); the header is corrupt", label,
                                         k, *dim.integer));
        header.shape.push_back(*dim.integer);
    }

    if (descr->kind == PyLiteral::Kind::list)
        throw_unsupported_dtype(label, "(a structured array: fields of several types)");
    if (descr->kind == PyLiteral::Kind::tuple) throw_unsupported_dtype(label, "(a sub-array dtype)");
    if (descr->kind != PyLiteral::Kind::string)
        throw not_parseable(fmt::format("'descr' is {}, not a dtype string", descr->kind_name()), descr->position);
    header.descr = descr->text;
    return header;
}

// ---- data ---------------------------------------------------------------------------

template <class T>
T load_value(const std::uint8_t* bytes, bool big_endian) {
    std::array<std::uint8_t, sizeof(T)> copy{};
    std::memcpy(copy.data(), bytes, sizeof(T));
    if (big_endian != (std::endian::native == std::endian::big)) std::reverse(copy.begin(), copy.end());
    return std::bit_cast<T>(copy);
}

std::uint32_t little_endian_u32(const std::uint8_t* bytes) {
    return std::uint32_t{bytes[0]} | (std::uint32_t{bytes[1]} << 8) | (std::uint32_t{bytes[2]} << 16) |
           (std::uint32_t{bytes[3]} << 24);
}

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& file, const std::string& label) {
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(file, error);
    if (!std::filesystem::exists(status)) throw InputError(fmt::format("{}: file not found", label));
    if (!std::filesystem::is_regular_file(status)) throw InputError(fmt::format("{}: not a regular file", label));
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error) throw InputError(fmt::format("{}: cannot read ({})", label, error.message()));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot open ({})", label, std::strerror(errno)));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<std::uintmax_t>(in.gcount()) != size)
        throw InputError(fmt::format("{}: read error: {} of {} bytes could be read", label, in.gcount(), size));
    return bytes;
}

}  // namespace

bool NpyArray::is_integer() const {
    const std::optional<Dtype> type = supported_dtype(dtype);
    return type && !type->is_float;
}

NpyArray parse_npy_bytes(std::span<const std::uint8_t> bytes, const std::string& name, const std::string& source) {
    const std::string label = array_label(source, name);

    // Preamble: magic string, version, header length.
    const std::size_t magic_checked = std::min(bytes.size(), npy_magic.size());
    if (!std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(magic_checked), npy_magic.begin())) {
        std::string found_hex;
        for (std::size_t k = 0; k < magic_checked; ++k) found_hex += fmt::format("{}{:02X}", k ? " " : "", bytes[k]);
        throw InputError(fmt::format(
            "{}: bad magic string \"{}\" (bytes {}), expected \"{}\"; this is not a .npy file", label,
            printable(std::string_view(reinterpret_cast<const char*>(bytes.data()), magic_checked), npy_magic.size()),
            found_hex, npy_magic_text));
    }
    if (bytes.size() < npy_magic.size() + 2)
        throw InputError(
            fmt::format("{}: truncated file: {} bytes, fewer than the {} of the magic string and format "
                        "version",
                        label, bytes.size(), npy_magic.size() + 2));
    const unsigned major = bytes[6];
    const unsigned minor = bytes[7];
    if (minor != 0 || major < 1 || major > 3)
        throw InputError(
            fmt::format("{}: unsupported .npy format version {}.{}; this reader knows versions 1.0, 2.0 "
                        "and 3.0",
                        label, major, minor));
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    const std::size_t preamble = npy_magic.size() + 2 + length_bytes;
    if (bytes.size() < preamble)
        throw InputError(
            fmt::format("{}: truncated file: {} bytes, fewer than the {} of a version {}.0 preamble "
                        "(magic string, version, header length)",
                        label, bytes.size(), preamble, major));
    const std::size_t header_length =
        major == 1 ? std::size_t{bytes[8]} | (std::size_t{bytes[9]} << 8) : little_endian_u32(bytes.data() + 8);
    if (bytes.size() - preamble < header_length)
        throw InputError(fmt::format("{}: truncated file: the preamble declares a header of {} bytes, only {} follow",
                                     label, header_length, bytes.size() - preamble));

    const std::string_view header_text(reinterpret_cast<const char*>(bytes.data() + preamble), header_length);
    const NpyHeader header = interpret_header(header_text, label);
    const std::optional<Dtype> dtype = supported_dtype(header.descr);
    if (!dtype)
        throw_unsupported_dtype(label,
                                fmt::format("'{}' ({})", printable(header.descr, 40), dtype_meaning(header.descr)));
    if (header.shape.size() > 2)
        throw ShapeMismatch(
            fmt::format("{}: shape {} has {} dimensions; only arrays of at most 2 dimensions are read "
                        "(reshape before saving)",
                        label, shape_text(header.shape), header.shape.size()));

    // Declared data size, checked against the bytes present before allocating.
    const std::size_t data_offset = preamble + header_length;
    const std::size_t available = bytes.size() - data_offset;
    std::uint64_t count = 1;
    bool overflow = false;
    for (const std::int64_t dim : header.shape)
        overflow = overflow || __builtin_mul_overflow(count, static_cast<std::uint64_t>(dim), &count);
    std::uint64_t data_bytes = 0;
    overflow = overflow || __builtin_mul_overflow(count, std::uint64_t{dtype->itemsize}, &data_bytes);
    if (overflow)
        throw InputError(
            fmt::format("{}: data size mismatch: shape {} of '{}' declares more than 2^64 bytes of "
                        "data, only {} follow the header; the header is corrupt",
                        label, shape_text(header.shape), header.descr, available));
    if (data_bytes > available)
        throw InputError(
            fmt::format("{}: data size mismatch: shape {} of '{}' needs {} bytes of data, only {} follow "
                        "the header (the file is truncated or its header is corrupt)",
                        label, shape_text(header.shape), header.descr, data_bytes, available));
    if (data_bytes < available)
        throw InputError(
            fmt::format("{}: data size mismatch: shape {} of '{}' needs {} bytes of data, but {} follow "
                        "the header (the file continues after the data)",
                        label, shape_text(header.shape), header.descr, data_bytes, available));

    NpyArray array;
    array.name = name;
    array.source = source;
    array.shape = header.shape;
    array.fortran_order = header.fortran_order;
    array.dtype = header.descr;
    const auto n = static_cast<std::size_t>(count);
    array.values.resize(n);
    // File element k is entry (i, j) with k = i * cols + j (C order) or k = j * rows + i
    // (Fortran order); values is row-major.
    const bool transpose = header.fortran_order && header.shape.size() == 2;
    const std::size_t rows = header.shape.size() == 2 ? static_cast<std::size_t>(header.shape[0]) : 0;
    const std::size_t cols = header.shape.size() == 2 ? static_cast<std::size_t>(header.shape[1]) : 0;
    const std::uint8_t* data = bytes.data() + data_offset;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t target = transpose ? (k % rows) * cols + k / rows : k;
        const std::uint8_t* item = data + k * dtype->itemsize;
        double value = 0;
        if (dtype->is_float) {
            // float -> double is exact: every float32 is a double.
            value = dtype->itemsize == 4 ? static_cast<double>(load_value<float>(item, dtype->big_endian))
                                         : load_value<double>(item, dtype->big_endian);
        } else if (dtype->itemsize == 4) {
            value = load_value<std::int32_t>(item, dtype->big_endian);
        } else {
            const auto integer = load_value<std::int64_t>(item, dtype->big_endian);
            if (integer > max_exact_integer || integer < -max_exact_integer)
                throw InputError(
                    fmt::format("{}: {} is {}, beyond 2^53 in magnitude: it has no exact double; "
                                "integer arrays must hold labels or counts",
                                label, entry_text(header.shape, target), integer));
            value = static_cast<double>(integer);
        }
        array.values[target] = value;
    }
    if (dtype->is_float) {
        const auto bad =
            std::find_if(array.values.begin(), array.values.end(), [](double x) { return !std::isfinite(x); });
        if (bad != array.values.end())
            throw NonFiniteValue(fmt::format(
                "{}: {} is {}; every value must be finite (the first non-finite entry in "
                "row-major order)",
                label, entry_text(header.shape, static_cast<std::size_t>(bad - array.values.begin())), *bad));
    }
    return array;
}

NpyArray read_npy_file(const std::filesystem::path& file) {
    const std::string name = file.stem().string();
    const std::vector<std::uint8_t> bytes = read_whole_file(file, array_label(file.string(), name));
    return parse_npy_bytes(bytes, name, file.string());
}

Matrix<double> npy_to_matrix(const NpyArray& array) {
    if (array.shape.size() != 2)
        throw ShapeMismatch(fmt::format("{}: shape {} has {} dimension{}; a matrix needs 2 (rows, cols)",
                                        array_label(array.source, array.name), shape_text(array.shape),
                                        array.shape.size(), array.shape.size() == 1 ? "" : "s"));
    Matrix<double> matrix(array.shape[0], array.shape[1]);
    for (Index i = 0; i < matrix.rows(); ++i)
        for (Index j = 0; j < matrix.cols(); ++j)
            matrix(i, j) = array.values[static_cast<std::size_t>(i * matrix.cols() + j)];
    return matrix;
}

Vector<double> npy_to_vector(const NpyArray& array) {
    if (array.shape.size() != 1)
        throw ShapeMismatch(fmt::format("{}: shape {} has {} dimension{}; a vector needs 1",
                                        array_label(array.source, array.name), shape_text(array.shape),
                                        array.shape.size(), array.shape.size() == 1 ? "" : "s"));
    return Eigen::Map<const Vector<double>>(array.values.data(), static_cast<Index>(array.values.size()));
}

std::vector<Index> npy_to_labels(const NpyArray& array) {
    const std::string label = array_label(array.source, array.name);
    if (array.shape.size() != 1)
        throw ShapeMismatch(fmt::format("{}: shape {} has {} dimension{}; labels need 1, one per sample", label,
                                        shape_text(array.shape), array.shape.size(),
                                        array.shape.size() == 1 ? "" : "s"));
    if (!array.is_integer())
        throw InputError(
            fmt::format("{}: dtype '{}' is not an integer dtype; labels must be saved as integers "
                        "('<i8' or '<i4', e.g. np.save(path, y.astype(np.int64)))",
                        label, array.dtype));
    std::vector<Index> labels(array.values.size());
    std::transform(array.values.begin(), array.values.end(), labels.begin(),
                   [](double x) { return static_cast<Index>(x); });
    return labels;
}

}  // namespace ncverify
