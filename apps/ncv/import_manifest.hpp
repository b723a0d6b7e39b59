#pragma once
// The import manifest of `ncv check --import` (docs/data.md, "NumPy import"): what to
// import and how, read from a small JSON file or given as command-line flags. The format
// is described in import_model.hpp, which loads the arrays a manifest names.
//
// Reading validates everything that does not need the arrays: JSON syntax, unknown or
// mistyped keys, the layout, L1 >= 1, the activation and its parameters, the classes,
// lambda and eta (finite, >= 0). Every failure is an InputError whose message starts
// with the manifest's path (or what the user named) and names the key; nothing else is
// thrown (tests/fuzz/import_manifest_fuzz.cpp checks this contract).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ncverify/network/activation.hpp"
#include "ncverify/linalg/matrix.hpp"

namespace ncverify::app {

enum class ImportLayout { whole, head };
/// "whole" or "head".
std::string import_layout_name(ImportLayout layout);
/// Parses "whole" / "head"; throws InputError naming `context` and the valid names.
ImportLayout import_layout_from_name(const std::string& name, const std::string& context);

/// What to import and how: the content of a manifest, or the same from flags.
struct ImportSpec {
    /// What the user named (manifest, archive or directory); error messages start with it.
    std::string origin;
    ImportLayout layout = ImportLayout::whole;
    /// The .npz archive, as written in the manifest (relative to `directory`); empty
    /// when the arrays are separate .npy files.
    std::string archive;
    /// Where relative paths are resolved: the manifest's directory, or the directory of
    /// .npy files given on the command line (empty: the current directory).
    std::filesystem::path directory;
    /// Array names (archive members) or .npy paths (relative to `directory`); empty or
    /// absent means the default (see the header comment).
    std::vector<std::string> weights;
    std::optional<std::string> inputs, features, labels;
    Index nonlinear_layers = 0;
    /// Required for the whole layout; optional (informative) for the head layout.
    std::optional<Activation> activation;
    std::optional<Index> num_classes;
    bool samples_as_rows = false;
    std::string description;
    /// lambda and eta of the training (the last phase's), for the network checkers (T6);
    /// the command-line options of `ncv check` override them.
    std::optional<double> weight_decay, learning_rate;
    /// Arrays the layout does not read are an error unless this is set (manifest key
    /// "allow_unused_arrays", option --allow-unused-arrays).
    bool allow_unused_arrays = false;
};

/// Reads and validates the manifest `file` (JSON, see the header comment). Throws
/// InputError naming the file and the key.
ImportSpec read_import_manifest(const std::filesystem::path& file);

/// The activation named `name` with its parameters: `slope` is required by
/// smooth_leaky_relu (gamma in (0, 1)) and leaky_relu (in [0, 1)), `beta` is allowed
/// only for smooth_leaky_relu (default 1); relu, tanh and identity take neither.
/// Throws InputError starting with `context` (unknown name, missing or extra parameter,
/// value out of range).
Activation import_activation(const std::string& name, std::optional<double> slope, std::optional<double> beta,
                             const std::string& context);

/// The layout given by command-line flags instead of a manifest.
struct ImportFlags {
    std::optional<std::string> layout;
    std::optional<Index> nonlinear_layers;
    std::optional<std::string> activation;
    std::optional<double> slope, beta;
    std::optional<Index> num_classes;
    bool samples_as_rows = false;

    bool any() const {
        return layout || nonlinear_layers || activation || slope || beta || num_classes || samples_as_rows;
    }
};

/// What `ncv check --import PATH` imports: PATH ending in ".json" is a manifest (no
/// flags allowed); a directory holds .npy files with the default names; anything else
/// is an .npz archive with the default names. For the latter two, `flags` give the
/// layout, L1 (both required), the activation (required for the whole layout), K and
/// samples_as_rows. Throws InputError naming the missing or superfluous flag.
ImportSpec resolve_import(const std::filesystem::path& path, const ImportFlags& flags);

/// The manifest of `spec` (what read_import_manifest reads back): every key written
/// explicitly, in the documented order, the activation with only its own parameters.
nlohmann::ordered_json import_manifest_to_json(const ImportSpec& spec);

/// Throws InputError starting with `context` when `spec` is incomplete or inconsistent:
/// L1 < 1, no activation for the whole layout, features (H) named for the whole layout
/// or inputs (X) for the head layout.
void validate_import_spec(const ImportSpec& spec, const std::string& context);

}  // namespace ncverify::app
