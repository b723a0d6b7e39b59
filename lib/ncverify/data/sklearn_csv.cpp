#include "ncverify/data/sklearn_csv.hpp"

#include <charconv>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ncverify/data/balanced_subsample.hpp"
#include "ncverify/data/gzip_file_reader.hpp"
#include "ncverify/errors.hpp"

namespace ncverify {

namespace {

// Larger files are refused (the real ones hold 4 kB and 260 kB of text).
constexpr std::size_t csv_max_bytes = std::size_t{256} << 20;
constexpr Index digits_num_features = 64;
constexpr Index digits_num_classes = 10;
constexpr double digits_max_pixel = 16.0;

const std::string missing_hint =
    "scikit-learn's data files come with the Debian package python3-sklearn (apt-get install python3-sklearn), "
    "installed in " + std::string(sklearn_data_default_directory) +
    "; SklearnCsvOptions::directory selects another directory";

std::string read_text(const std::filesystem::path& file) {
    GzipFileReader reader(file, missing_hint);
    std::string text;
    std::vector<std::uint8_t> chunk(std::size_t{1} << 20);
    for (;;) {
        const std::size_t got = reader.read(chunk);
        text.append(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
        if (text.size() > csv_max_bytes)
            throw InputError(file.string() + ": more than " + std::to_string(csv_max_bytes) +
                             " bytes of text; not a scikit-learn data file");
        if (got < chunk.size()) break;
    }
    if (reader.ended_inside_gzip_stream())
        throw InputError(file.string() + ": premature end of file: the gzip stream is cut short after " +
                         std::to_string(text.size()) + " bytes of text");
    return text;
}

std::string_view trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// One non-blank line: its 1-based line number and its comma-separated, trimmed fields.
struct Record {
    std::size_t line;
    std::vector<std::string_view> fields;
};

std::vector<Record> split_records(std::string_view text) {
    std::vector<Record> records;
    std::size_t line = 0;
    while (!text.empty()) {
        ++line;
        const std::size_t end = text.find('\n');
        const std::string_view content = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (content.empty()) continue;
        Record record{line, {}};
        std::string_view rest = content;
        for (;;) {
            const std::size_t comma = rest.find(',');
            record.fields.push_back(trim(rest.substr(0, comma)));
            if (comma == std::string_view::npos) break;
            rest = rest.substr(comma + 1);
        }
        records.push_back(std::move(record));
    }
    return records;
}

std::string location(const std::filesystem::path& file, const Record& record, std::size_t field) {
    return file.string() + " line " + std::to_string(record.line) + ", field " + std::to_string(field + 1);
}

double parse_number(const std::filesystem::path& file, const Record& record, std::size_t field) {
    std::string_view text = record.fields[field];
    if (text.starts_with('+')) text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw InputError(location(file, record, field) + ": \"" + std::string(record.fields[field]) +
                         "\" is not a number in the range of double");
    if (!std::isfinite(value))
        throw InputError(location(file, record, field) + ": \"" + std::string(record.fields[field]) +
                         "\" is not finite; every value must be a finite number");
    return value;
}

Index parse_class(const std::filesystem::path& file, const Record& record, std::size_t field, Index num_classes) {
    const double value = parse_number(file, record, field);
    if (!(value >= 0 && value < static_cast<double>(num_classes) && value == std::floor(value)))
        throw InputError(location(file, record, field) + " (the class): \"" + std::string(record.fields[field]) +
                         "\" is not a class index in [0, " + std::to_string(num_classes) + ")");
    return static_cast<Index>(value);
}

Index parse_count(const std::filesystem::path& file, const Record& record, std::size_t field, const char* what) {
    const std::string_view text = record.fields[field];
    Index value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 1)
        throw InputError(location(file, record, field) + " (header): the " + what + " \"" + std::string(text) +
                         "\" is not a positive integer; the header must read <samples>,<features>,<class names...>");
    return value;
}

/// Samples in file order: column j of `inputs` and labels[j] come from record j.
struct Table {
    Matrix<double> inputs;
    std::vector<Index> labels;
};

Table parse_samples(const std::filesystem::path& file, std::span<const Record> records, Index num_features,
                    Index num_classes) {
    Table table{Matrix<double>(num_features, static_cast<Index>(records.size())), {}};
    const std::size_t expected_fields = static_cast<std::size_t>(num_features) + 1;
    for (std::size_t j = 0; j < records.size(); ++j) {
        const Record& record = records[j];
        if (record.fields.size() != expected_fields)
            throw InputError(file.string() + " line " + std::to_string(record.line) + ": " +
                             std::to_string(record.fields.size()) + " fields, expected " +
                             std::to_string(expected_fields) + " (" + std::to_string(num_features) +
                             " features, then the class)");
        for (Index f = 0; f < num_features; ++f)
            table.inputs(f, static_cast<Index>(j)) = parse_number(file, record, static_cast<std::size_t>(f));
        table.labels.push_back(parse_class(file, record, expected_fields - 1, num_classes));
    }
    return table;
}

void validate_options(const SklearnCsvOptions& options, const char* type) {
    if (options.samples_per_class < 0)
        throw InvalidArgument(std::string(type) + "::samples_per_class = " + std::to_string(options.samples_per_class) +
                              "; use 0 (every sample) or a positive count");
}

/// The Dataset of the selected samples of `table` (see the header: selection, scaling,
/// centering), named "<set>[...]".
Dataset select_samples(const std::filesystem::path& file, const Table& table, Index num_classes,
                       std::vector<std::string> class_names, const SklearnCsvOptions& options, double divisor,
                       const std::string& set_name, const std::string& scaling_note) {
    Dataset data;
    data.num_classes = num_classes;
    data.class_names = std::move(class_names);
    data.source_indices =
        balanced_subsample(table.labels, num_classes, options.samples_per_class, options.seed, file.string());
    data.inputs.resize(table.inputs.rows(), static_cast<Index>(data.source_indices.size()));
    for (std::size_t i = 0; i < data.source_indices.size(); ++i) {
        const Index j = data.source_indices[i];
        data.labels.push_back(table.labels[static_cast<std::size_t>(j)]);
        data.inputs.col(static_cast<Index>(i)) = table.inputs.col(j) / divisor;
    }
    if (options.center) data.center_inputs();
    data.name = set_name + "[" +
                (options.samples_per_class > 0
                     ? std::to_string(options.samples_per_class) + "/class, seed " + std::to_string(options.seed)
                     : std::string("all")) +
                scaling_note + (options.center ? ", centered" : "") + "]";
    data.validate();
    return data;
}

}  // namespace

Dataset load_sklearn_iris(const SklearnCsvOptions& options) {
    validate_options(options, "SklearnCsvOptions");
    const std::filesystem::path file = options.directory / "iris.csv";
    const std::string text = read_text(file);
    const std::vector<Record> records = split_records(text);
    if (records.empty()) throw InputError(file.string() + ": empty file; expected a header and one line per sample");
    const Record& header = records.front();
    if (header.fields.size() < 3)
        throw InputError(file.string() + " line " + std::to_string(header.line) +
                         " (header): " + std::to_string(header.fields.size()) +
                         " fields; the header must read <samples>,<features>,<class names...>");
    const Index num_samples = parse_count(file, header, 0, "number of samples");
    const Index num_features = parse_count(file, header, 1, "number of features");
    const std::vector<std::string> class_names(header.fields.begin() + 2, header.fields.end());
    const std::span<const Record> samples = std::span(records).subspan(1);
    if (static_cast<Index>(samples.size()) != num_samples)
        throw InputError(file.string() + ": the header declares " + std::to_string(num_samples) +
                         " samples, the file has " + std::to_string(samples.size()));
    const Index num_classes = static_cast<Index>(class_names.size());
    const Table table = parse_samples(file, samples, num_features, num_classes);
    return select_samples(file, table, num_classes, class_names, options, 1.0, "sklearn-iris", "");
}

Dataset load_sklearn_digits(const SklearnDigitsOptions& options) {
    validate_options(options, "SklearnDigitsOptions");
    const std::filesystem::path compressed = options.directory / "digits.csv.gz";
    const std::filesystem::path raw = options.directory / "digits.csv";
    std::error_code error;
    const std::filesystem::path file =
        !std::filesystem::exists(compressed, error) && std::filesystem::exists(raw, error) ? raw : compressed;
    const std::string text = read_text(file);
    const std::vector<Record> records = split_records(text);
    if (records.empty()) throw InputError(file.string() + ": empty file; expected one line per sample");
    const Table table = parse_samples(file, records, digits_num_features, digits_num_classes);
    std::vector<std::string> class_names;
    for (Index c = 0; c < digits_num_classes; ++c) class_names.push_back(std::to_string(c));
    return select_samples(file, table, digits_num_classes, class_names, options,
                          options.scale_to_unit ? digits_max_pixel : 1.0, "sklearn-digits",
                          options.scale_to_unit ? "" : ", raw 0..16");
}

}  // namespace ncverify
