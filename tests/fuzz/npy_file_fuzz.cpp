// Fuzz target: the .npy parser (io/npy_file.hpp), on the bytes of a .npy file.
// Invariants of an accepted array: at most 2 dimensions, each >= 0; as many values as
// the product of the shape; every value finite (NaN / Inf are NonFiniteValue); integer
// dtypes only with values a double holds exactly (|v| <= 2^53, integral).

#include <cmath>
#include <span>

#include "fuzz_input.hpp"
#include "ncverify/io/npy_file.hpp"

using namespace ncverify;

namespace {

void check_array(const NpyArray& array) {
    if (array.shape.size() > 2) fuzz::fuzz_failure("an accepted array has more than 2 dimensions");
    std::int64_t count = 1;
    for (const std::int64_t extent : array.shape) {
        if (extent < 0) fuzz::fuzz_failure("an accepted array has a negative extent");
        count *= extent;
    }
    if (count != array.size()) fuzz::fuzz_failure("the number of values differs from the product of the shape");
    for (const double value : array.values) {
        if (!std::isfinite(value)) fuzz::fuzz_failure("an accepted array holds a non-finite value");
        if (array.is_integer() && (value != std::trunc(value) || std::fabs(value) > 0x1p53))
            fuzz::fuzz_failure("an integer array holds a value a double cannot hold exactly");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expect_value_or_input_error([&] {
        check_array(parse_npy_bytes(std::span<const std::uint8_t>(data, size), "fuzz", "fuzz.npy"));
    });
    return 0;
}
