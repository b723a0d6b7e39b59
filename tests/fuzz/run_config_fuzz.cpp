// Fuzz target: the TOML configuration loader and validator (io/run_config.hpp), on the
// text of a configuration file. An accepted configuration must be one a run can start
// from: a valid network (widths, L1 >= 1, L2 >= 1), at least one training phase, and
// periods >= 0. (The data-dependent checks, bind_config_to_data, need the dataset.)

#include "fuzz_input.hpp"
#include "ncverify/io/run_config.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::expect_value_or_input_error([&] {
        const RunConfig config = parse_run_config(fuzz::as_text(data, size), "fuzz.toml");
        if (config.phases.empty()) fuzz::fuzz_failure("a configuration without training phases was accepted");
        if (config.network.nonlinear_layers < 1 || config.network.linear_layers < 1 ||
            config.network.num_layers() != config.network.nonlinear_layers + config.network.linear_layers)
            fuzz::fuzz_failure("an inconsistent network was accepted: " + config.network.describe());
        if (config.record_every < 0 || config.checkpoint_every < 0 || config.report_every < 0)
            fuzz::fuzz_failure("a negative period was accepted");
    });
    return 0;
}
