// Checkpoints: exact round trips at every precision, and clear errors on bad files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ncverify/io/atomic_file.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "support/small_problem.hpp"
#include "support/temp_dir.hpp"

using namespace ncverify;
using namespace ncverify::testing;

namespace {

NetworkSpec tiny_spec() {
    return small_problem(3, 2, 2, {5, 4, 2}, 1, Activation::smooth_leaky_relu(0.3, 2.0), 1).spec;
}

std::string load_error(const std::filesystem::path& path) {
    try {
        load_checkpoint<double>(path);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// Weights that use every bit (products of irrational-ish numbers) survive save -> load
// exactly, with their precision, at 53 (double), 256 and 1024 bits.
TEST(Checkpoint, RoundTripsBitForBit) {
    TempDir scratch;
    const NetworkSpec spec = tiny_spec();
    {
        TrainingState<double> state{initialize_network(spec, {InitScheme::he, {}, 5}), 12};
        save_checkpoint(scratch.path() / "d.json", state, Precision::ieee_double(), {{"note", "double"}});
        const Checkpoint<double> back = load_checkpoint<double>(scratch.path() / "d.json");
        EXPECT_EQ(back.state.step, 12);
        EXPECT_EQ(back.metadata.at("note"), "double");
        for (Index l = 1; l <= 3; ++l) EXPECT_EQ(back.state.network.weight(l), state.network.weight(l));
    }
    for (unsigned bits : {256u, 1024u}) {
        const Precision precision = Precision::mpfr_bits(bits);
        MpfrPrecisionScope scope(precision);
        TrainingState<Mpfr> state{network_from_double<Mpfr>(initialize_network(spec, {InitScheme::he, {}, 5})), 3};
        for (Matrix<Mpfr>& w : state.network.weights) w = w.unaryExpr([](const Mpfr& v) { return Mpfr(sqrt(abs(v)) / 3); });
        save_checkpoint(scratch.path() / "m.json", state, precision);
        EXPECT_EQ(checkpoint_precision(scratch.path() / "m.json"), precision);
        const Checkpoint<Mpfr> back = load_checkpoint<Mpfr>(scratch.path() / "m.json");
        for (Index l = 1; l <= 3; ++l)
            for (Index k = 0; k < state.network.weight(l).size(); ++k) {
                const Mpfr& a = state.network.weight(l).data()[k];
                const Mpfr& b = back.state.network.weight(l).data()[k];
                ASSERT_NE(mpfr_equal_p(a.backend().data(), b.backend().data()), 0);
                ASSERT_EQ(precision_bits_of(b), precision.effective_bits());
            }
    }
}

TEST(Checkpoint, BadFilesGiveClearErrors) {
    TempDir scratch;
    const auto good = scratch.path() / "good.json";
    save_checkpoint(good, TrainingState<double>{initialize_network(tiny_spec(), {}), 0}, Precision::ieee_double());
    const std::string text = read_file(good);

    EXPECT_NE(load_error(scratch.path() / "missing.json").find("cannot read"), std::string::npos);
    write_file_atomically(scratch.path() / "truncated.json", text.substr(0, text.size() / 2));
    EXPECT_NE(load_error(scratch.path() / "truncated.json").find("corrupt checkpoint"), std::string::npos);
    write_file_atomically(scratch.path() / "other.json", R"({"format": "something-else"})");
    EXPECT_NE(load_error(scratch.path() / "other.json").find("not an ncverify checkpoint"), std::string::npos);

    nlohmann::json json = nlohmann::json::parse(text);
    json["weights"][1]["values"][0] = "not-a-number";
    write_file_atomically(scratch.path() / "value.json", json.dump());
    EXPECT_NE(load_error(scratch.path() / "value.json").find("not-a-number"), std::string::npos);

    json = nlohmann::json::parse(text);
    json["weights"][0]["values"].erase(0);
    write_file_atomically(scratch.path() / "short.json", json.dump());
    EXPECT_NE(load_error(scratch.path() / "short.json").find("weights[0] declares"), std::string::npos);

    json = nlohmann::json::parse(text);
    json["weights"][2]["values"][1] = "inf";
    write_file_atomically(scratch.path() / "inf.json", json.dump());
    EXPECT_NE(load_error(scratch.path() / "inf.json").find("NaN or infinite"), std::string::npos);

    MpfrPrecisionScope scope(Precision::mpfr_bits(256));
    try {
        load_checkpoint<Mpfr>(good);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("checkpoint precision is double"), std::string::npos) << e.what();
    }
}

TEST(AtomicFile, ReplacesWholeFilesAndLeavesNoTemporaries) {
    TempDir scratch;
    const auto path = scratch.path() / "out.txt";
    write_file_atomically(path, "first");
    write_file_atomically(path, "second, longer content");
    EXPECT_EQ(read_file(path), "second, longer content");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(scratch.path())) ++files;
    EXPECT_EQ(files, 1u);
    EXPECT_THROW(write_file_atomically(scratch.path() / "no" / "such" / "dir.txt", "x"), InputError);
}
