#pragma once
// Networks trained elsewhere, imported from NumPy files for `ncv check --import`
// (docs/data.md, "NumPy import"). Two layouts:
//
//   whole  the weights W_1 .. W_L (W_l is n_l x n_{l-1}, PyTorch's nn.Linear.weight with
//          bias=False), the inputs X (d x N, one column per sample) and the labels y (N
//          integers); L1, the activation and K describe the architecture. The state
//          checkers see H_{L1} computed by the forward pass (check_state_from_network);
//          certified mode encloses that forward pass from the exact stored values.
//   head   the features H = H_{L1} (n_{L1} x N), the head weights W_{L1+1} .. W_L and y.
//          The checkers take H as given (check_state_from_features); certified mode
//          treats its values as exact.
//
// The arrays come from one .npz archive (members named in the manifest; defaults
// W<l>, X, y, H) or from separate .npy files (paths relative to the manifest; defaults
// W<l>.npy, X.npy, y.npy, H.npy). The description is a manifest, a small JSON file:
//
//   {"format": "ncverify-import", "version": 1,         // both optional
//    "layout": "whole",                                 // or "head"; required
//    "archive": "model.npz",                            // optional: without it, .npy files
//    "arrays": {"weights": ["W1", "W2", "W3"],          // optional, each key optional
//               "inputs": "X", "labels": "y"},          // ("features": "H" for head)
//    "nonlinear_layers": 2,                             // L1 >= 1; required
//    "activation": {"name": "smooth_leaky_relu", "slope": 0.2, "beta": 1.0},
//    "classes": 4,                                      // optional: default n_L (rows of W_L)
//    "samples_as_rows": false,                          // X and H stored N x d / N x n_{L1}
//    "description": "free text"}                        // optional
//
// or, for an .npz archive or a directory of .npy files with the default names, the same
// fields given as command-line flags (ImportSpec built by the caller). Default weight
// names are W<s>, W<s+1>, ... as long as they exist, from s = 1 (whole) or L1 + 1 (head);
// a further W<k> after a gap is an error.
//
// Samples must be grouped by class for the checkers: when y is not sorted, the samples
// are reordered by class (stable sort) and ImportedModel::notes says so. Classes may be
// unbalanced (the checkers test balance as a hypothesis) but none may be empty.
//
// Errors (InputError unless marked; exit status 2 in ncv) name the file and the array:
// manifest syntax, unknown or mistyped keys, a missing array (the archive and the arrays
// it holds; a missing .npy file), the readers' errors (dtype, corrupt file, NaN / Inf:
// NonFiniteValue naming the array and entry), shapes (ShapeMismatch: "W2 is 3x5 but W1
// has 4 rows"), label count, a label outside [0, K) (naming the sample), an empty class.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "import_manifest.hpp"
#include "ncverify/checkers/certification.hpp"
#include "ncverify/checkers/checker_options.hpp"
#include "ncverify/checkers/verdict.hpp"
#include "ncverify/network/network.hpp"

namespace ncverify::app {

/// A network or head read from NumPy files, with its samples grouped by class.
struct ImportedModel {
    ImportLayout layout = ImportLayout::whole;
    std::string origin;
    Index nonlinear_layers = 0;  // L1
    /// Whole layout: the network and its inputs X (d x N).
    std::optional<Network<double>> network;
    Matrix<double> inputs;
    /// Head layout: W_{L1+1} .. W_L and H_{L1} (n_{L1} x N), and the head's biases
    /// (empty, or one per head layer with size 0 for a layer without; whole layout: in
    /// `network`).
    std::vector<Matrix<double>> head_weights;
    std::vector<Vector<double>> head_biases;
    Matrix<double> features;
    /// N labels in [0, K), sorted (the samples reordered if they were not).
    std::vector<Index> labels;
    /// An optional second split (arrays X_test or H_test, and y_test, in the layout of X
    /// or H): measured by `ncv measure` beside the training split; the theorems, and so
    /// `ncv check`, speak about the training data only. Samples sorted by class too.
    std::optional<Matrix<double>> test_data;
    std::vector<Index> test_labels;
    Index num_classes = 0;
    /// Remarks for the verdicts, e.g. that the samples were reordered.
    std::vector<std::string> notes;
    /// From the manifest (ImportSpec).
    std::optional<double> weight_decay, learning_rate;

    /// One line, e.g. "whole network 30-64-4 (L1=1 relu, L2=1 linear), N = 24 samples,
    /// K = 4 classes (6 each)".
    std::string describe() const;
};

/// Reads the arrays of `spec` and checks them (see the header comment).
ImportedModel load_imported_model(const ImportSpec& spec);

/// The arrays of an import, read from files (load_imported_model) or given by the Python
/// module, with the names that error messages use: the data X or H (samples as columns,
/// or as rows with spec.samples_as_rows), the weights in layer order with an optional
/// bias each, the labels, and an optional test split.
struct ImportArrays {
    std::string where;  // what messages start with
    Matrix<double> data;
    std::string data_name;
    std::vector<Matrix<double>> weights;
    std::vector<std::string> weight_names;
    std::vector<std::optional<Vector<double>>> biases;  // one per weight
    std::vector<std::string> bias_names;
    std::vector<Index> labels;
    std::string labels_name;
    std::optional<Matrix<double>> test_data;
    std::string test_data_name;
    std::vector<Index> test_labels;
    std::string test_labels_name;
};

/// Checks the arrays against `spec` (the layout, L1, the activation, K) and builds the
/// model, with the errors of the header comment.
ImportedModel assemble_imported_model(ImportArrays arrays, const ImportSpec& spec);

/// The checkers' verdicts on an imported model at `precision` (the stored values are
/// float32 or float64, converted exactly). With `certification`, each verdict carries
/// its Certificate: whole layout from the forward pass enclosed from the exact weights
/// and inputs, head layout from H taken as exact. The model's notes are appended to
/// every verdict's notes.

/// The options of the network checkers (T6) on `model`: `options` with lambda and eta,
/// where not given, from the model (its manifest's weight_decay and learning_rate).
CheckerOptions imported_network_options(const ImportedModel& model, const CheckerOptions& options);

std::vector<Verdict> check_imported_model(const ImportedModel& model, const CheckerOptions& options,
                                          const std::vector<std::string>& selected,
                                          const std::optional<CertificationOptions>& certification = std::nullopt,
                                          const Precision& precision = Precision::ieee_double());

}  // namespace ncverify::app
