// Fuzz target: the IDX readers (data/idx_file.hpp) behind GzipFileReader, on the bytes of
// a file that is either raw IDX or gzip-compressed IDX (the reader tells them apart by
// the gzip magic). The same bytes go to the image reader and to the label reader.
// Invariants of an accepted file: count x rows x cols pixels for images, and no more
// data than idx_max_data_bytes (a header cannot make the reader allocate more).

#include "fuzz_input.hpp"
#include "ncverify/data/idx_file.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz::write_scratch_file("fuzz-idx", fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const IdxImages images = read_idx_images(file);
        if (images.count < 0 || images.rows < 0 || images.cols < 0)
            fuzz::fuzz_failure("negative image dimensions accepted");
        if (images.pixels.size() != static_cast<std::size_t>(images.count * images.rows * images.cols))
            fuzz::fuzz_failure("pixel count differs from count x rows x cols");
    });
    fuzz::expect_value_or_input_error([&] {
        const std::vector<std::uint8_t> labels = read_idx_labels(file);
        if (labels.size() > idx_max_data_bytes) fuzz::fuzz_failure("more labels than idx_max_data_bytes");
    });
    return 0;
}
