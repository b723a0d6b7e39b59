// Fuzz target: the .npy parser (io/npy_file.hpp), on the bytes of a .npy file. An
// accepted array must satisfy npy_array_invariants.hpp.

#include <span>

#include "fuzz_input.hpp"
#include "npy_array_invariants.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expect_value_or_input_error([&] {
        fuzz::check_npy_array(parse_npy_bytes(std::span<const std::uint8_t>(data, size), "fuzz", "fuzz.npy"));
    });
    return 0;
}
