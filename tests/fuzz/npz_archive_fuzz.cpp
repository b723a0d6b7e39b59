// Fuzz target: the .npz reader (io/npz_archive.hpp), on the bytes of an archive (ZIP,
// stored or deflated members, ZIP64), with every member parsed as a .npy file.
// Invariants of an accepted archive: member names distinct and findable; every member
// satisfies npy_array_invariants.hpp.

#include <set>

#include "fuzz_input.hpp"
#include "ncverify/io/npz_archive.hpp"
#include "npy_array_invariants.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz::write_scratch_file("fuzz.npz", fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const NpzArchive archive = read_npz_archive(file);
        std::set<std::string> names;
        for (const NpyArray& array : archive.arrays) {
            if (!names.insert(array.name).second) fuzz::fuzz_failure("two members named " + array.name);
            if (archive.find(array.name) != &array) fuzz::fuzz_failure("find() does not return member " + array.name);
            fuzz::check_npy_array(array);
        }
    });
    return 0;
}
