#pragma once
// The network of a run written by `ncv train`, as the model `ncv measure` measures: a
// run directory's final checkpoint (checkpoints/final.json) or a given checkpoint file,
// with the training data reloaded from the run configuration recorded in the checkpoint
// (check_command.hpp: reload_checkpoint_run), in the whole layout of an import
// (import_model.hpp). A run has no test split: its data configuration names one split,
// the one it was trained on, so the model has no test data.
//
// The model holds the checkpoint's exact doubles, so its measurements are those of the
// trained network, and `ncv export` followed by `ncv measure --import` gives the same
// numbers. A checkpoint saved in MPFR is refused unless `round_to_double` is set: its
// weights are then rounded to the nearest double, and the model's notes say so.
//
// Errors (InputError, exit status 2 in ncv): a directory without checkpoints/final.json
// ("not a run directory"), a file that is not a checkpoint or is corrupt (the messages of
// io/checkpoint.hpp, naming the file), a checkpoint without its run configuration, data
// that cannot be reloaded; InvalidArgument for an MPFR checkpoint without round_to_double.

#include <filesystem>

#include "import_model.hpp"

namespace ncverify::app {

/// The model of the checkpoint of `run_or_checkpoint` (see above); lambda and eta are
/// those of the step that produced it (with_trained_lambda_eta).
ImportedModel load_checkpoint_model(const std::filesystem::path& run_or_checkpoint, bool round_to_double = false);

}  // namespace ncverify::app
