#pragma once
// The invariants of an array accepted by the .npy parser (io/npy_file.hpp), checked by the
// npy_file and npz_archive fuzz targets: at most 2 dimensions, each >= 0; as many values
// as the product of the shape; every value finite (NaN / Inf are NonFiniteValue); integer
// dtypes only with values a double holds exactly (integral, |v| <= 2^53).

#include <cmath>
#include <cstdint>

#include "fuzz_input.hpp"
#include "ncverify/io/npy_file.hpp"

namespace ncverify::fuzz {

inline void check_npy_array(const NpyArray& array) {
    const std::string what = "array \"" + array.name + "\": ";
    if (array.shape.size() > 2) fuzz_failure(what + "more than 2 dimensions accepted");
    std::int64_t count = 1;
    for (const std::int64_t extent : array.shape) {
        if (extent < 0) fuzz_failure(what + "a negative extent accepted");
        count *= extent;
    }
    if (count != array.size()) fuzz_failure(what + "the number of values differs from the product of the shape");
    for (const double value : array.values) {
        if (!std::isfinite(value)) fuzz_failure(what + "a non-finite value accepted");
        if (array.is_integer() && (value != std::trunc(value) || std::fabs(value) > 0x1p53))
            fuzz_failure(what + "an integer value a double cannot hold exactly");
    }
}

}  // namespace ncverify::fuzz
