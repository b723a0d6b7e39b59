"""ncverify: verified checks of the neural-collapse theorems of Jacot, Sukenik, Wang and
Mondelli (ICLR 2025) on your own networks, from Python.

The functions take NumPy arrays (float32 or float64; PyTorch tensors via .numpy()) and
run the same code as the ``ncv`` command line, with the GIL released:

    measure(features, labels)                      NC1-NC4 of features (and of a head)
    check(weights=..., features=... | inputs=..., labels=...)   verdicts of T1-T3, T5 (T6)
    certify(...)                                   check(..., certified=True)
    train(config)                                  the native trainer on a configuration

Orientation: by default samples are rows (``samples_as_rows=True``), as PyTorch stores a
batch (N x d); weights are (out, in), as ``nn.Linear.weight``. Errors raise
``ncverify.Error`` (a ValueError) with the command line's message. docs/python.md has the
whole reference and a worked PyTorch example.
"""
import json as _json
import os as _os
import tempfile as _tempfile

import numpy as _np

from . import _ncverify
from ._ncverify import Error

__all__ = ["Error", "Verdict", "measure", "check", "certify", "train", "version"]
version = _ncverify.version


class Verdict:
    """One checker's verdict (docs/verdicts.md): ``status`` (holds, hypotheses_not_met,
    inconclusive, violated, proof_step_failed), ``measured``, ``relation``, ``bound``,
    ``ratio``, ``slack``, ``informative``, ``reason``, ``hypotheses``, ``steps``,
    ``notes`` and, when certified, ``certificate``. ``to_dict()`` is the JSON object of
    ``ncv check --json``."""

    def __init__(self, data):
        self._data = data

    def __getattr__(self, name):
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self):
        return _json.loads(_json.dumps(self._data))

    def __repr__(self):
        certified = self._data.get("certificate", {}).get("status")
        return "Verdict(%s: %s%s, %s %s %s)" % (
            self.result, self.status, ", certified " + certified if certified else "", self.measured, self.relation,
            self.bound)


def _orient(array, name, samples_as_rows):
    if array is None:
        return None
    array = _np.asarray(array)
    if array.dtype.kind != "f":
        raise Error("%s: dtype %s is not float32 or float64" % (name, array.dtype))
    if array.ndim != 2:
        raise Error("%s: expected a 2-D array (%s), got shape %s" % (
            name, "samples as rows, N x d" if samples_as_rows else "samples as columns, d x N", array.shape))
    return array


def _description(layout, nonlinear_layers, activation, slope, beta, classes, samples_as_rows, weight_decay,
                 learning_rate):
    return {"layout": layout, "nonlinear_layers": int(nonlinear_layers), "activation": activation, "slope": slope,
            "beta": beta, "classes": classes, "samples_as_rows": bool(samples_as_rows), "weight_decay": weight_decay,
            "learning_rate": learning_rate}


def _arrays(weights, inputs, features, labels, biases, test_data, test_labels, samples_as_rows):
    if (inputs is None) == (features is None):
        raise Error("give either inputs= (the whole network's X, with nonlinear_layers and activation) or features= "
                    "(H_L1, the input of the linear head)")
    data = inputs if inputs is not None else features
    name = "inputs" if inputs is not None else "features"
    return {"data": _orient(data, name, samples_as_rows), "weights": [_np.asarray(w) for w in weights],
            "biases": None if biases is None else [None if b is None else _np.asarray(b) for b in biases],
            "labels": _np.asarray(labels), "test_data": _orient(test_data, "test_" + name, samples_as_rows),
            "test_labels": None if test_labels is None else _np.asarray(test_labels)}


def check(*, weights, labels, inputs=None, features=None, biases=None, nonlinear_layers=1, activation=None,
          slope=None, beta=None, classes=None, samples_as_rows=True, certified=False, precision="double",
          precision_ladder="53,128,256,512,1024", checkers=None, eps1=None, eps2=None, radius=None,
          weight_decay=None, learning_rate=None):
    """The checkers' verdicts (a list of Verdict) on a network given as arrays.

    ``inputs=X`` with ``weights=[W1, ..., WL]``: the whole network (``nonlinear_layers``
    = L1 and ``activation`` required: smooth_leaky_relu with ``slope``, leaky_relu, relu,
    tanh, identity); ``features=H`` with ``weights=[W_{L1+1}, ..., W_L]``: the linear head
    on its input features. ``biases``: one per weight (None for a layer without), never
    ignored: a head with biases gets ``hypotheses_not_met``. ``precision``: "double" or
    bits (MPFR); ``certified``: also prove or refute each verdict in ball arithmetic."""
    layout = "whole" if inputs is not None else "head"
    description = _description(layout, nonlinear_layers, activation, slope, beta, classes, samples_as_rows,
                               weight_decay, learning_rate)
    arrays = _arrays(weights, inputs, features, labels, biases, None, None, samples_as_rows)
    options = {"certified": bool(certified), "precision": str(precision), "precision_ladder": precision_ladder,
               "checkers": checkers, "eps1": eps1, "eps2": eps2, "radius": radius, "weight_decay": weight_decay,
               "learning_rate": learning_rate}
    return [Verdict(v) for v in _json.loads(_ncverify.check(description, arrays, options))]


