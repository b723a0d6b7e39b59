// Fuzz target: the .npz reader (io/npz_archive.hpp), on the bytes of an archive (ZIP,
// stored or deflated members, ZIP64), with every member parsed as a .npy file.
// Invariants of an accepted archive: member names distinct and findable; every member
// an array with as many values as its shape's product, all finite.

#include <cmath>
#include <set>

#include "fuzz_input.hpp"
#include "ncverify/io/npz_archive.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz::write_scratch_file("fuzz.npz", fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const NpzArchive archive = read_npz_archive(file);
        std::set<std::string> names;
        for (const NpyArray& array : archive.arrays) {
            if (!names.insert(array.name).second) fuzz::fuzz_failure("two members named " + array.name);
            if (archive.find(array.name) != &array) fuzz::fuzz_failure("find() does not return member " + array.name);
            std::int64_t count = 1;
            for (const std::int64_t extent : array.shape) count *= extent;
            if (array.shape.size() > 2 || count != array.size())
                fuzz::fuzz_failure("member " + array.name + " has values inconsistent with its shape");
            for (const double value : array.values)
                if (!std::isfinite(value)) fuzz::fuzz_failure("member " + array.name + " holds a non-finite value");
        }
    });
    return 0;
}
