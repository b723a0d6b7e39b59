#include "fuzz_input.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "support/temp_dir.hpp"

namespace ncverify::fuzz {

const std::filesystem::path& scratch_directory() {
    static const testing::TempDir directory;
    return directory.path();
}

std::filesystem::path write_scratch_file(const std::string& name, std::string_view bytes) {
    const std::filesystem::path path = scratch_directory() / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) fuzz_failure("cannot write the scratch file " + path.string());
    return path;
}

void fuzz_failure(const std::string& what) {
    std::fprintf(stderr, "ncverify fuzz target: invariant violated: %s\n", what.c_str());
    std::abort();
}

}  // namespace ncverify::fuzz
