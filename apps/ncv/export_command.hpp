#pragma once
// `ncv export RUN_OR_CHECKPOINT --out model.npz`: writes a trained network as NumPy
// arrays, in the layout `ncv check --import` reads (import_model.hpp; docs/data.md,
// "NumPy import"), so that an exported network can be checked like one trained
// elsewhere and compared with the native run.
//
//   --layout whole (default)  W1 .. WL, X (d x N) and y (N labels, sorted by class)
//   --layout head             W_(L1+1) .. WL, H = H_{L1} (n_{L1} x N, the forward pass
//                             at the checkpoint's precision) and y
//
// The arrays are float64 (y: int64), C order, members of a stored (uncompressed) .npz
// (io/npz_writer.hpp); the manifest model.json is written next to it (the --out path
// with the extension .json). Values are the checkpoint's exact doubles: importing the
// export gives the same verdicts as `ncv check` on the checkpoint. A checkpoint saved
// in MPFR is refused unless --round-to-double is given (its weights would be rounded to
// the nearest double, and the verdicts may then differ from the native run's).

#include <CLI/CLI.hpp>
#include <filesystem>

#include "import_model.hpp"

namespace ncverify::app {

/// Writes the export of `run_or_checkpoint` to `archive` and its manifest (same path,
/// extension .json); returns the manifest's path. Throws InvalidArgument for an MPFR
/// checkpoint without `round_to_double`, or for an `archive` path ending in .json.
std::filesystem::path export_checkpoint(const std::filesystem::path& run_or_checkpoint,
                                        const std::filesystem::path& archive, ImportLayout layout,
                                        bool round_to_double);

void add_export_command(CLI::App& app);

}  // namespace ncverify::app
