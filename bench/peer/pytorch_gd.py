#!/usr/bin/python3
"""PyTorch float64 side of the ncverify comparison (bench/peer/compare_pytorch.sh).

usage: pytorch_gd.py PROBLEM.json STEPS THREADS
       pytorch_gd.py PROBLEM.json REPEATS THREADS --profile

Reads a problem written by export_problem (PROBLEM.json and PROBLEM.npz next to it) and
runs STEPS full-batch gradient-descent steps on the CPU in float64 with plain tensor
operations (no autograd), the same computation as ncverify's loss_and_gradient and
gradient_step (lib/ncverify/training/):

  H_0 = X,  Z_l = W_l H_{l-1},  H_l = sigma(Z_l) (l <= L1) or Z_l (l > L1)
  C_lambda = 1/2 ||H_L - Y||_F^2 + lambda/2 sum_l ||W_l||_F^2
  delta_L = H_L - Y,  G_l = delta_l H_{l-1}^T,
  delta_{l-1} = W_l^T delta_l (* sigma'(Z_{l-1}) when layer l-1 is nonlinear)
  W_l <- W_l - eta (G_l + lambda W_l)

with the smooth leaky ReLU evaluated as ncverify does (network/activation.hpp):
  sigma(x)  = gamma x + (1 - gamma) (softplus(beta x) - log 2) / beta,
  softplus(t) = max(t, 0) + log1p(exp(-|t|))   (no threshold, unlike torch's softplus),
  sigma'(x) = gamma + (1 - gamma) logistic(beta x).
C_lambda at theta_STEPS is evaluated once more after the loop (not timed).

With --profile, times the components of a step one by one instead (the split of
bench/peer/step_profile.cpp: forward_products, activation, loss, gradient_products,
back_products, activation_derivative, hadamard, update, and the whole step) and prints
{"implementation": "pytorch", "problem", "threads", "repeats", "median_seconds"}.

Otherwise prints one JSON object on stdout, as ncverify_gd does:
  {"implementation": "pytorch", "problem", "threads", "steps", "step_seconds",
   "step_cpu_seconds", "losses", "torch_version", "torch_threads", "blas_library",
   "blas_core", "torch_config"}
"""
import ctypes
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch


def blas_in_use():
    """The BLAS shared library this process loaded and, for OpenBLAS, its kernel core."""
    library = None
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            name = os.path.basename(path)
            if name.startswith(('libblas', 'libopenblas', 'libmkl_rt', 'libblis')):
                library = path
                break
    core = 'n/a'
    if library is not None:
        try:
            handle = ctypes.CDLL(library)
            handle.openblas_get_corename.restype = ctypes.c_char_p
            core = handle.openblas_get_corename().decode()
        except (OSError, AttributeError):
            core = 'not OpenBLAS'
    return library, core


def profile_step(ws, x, y, sigma, sigma_prime, nonlinear, eta, lam):
    """The component times of one step (see --profile), in seconds."""
    t = {}

    def timed(name, function):
        start = time.perf_counter()
        value = function()
        t[name] = t.get(name, 0.0) + time.perf_counter() - start
        return value

    layers = len(ws)
    h, z = [x], [None]
    for l in range(1, layers + 1):
        z.append(timed('forward_products', lambda: ws[l - 1] @ h[-1]))
        h.append(timed('activation', lambda: sigma(z[-1])) if l <= nonlinear else z[-1])

    def loss_terms():
        residual = h[-1] - y
        return residual, float(torch.sum(residual * residual) / 2 + lam * sum(torch.sum(w * w) for w in ws) / 2)
    delta, _ = timed('loss', loss_terms)
    gradients = [None] * layers
    for l in range(layers, 0, -1):
        gradients[l - 1] = timed('gradient_products', lambda: delta @ h[l - 1].T)
        if l == 1:
            break
        back = timed('back_products', lambda: ws[l - 1].T @ delta)
        if l - 1 <= nonlinear:
            derivative = timed('activation_derivative', lambda: sigma_prime(z[l - 1]))
            back = timed('hadamard', lambda: back * derivative)
        delta = back
    timed('update', lambda: [w - eta * (g + lam * w) for w, g in zip(ws, gradients)])
    return t


