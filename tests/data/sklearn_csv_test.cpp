// scikit-learn's iris.csv and digits.csv.gz readers, on files written here in the exact
// format of the package python3-sklearn (which the tests do not need).
#include <gtest/gtest.h>

#include "data/data_test_files.hpp"
#include "ncverify/data/sklearn_csv.hpp"
#include "ncverify/errors.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

// The real file's header and lines, six samples, classes out of order.
const std::string iris_text =
    "6,4,setosa,versicolor,virginica\n"
    "6.3,3.3,6.0,2.5,2\n"
    "5.1,3.5,1.4,0.2,0\n"
    "7.0,3.2,4.7,1.4,1\n"
    "4.9,3.0,1.4,0.2,0\n"
    "6.4,3.2,4.5,1.5,1\n"
    "5.8,2.7,5.1,1.9,2\n";

SklearnCsvOptions in(const TempDir& dir) {
    SklearnCsvOptions o;
    o.directory = dir.path();
    return o;
}

/// 30 digit records, 3 of each class in the order 0..9 repeated; pixel p of record j is
/// (j + p) mod 17. Odd records are written as numpy.savetxt's "%.18e", even ones as integers.
std::string digits_text() {
    std::string text;
    char buffer[32];
    for (int j = 0; j < 30; ++j) {
        for (int p = 0; p <= 64; ++p) {
            const int value = p < 64 ? (j + p) % 17 : j % 10;
            if (j % 2 == 1)
                std::snprintf(buffer, sizeof buffer, "%.18e", static_cast<double>(value));
            else
                std::snprintf(buffer, sizeof buffer, "%d", value);
            text += buffer;
            text += p < 64 ? "," : "\n";
        }
    }
    return text;
}

}  // namespace

