#include "fuzz_input.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace ncverify::fuzz {
namespace {

class ScratchDirectory {
public:
    ScratchDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ncv-fuzz-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) fuzz_failure("cannot create a scratch directory in " + pattern);
        path_ = pattern;
    }
    ~ScratchDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDirectory(const ScratchDirectory&) = delete;
    ScratchDirectory& operator=(const ScratchDirectory&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace

const std::filesystem::path& scratch_directory() {
    static const ScratchDirectory directory;
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