def certify(**kwargs):
    """check(..., certified=True): every verdict carries its certificate (proved /
    refuted / hypotheses_not_met / inconclusive)."""
    kwargs["certified"] = True
    return check(**kwargs)


def measure(features=None, labels=None, *, weights=None, inputs=None, biases=None, nonlinear_layers=1,
            activation=None, slope=None, beta=None, classes=None, samples_as_rows=True, test_features=None,
            test_inputs=None, test_labels=None, certified=False):
    """NC1-NC4 per layer (the JSON of ``ncv measure``, as a dict; docs/metrics.md).

    ``measure(features, labels)``: the features alone, with the nearest-class-mean rule as
    the classifier (NC3 and NC4 need a linear classifier: give ``weights=[W]``).
    ``measure(features, labels, weights=[...])``: a linear head on its features;
    ``measure(inputs=X, labels=y, weights=[...], nonlinear_layers=..., activation=...)``:
    a whole network. Any number of linear layers, biases, unbalanced classes; a test split
    with ``test_features``/``test_inputs`` and ``test_labels``."""
    if weights is None:
        if features is None:
            raise Error("measure: give features (with labels), or weights with features= or inputs=")
        return _measure_features(_orient(features, "features", samples_as_rows), labels, samples_as_rows, classes)
    layout = "whole" if inputs is not None else "head"
    description = _description(layout, nonlinear_layers, activation, slope, beta, classes, samples_as_rows, None, None)
    arrays = _arrays(weights, inputs, features, labels, biases, test_inputs if inputs is not None else test_features,
                     test_labels, samples_as_rows)
    return _json.loads(_ncverify.measure(description, arrays, {"certified": bool(certified)}))


def _measure_features(features, labels, samples_as_rows, classes):
    """Features alone: the head of one identity layer (K = p) cannot be used since p may
    differ from K, so the features are measured as the input of a nearest-class-mean
    classifier W = M^T (the class means as rows): NC3 against it is 1 by construction and
    is dropped; NC4 is the agreement of the NCC rule with itself and is dropped too."""
    labels = _np.asarray(labels)
    h = features.T if samples_as_rows else features
    k = int(classes if classes is not None else labels.max() + 1)
    means = _np.stack([h[:, labels == c].mean(axis=1) for c in range(k)])
    result = measure(h, labels, weights=[means], samples_as_rows=False, classes=k)
    for split in result["splits"]:
        split["input_features"]["nc3"] = None
        split["input_features"]["features"]["nc4_ncc_agreement"] = None
        split["report"] = None
    result["model"] = "features %d x %d, K = %d classes" % (h.shape[0], h.shape[1], k)
    return result


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise Error("train: cannot write %r in a configuration" % (value,))


def _is_table(value):
    return isinstance(value, dict)


def _is_table_array(value):
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml(config, prefix=""):
    """A configuration dict as TOML: dicts become tables, lists of dicts arrays of tables."""
    text = "".join("%s = %s\n" % (k, _toml_value(v)) for k, v in config.items()
                   if not _is_table(v) and not _is_table_array(v))
    for key, value in config.items():
        name = prefix + key
        if _is_table(value):
            text += "\n[%s]\n" % name + _toml(value, name + ".")
        elif _is_table_array(value):
            for item in value:
                text += "\n[[%s]]\n" % name + _toml(item, name + ".")
    return text


def train(config, out=None, overwrite=False):
    """Trains with the native trainer and runs the checkers (``ncv train``); ``config`` is
    the path of a TOML configuration (docs/configuration.md) or a dict of the same keys.
    Returns {"directory", "final_checkpoint", "status", "message", "steps_run",
    "seconds", "verdicts": [Verdict, ...]}."""
    if isinstance(config, dict):
        text, origin = _toml(config), "<dict>"
    else:
        with open(config) as f:
            text, origin = f.read(), str(config)
    result = _json.loads(_ncverify.train(text, origin, "" if out is None else str(out), bool(overwrite)))
    result["verdicts"] = [Verdict(v) for v in result["verdicts"]]
    return result
