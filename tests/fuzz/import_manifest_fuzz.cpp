// Fuzz target: the import manifest reader of `ncv check --import` (apps/ncv/
// import_manifest.hpp), on the text of a manifest. Invariants of an accepted manifest:
// it is complete (validate_import_spec does not throw) and it round-trips: writing it
// with import_manifest_to_json and reading that back gives the same JSON.

#include "fuzz_input.hpp"
#include "import_manifest.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz::write_scratch_file("model.json", fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const app::ImportSpec spec = app::read_import_manifest(file);
        app::validate_import_spec(spec, spec.origin);
        const nlohmann::ordered_json written = app::import_manifest_to_json(spec);
        const auto copy = fuzz::write_scratch_file("model-copy.json", written.dump());
        if (app::import_manifest_to_json(app::read_import_manifest(copy)) != written)
            fuzz::fuzz_failure("the manifest does not round-trip: " + written.dump());
    });
    return 0;
}
