#pragma once
// `ncv measure RUN_OR_CHECKPOINT` and `ncv measure --import MODEL`: the per-layer
// neural-collapse report (NC1-NC4 in every convention of docs/metrics.md, ranks,
// conditioning, balancedness, the linear part) of a network, with or without biases, any
// L2 >= 1, balanced or not. No theorem is checked: this is what `ncv check` leaves out
// when a hypothesis is not met (a one-layer head, biases, unbalanced classes).
//
//   a run of `ncv train`  its final checkpoint (or the checkpoint given) on the run's
//                  training data, as a whole-layout model (checkpoint_model.hpp; an MPFR
//                  checkpoint only with --round-to-double);
//   whole layout   the report of the network on X (metrics/layer_report.hpp, the forward
//                  pass with its biases), layers 1 .. L;
//   head layout    the report of the linear head on the supplied H_{L1}, numbered as in
//                  the whole network (layers L1+1 .. L), and the supplied features
//                  themselves as `input_features` (layer L1).
// A test split in the archive (X_test or H_test, with y_test) gets its own report, beside
// the training split's (a run has none). With --certified, the NC1 trace ratio and
// kappa(M) of every layer are also enclosed in ball arithmetic from the exact stored
// values (the forward pass enclosed, enclosure/): [lower, upper] intervals that contain
// the exact values.
//
// Output: the text table (default), the JSON (--json; schema "ncverify.measure/1",
// docs/metrics.md), and with --out DIR the files DIR/measure.json and DIR/measure.html,
// written atomically. Exit status 0, or 2 for bad input (the messages of the import or of
// the checkpoint: not a run directory, a missing or corrupt checkpoint).

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "import_model.hpp"
#include "ncverify/checkers/certificate.hpp"
#include "ncverify/metrics/layer_report.hpp"

namespace ncverify::app {

struct MeasureOptions {
    MeasurementOptions measurement;
    bool certified = false;
};

/// Rigorous enclosures of one layer's NC1 (trace ratio) and kappa(M) (uncentred means).
struct CertifiedLayerMeasurement {
    Index layer = 0;
    Interval nc1_trace_ratio, class_mean_condition_number;
};

struct SplitMeasurement {
    std::string split;                                          // "train" or "test"
    MeasurementReport<double> report;                           // layers as in the whole network
    std::optional<FeatureMeasurements<double>> input_features;  // head layout: H_{L1}
    std::optional<ClassifierMeasurements<double>> input_nc3;    // ... against W_L ... W_{L1+1}
    std::vector<CertifiedLayerMeasurement> certified;           // with --certified; H_{L1} first for a head
};

struct ModelMeasurement {
    std::string model;  // ImportedModel::describe()
    Index nonlinear_layers = 0;
    std::vector<SplitMeasurement> splits;
    std::vector<std::string> notes;

    nlohmann::json to_json() const;  // schema "ncverify.measure/1"
    std::string table() const;       // per split, the per-layer table
};

/// The measurements of `model` on its training split and, when present, its test split.
ModelMeasurement measure_imported_model(const ImportedModel& model, const MeasureOptions& options = {});

void add_measure_command(CLI::App& app, int& exit_code);

}  // namespace ncverify::app