def main():
    if len(sys.argv) not in (4, 5) or (len(sys.argv) == 5 and sys.argv[4] != '--profile'):
        sys.exit('usage: pytorch_gd.py PROBLEM.json STEPS THREADS [--profile]')
    description_file, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    profile = len(sys.argv) == 5
    torch.set_num_threads(threads)
    with open(description_file) as f:
        description = json.load(f)
    archive = np.load(os.path.splitext(description_file)[0] + '.npz')
    layers = len(description['widths'])
    nonlinear = description['nonlinear_layers']
    gamma = description['activation']['slope']
    beta = description['activation']['beta']
    if description['activation']['name'] != 'smooth_leaky_relu':
        sys.exit('pytorch_gd.py: only the smooth leaky ReLU is implemented')
    eta = description['learning_rate']
    lam = description['weight_decay']
    log2 = math.log(2.0)

    x = torch.from_numpy(np.ascontiguousarray(archive['X'], dtype=np.float64))
    y = torch.from_numpy(np.ascontiguousarray(archive['Y'], dtype=np.float64))
    weights = [torch.from_numpy(np.ascontiguousarray(archive[f'W{l}'], dtype=np.float64))
               for l in range(1, layers + 1)]

    def sigma(z):
        t = beta * z
        softplus = torch.clamp(t, min=0.0) + torch.log1p(torch.exp(-torch.abs(t)))
        return gamma * z + (1.0 - gamma) * (softplus - log2) / beta

    def sigma_prime(z):
        return gamma + (1.0 - gamma) * torch.sigmoid(beta * z)

    def loss_and_gradient(ws):
        features, pre = [x], [None]
        for l in range(1, layers + 1):
            z = ws[l - 1] @ features[-1]
            pre.append(z)
            features.append(sigma(z) if l <= nonlinear else z)
        delta = features[-1] - y
        data_loss = torch.sum(delta * delta) / 2
        decay = sum(torch.sum(w * w) for w in ws)
        loss = data_loss + lam * decay / 2
        gradients = [None] * layers
        for l in range(layers, 0, -1):
            gradients[l - 1] = delta @ features[l - 1].T
            if l == 1:
                break
            back = ws[l - 1].T @ delta
            if l - 1 <= nonlinear:
                back = back * sigma_prime(pre[l - 1])
            delta = back
        return float(loss), gradients

    if profile:
        with torch.no_grad():
            samples = {}
            for _ in range(steps):
                start = time.perf_counter()
                loss, gradients = loss_and_gradient(weights)
                [w - eta * (g + lam * w) for w, g in zip(weights, gradients)]
                samples.setdefault('step', []).append(time.perf_counter() - start)
                split = profile_step(weights, x, y, sigma, sigma_prime, nonlinear, eta, lam)
                for name, seconds in split.items():
                    samples.setdefault(name, []).append(seconds)
        print(json.dumps({'implementation': 'pytorch', 'problem': description['name'], 'threads': threads,
                          'repeats': steps,
                          'median_seconds': {k: statistics.median(v) for k, v in samples.items()}}))
        return

    wall, cpu, losses = [], [], []
    with torch.no_grad():
        for _ in range(steps):
            start, cpu_start = time.perf_counter(), time.process_time()
            loss, gradients = loss_and_gradient(weights)
            weights = [w - eta * (g + lam * w) for w, g in zip(weights, gradients)]
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - start)
            losses.append(loss)
        losses.append(loss_and_gradient(weights)[0])

    library, core = blas_in_use()
    print(json.dumps({
        'implementation': 'pytorch', 'problem': description['name'], 'threads': threads,
        'steps': steps, 'step_seconds': wall, 'step_cpu_seconds': cpu, 'losses': losses,
        'torch_version': torch.__version__, 'torch_threads': torch.get_num_threads(),
        'blas_library': library, 'blas_core': core,
        'openblas_coretype_env': os.environ.get('OPENBLAS_CORETYPE'),
        'torch_config': torch.__config__.show(),
    }))


if __name__ == '__main__':
    main()
