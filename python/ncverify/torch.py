"""PyTorch integration of ncverify (pure Python over the ncverify module).

    collect_inputs(model, loader, modules)   the input of chosen modules over a DataLoader,
                                             kept (N x d arrays) or accumulated (class
                                             means and within-class scatter, no N x d)
    export_mlp(sequential)                   an nn.Sequential MLP as ncverify's arrays
    check_mlp(sequential, X, y, ...)         ncverify.check on it (each epoch of a loop)
    measure_mlp(sequential, X, y, ...)       ncverify.measure on it

An MLP here is Linear layers (with or without bias) separated by one activation kind
(ReLU, LeakyReLU, Tanh, Identity, or ncverify.torch.SmoothLeakyReLU, the paper's smooth
activation), with at least one activation and only Linear layers after the last one:
L1 = the number of Linear layers followed by an activation.
"""
import math

import numpy as np
import torch
from torch import nn

import ncverify

__all__ = ["SmoothLeakyReLU", "collect_inputs", "ClassAccumulator", "export_mlp", "check_mlp", "measure_mlp"]


class SmoothLeakyReLU(nn.Module):
    """sigma(x) = slope x + (1 - slope) (softplus(beta x) - log 2) / beta: smooth, sigma' in
    (slope, 1), sigma(0) = 0, the activation of the paper's GD theorem and exactly
    ncverify's smooth_leaky_relu (docs/data.md), so that export_mlp hands ncverify the
    function the module computes."""

    def __init__(self, slope=0.2, beta=1.0):
        super().__init__()
        self.slope, self.beta = float(slope), float(beta)

    def forward(self, x):
        return self.slope * x + (1 - self.slope) * (nn.functional.softplus(x, beta=self.beta) - math.log(2) / self.beta)


class ClassAccumulator:
    """Class means and within-class scatter of features seen batch by batch, without
    keeping them: per class the count, the mean and the sum of squared deviations
    (merged exactly per batch, Chan et al.'s update), in float64."""

    def __init__(self, num_classes):
        self.k = num_classes
        self.count = np.zeros(num_classes)
        self.mean = None
        self.squares = np.zeros(num_classes)

    def add(self, features, labels):
        features = np.asarray(features, dtype=np.float64)
        labels = np.asarray(labels)
        if self.mean is None:
            self.mean = np.zeros((self.k, features.shape[1]))
        for c in np.unique(labels):
            batch = features[labels == c]
            n_b, mean_b = batch.shape[0], batch.mean(axis=0)
            squares_b = ((batch - mean_b) ** 2).sum()
            n_a = self.count[c]
            delta = mean_b - self.mean[c]
            total = n_a + n_b
            self.mean[c] += delta * n_b / total
            self.squares[c] += squares_b + (delta @ delta) * n_a * n_b / total
            self.count[c] = total

    def result(self):
        """{"nc1_trace_ratio", "nc2_class_mean_condition_number", "class_means" (K x d)}
        with the definitions of docs/metrics.md (global mean weighted by samples)."""
        n = self.count.sum()
        global_mean = (self.count[:, None] * self.mean).sum(axis=0) / n
        within = self.squares.sum() / n
        between = ((self.mean - global_mean) ** 2).sum() / self.k
        s = np.linalg.svd(self.mean.T, compute_uv=False)
        return {"nc1_trace_ratio": within / between, "nc2_class_mean_condition_number": s[0] / s[-1],
                "class_means": self.mean.copy()}


def _named(model, modules):
    names = {m: n for n, m in model.named_modules()}
    by_name = dict(model.named_modules())
    result = []
    for m in modules:
        if isinstance(m, str):
            if m not in by_name:
                raise ncverify.Error("collect_inputs: the model has no module %r (modules: %s)" % (m, ", ".join(by_name)))
            result.append((m, by_name[m]))
        else:
            result.append((names.get(m, repr(m)), m))
    return result