TEST(SklearnIris, ReadsTheFileOrderedByClass) {
    TempDir dir;
    write_raw(dir / "iris.csv", text_bytes(iris_text));
    const Dataset data = load_sklearn_iris(in(dir));
    EXPECT_EQ(data.num_samples(), 6);
    EXPECT_EQ(data.input_dim(), 4);
    EXPECT_EQ(data.num_classes, 3);
    EXPECT_EQ(data.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
    EXPECT_EQ(data.labels, (std::vector<Index>{0, 0, 1, 1, 2, 2}));
    EXPECT_EQ(data.source_indices, (std::vector<Index>{1, 3, 2, 4, 0, 5}));
    EXPECT_EQ(data.inputs(0, 0), 5.1);
    EXPECT_EQ(data.inputs(3, 5), 1.9);
    EXPECT_EQ(data.inputs(2, 4), 6.0);
    EXPECT_EQ(data.name, "sklearn-iris[all]");
}

TEST(SklearnIris, SubsamplesAndCenters) {
    TempDir dir;
    write_raw(dir / "iris.csv", text_bytes(iris_text));
    SklearnCsvOptions o = in(dir);
    o.samples_per_class = 1;
    o.seed = 4;
    o.center = true;
    const Dataset data = load_sklearn_iris(o);
    EXPECT_EQ(data.labels, (std::vector<Index>{0, 1, 2}));
    EXPECT_EQ(load_sklearn_iris(o).source_indices, data.source_indices);
    EXPECT_LT(data.inputs.rowwise().sum().cwiseAbs().maxCoeff(), 1e-14);
    EXPECT_EQ(data.name, "sklearn-iris[1/class, seed 4, centered]");
}

TEST(SklearnIris, AcceptsCrLfSpacesAndBlankLines) {
    TempDir dir;
    std::string text;
    for (const char ch : iris_text)
        text += ch == '\n' ? std::string("\r\n") : ch == ',' ? std::string(" , ") : std::string(1, ch);
    write_raw(dir / "iris.csv", text_bytes("\n" + text + "\r\n\n"));
    const Dataset data = load_sklearn_iris(in(dir));
    EXPECT_EQ(data.num_samples(), 6);
    EXPECT_EQ(data.class_names.back(), "virginica");
}

TEST(SklearnIris, ErrorsNameFileLineAndField) {
    struct Case {
        std::string text;
        std::initializer_list<std::string> fragments;
    };
    const Case cases[] = {
        {"", {"empty file"}},
        {"6,4\n", {"line 1 (header)", "2 fields"}},
        {"six,4,a,b\n", {"line 1, field 1 (header)", "\"six\" is not a positive integer"}},
        {"7,4,setosa,versicolor,virginica\n" + iris_text.substr(iris_text.find('\n') + 1),
         {"declares 7 samples, the file has 6"}},
        {"1,4,a,b\n1.0,2.0,3.0,0\n", {"line 2: 4 fields, expected 5 (4 features, then the class)"}},
        {"1,4,a,b\n1.0,x,3.0,4.0,0\n", {"line 2, field 2", "\"x\" is not a number"}},
        {"1,4,a,b\n1.0,nan,3.0,4.0,0\n", {"line 2, field 2", "\"nan\" is not finite"}},
        {"1,4,a,b\n1.0,2.0,3.0,4.0,2\n", {"line 2, field 5 (the class)", "\"2\" is not a class index in [0, 2)"}},
        {"1,4,a,b\n1.0,2.0,3.0,4.0,0.5\n", {"\"0.5\" is not a class index"}},
        {"2,1,a,b\n1.0,0\n2.0,0\n", {"class 1 has no samples"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        TempDir dir;
        write_raw(dir / "iris.csv", text_bytes(c.text));
        const std::string message = error_message<InputError>([&] { load_sklearn_iris(in(dir)); });
        expect_mentions(message, {(dir / "iris.csv").string()});
        expect_mentions(message, c.fragments);
    }
}

TEST(SklearnIris, MissingFileNamesThePackage) {
    TempDir dir;
    expect_mentions(error_message<InputError>([&] { load_sklearn_iris(in(dir)); }),
                    {(dir / "iris.csv").string(), "file not found", "python3-sklearn", sklearn_data_default_directory});
    EXPECT_EQ(SklearnCsvOptions().directory, "/usr/lib/python3/dist-packages/sklearn/datasets/data");
}

TEST(SklearnDigits, ReadsGzipScalesBySixteenAndOrdersByClass) {
    TempDir dir;
    write_gzip(dir / "digits.csv.gz", text_bytes(digits_text()));
    SklearnDigitsOptions o;
    o.directory = dir.path();
    const Dataset data = load_sklearn_digits(o);
    EXPECT_EQ(data.num_samples(), 30);
    EXPECT_EQ(data.input_dim(), 64);
    EXPECT_EQ(data.num_classes, 10);
    EXPECT_EQ(data.class_names.at(7), "7");
    for (Index i = 0; i < 30; ++i) {
        const Index record = data.source_indices[static_cast<std::size_t>(i)];
        EXPECT_EQ(record, (i / 3) + 10 * (i % 3));  // class i / 3, then file order
        EXPECT_EQ(data.labels[static_cast<std::size_t>(i)], record % 10);
        for (Index p = 0; p < 64; ++p) EXPECT_EQ(data.inputs(p, i), static_cast<double>((record + p) % 17) / 16.0);
    }
    EXPECT_LE(data.inputs.maxCoeff(), 1.0);
    EXPECT_EQ(data.name, "sklearn-digits[all]");

    o.scale_to_unit = false;
    o.samples_per_class = 2;
    o.seed = 8;
    const Dataset raw = load_sklearn_digits(o);
    EXPECT_TRUE(raw.is_balanced());
    EXPECT_EQ(raw.num_samples(), 20);
    EXPECT_EQ(raw.inputs(5, 0), static_cast<double>((raw.source_indices[0] + 5) % 17));
    EXPECT_EQ(raw.name, "sklearn-digits[2/class, seed 8, raw 0..16]");
}

TEST(SklearnDigits, ReadsAnUncompressedFileToo) {
    TempDir dir;
    write_raw(dir / "digits.csv", text_bytes(digits_text()));
    SklearnDigitsOptions o;
    o.directory = dir.path();
    EXPECT_EQ(load_sklearn_digits(o).num_samples(), 30);
}

TEST(SklearnDigits, ErrorsNameTheFileAndPackage) {
    TempDir dir;
    SklearnDigitsOptions o;
    o.directory = dir.path();
    expect_mentions(error_message<InputError>([&] { load_sklearn_digits(o); }),
                    {(dir / "digits.csv.gz").string(), "python3-sklearn"});
    write_gzip(dir / "digits.csv.gz", text_bytes("1,2,3\n"));
    expect_mentions(error_message<InputError>([&] { load_sklearn_digits(o); }),
                    {"line 1: 3 fields, expected 65 (64 features, then the class)"});
    const std::vector<std::uint8_t> full = [&] {
        write_gzip(dir / "digits.csv.gz", text_bytes(digits_text()));
        return read_raw(dir / "digits.csv.gz");
    }();
    write_raw(dir / "digits.csv.gz", std::vector<std::uint8_t>(full.begin(), full.begin() + std::ssize(full) / 2));
    expect_mentions(error_message<InputError>([&] { load_sklearn_digits(o); }), {"premature end of file", "cut short"});
    o.samples_per_class = -1;
    expect_mentions(error_message<InvalidArgument>([&] { load_sklearn_digits(o); }),
                    {"SklearnDigitsOptions::samples_per_class = -1"});
}
