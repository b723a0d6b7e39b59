// Fuzz target: the checkpoint loader (io/checkpoint.hpp), on the bytes of a checkpoint
// file. The stored precision chooses the scalar type, as `ncv train --resume` and
// `ncv check` do. Invariants of an accepted checkpoint: one weight matrix per layer of
// the stored network, each of the shape the network's widths give, all entries finite
// (Network::validate_weights), and step >= 0.

#include "fuzz_input.hpp"
#include "ncverify/io/checkpoint.hpp"
#include "ncverify/scalar/dispatch.hpp"

using namespace ncverify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = fuzz::write_scratch_file("checkpoint.json", fuzz::as_text(data, size));
    fuzz::expect_value_or_input_error([&] {
        const Precision precision = checkpoint_precision(file);
        with_scalar(precision, [&]<class S>() {
            const Checkpoint<S> checkpoint = load_checkpoint<S>(file);
            const NetworkSpec& spec = checkpoint.state.network.spec;
            if (checkpoint.state.step < 0) fuzz::fuzz_failure("negative step accepted");
            if (static_cast<Index>(checkpoint.state.network.weights.size()) != spec.num_layers())
                fuzz::fuzz_failure("weight count differs from the network's layers");
            for (Index l = 1; l <= spec.num_layers(); ++l) {
                const auto& w = checkpoint.state.network.weights[static_cast<std::size_t>(l - 1)];
                if (w.rows() != spec.width(l) || w.cols() != spec.width(l - 1))
                    fuzz::fuzz_failure("a weight matrix does not have the network's shape");
            }
        });
    });
    return 0;
}