def collect_inputs(model, loader, modules, *, num_classes=None, keep=True, device=None):
    """Runs `model` (in eval mode, no gradients) over `loader` (batches (x, y)) and
    collects the input of each module in `modules` (modules or names of
    model.named_modules()) with forward hooks. keep=True: ({name: N x d float64 array},
    labels); keep=False: ({name: ClassAccumulator.result()}, labels), never holding more
    than one batch of features (num_classes required)."""
    if not keep and num_classes is None:
        raise ncverify.Error("collect_inputs: keep=False needs num_classes")
    targets = _named(model, modules)
    store = {name: ([] if keep else ClassAccumulator(num_classes)) for name, _ in targets}
    batch_labels = {}
    handles = []

    def hook_for(name):
        def hook(_module, inputs, _output):
            features = inputs[0].detach().to(torch.float64).reshape(inputs[0].shape[0], -1).cpu().numpy()
            if keep:
                store[name].append(features)
            else:
                store[name].add(features, batch_labels["y"])
        return hook

    labels = []
    was_training = model.training
    model.eval()
    try:
        for name, module in targets:
            handles.append(module.register_forward_hook(hook_for(name)))
        with torch.no_grad():
            for x, y in loader:
                batch_labels["y"] = y.cpu().numpy()
                labels.append(batch_labels["y"])
                model(x.to(device) if device is not None else x)
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    labels = np.concatenate(labels)
    if keep:
        return {name: np.concatenate(chunks) for name, chunks in store.items()}, labels
    return {name: acc.result() for name, acc in store.items()}, labels


def _activation(module):
    if isinstance(module, SmoothLeakyReLU):
        return {"activation": "smooth_leaky_relu", "slope": module.slope, "beta": module.beta}
    if isinstance(module, nn.LeakyReLU):
        return {"activation": "leaky_relu", "slope": float(module.negative_slope)}
    if isinstance(module, nn.ReLU):
        return {"activation": "relu"}
    if isinstance(module, nn.Tanh):
        return {"activation": "tanh"}
    if isinstance(module, nn.Identity):
        return {"activation": "identity"}
    return None


def export_mlp(sequential):
    """{"weights": [W1 .. WL], "biases": [b_l or None] or None, "nonlinear_layers": L1,
    "activation", "slope", "beta"} of an nn.Sequential MLP (see the module comment), as
    float64 NumPy arrays (exact for float32 and float64 parameters)."""
    weights, biases, kinds, nonlinear = [], [], [], 0
    after_activation = False
    for module in sequential:
        if isinstance(module, nn.Linear):
            weights.append(module.weight.detach().to(torch.float64).cpu().numpy())
            biases.append(None if module.bias is None else module.bias.detach().to(torch.float64).cpu().numpy())
            after_activation = False
            continue
        kind = _activation(module)
        if kind is None:
            raise ncverify.Error("export_mlp: %s is neither nn.Linear nor a supported activation (ReLU, LeakyReLU, "
                                 "Tanh, Identity, ncverify.torch.SmoothLeakyReLU)" % type(module).__name__)
        if after_activation or not weights:
            raise ncverify.Error("export_mlp: an activation must follow a Linear layer")
        kinds.append(kind)
        nonlinear = len(weights)
        after_activation = True
    if not kinds:
        raise ncverify.Error("export_mlp: the network has no activation (L1 >= 1 nonlinear layers are needed)")
    if any(k != kinds[0] for k in kinds):
        raise ncverify.Error("export_mlp: the activations differ (%s); ncverify networks use one" % kinds)
    if nonlinear != len(kinds):
        raise ncverify.Error("export_mlp: after the first linear layer without an activation, every layer must be "
                             "linear (the paper's layout: L1 nonlinear layers, then the linear head)")
    result = {"weights": weights, "biases": biases if any(b is not None for b in biases) else None,
              "nonlinear_layers": nonlinear, "slope": None, "beta": None}
    result.update(kinds[0])
    return result


def _inputs(x):
    """A tensor or array as a NumPy array: floating point as float64 (exact), integers kept."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        return (x.to(torch.float64) if x.is_floating_point() else x).numpy()
    return np.asarray(x)


def check_mlp(sequential, inputs, labels, **kwargs):
    """ncverify.check on an nn.Sequential MLP and its data (inputs N x d, labels N);
    keyword arguments as ncverify.check (certified=, precision=, weight_decay=, ...)."""
    model = export_mlp(sequential)
    return ncverify.check(inputs=_inputs(inputs), labels=_inputs(labels), **model, **kwargs)


def measure_mlp(sequential, inputs, labels, **kwargs):
    """ncverify.measure on an nn.Sequential MLP and its data."""
    model = export_mlp(sequential)
    return ncverify.measure(inputs=_inputs(inputs), labels=_inputs(labels), **model, **kwargs)
