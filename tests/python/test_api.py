"""The Python module ncverify (python/), run by ctest (label `python`) with Debian's
python3 and pytest: the API against the command line on the same arrays, biases,
the PyTorch helpers on a small real model, and bad inputs.

Environment: NCV (the ncv binary) and PYTHONPATH (the build tree's python/ folder), set
by tests/CMakeLists.txt."""
import json
import os
import subprocess

import numpy as np
import pytest

import ncverify

NCV = os.environ["NCV"]


def head_instance(seed=3, K=3, n=4, widths=(6, 5, 3), fit=1e-4):
    """A nearly balanced linear head and its features (samples as columns)."""
    rng = np.random.default_rng(seed)
    factors = [np.linalg.qr(rng.standard_normal((d, K)))[0] for d in widths]
    weights = [factors[j] @ np.diag(np.linspace(1, 0.6, K)) @ factors[j - 1].T for j in range(1, len(widths))]
    weights = [w + 1e-6 * rng.standard_normal(w.shape) for w in weights]
    a = weights[-1]
    for w in reversed(weights[:-1]):
        a = a @ w
    y = np.repeat(np.arange(K), n)
    targets = np.eye(K)[:, y] + fit * rng.standard_normal((K, K * n))
    h = np.linalg.pinv(a) @ targets + 0.1 * (np.eye(widths[0]) - np.linalg.pinv(a) @ a) @ rng.standard_normal((widths[0], K * n))
    return weights, h, y


def cli_verdicts(tmp_path, arrays, *flags):
    path = tmp_path / "model.npz"
    np.savez(path, **arrays)
    run = subprocess.run([NCV, "check", "--import", str(path), "--json", *flags], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_check_matches_the_command_line_on_the_same_arrays(tmp_path):
    weights, h, y = head_instance()
    api = [v.to_dict() for v in ncverify.check(weights=weights, features=h, labels=y, nonlinear_layers=1,
                                                 samples_as_rows=False, certified=True)]
    cli = cli_verdicts(tmp_path, {"H": h, "W2": weights[0], "W3": weights[1], "y": y}, "--layout", "head",
                       "--nonlinear-layers", "1", "--certified")
    for verdict in api + cli:   # the time of each certification attempt differs from run to run
        for attempt in verdict.get("certificate", {}).get("attempts", []):
            attempt.pop("seconds")
    assert api == cli
    assert {v["status"] for v in api} == {"holds"}


def test_samples_as_rows_is_the_transpose():
    weights, h, y = head_instance()
    rows = ncverify.check(weights=weights, features=h.T, labels=y)
    columns = ncverify.check(weights=weights, features=h, labels=y, samples_as_rows=False)
    assert [v.to_dict() for v in rows] == [v.to_dict() for v in columns]


def test_verdict_objects():
    weights, h, y = head_instance()
    t1 = ncverify.check(weights=weights, features=h.T, labels=y, checkers=["T1"])[0]
    assert t1.result == "T1" and t1.status == "holds"
    assert t1.measured <= t1.bound and t1.slack == pytest.approx(t1.bound - t1.measured)
    assert t1.informative in (True, False) and t1.steps and t1.to_dict()["result"] == "T1"
    assert "T1" in repr(t1)


def test_a_head_bias_changes_the_verdict():
    # H = Y with W2 = W3 = I: interpolates without a bias; with b3 = 5 the stored head
    # outputs Y + 5, and no theorem of Theorem 3.1 may be claimed for it.
    y = np.repeat(np.arange(2), 3)
    h = np.eye(2)[:, y] + 0.01 * np.random.default_rng(1).standard_normal((2, 6))
    weights = [np.eye(2), np.eye(2)]
    plain = ncverify.certify(weights=weights, features=h, labels=y, samples_as_rows=False)
    biased = ncverify.certify(weights=weights, features=h, labels=y, samples_as_rows=False,
                              biases=[None, np.full(2, 5.0)])
    assert all(v.certificate["status"] != "hypotheses_not_met" for v in plain)
    for v in biased:
        assert v.status == "hypotheses_not_met" and "bias-free head" in v.reason
        assert v.certificate["status"] == "hypotheses_not_met"


def test_precision_256_bits():
    weights, h, y = head_instance()
    verdicts = ncverify.check(weights=weights, features=h.T, labels=y, precision="256")
    assert all(v.precision == "256" for v in verdicts)
    assert {v.status for v in verdicts} == {"holds"}


def test_measure_features_alone_matches_numpy():
    rng = np.random.default_rng(5)
    y = np.repeat(np.arange(3), [4, 2, 3])
    features = rng.standard_normal((9, 5)) + 3 * np.eye(3, 5)[y]
    result = ncverify.measure(features, y)
    f = result["splits"][0]["input_features"]["features"]
    means = np.stack([features[y == c].mean(axis=0) for c in range(3)])
    within = sum(((features[y == c] - means[c]) ** 2).sum() for c in range(3)) / 9
    between = ((means - features.mean(axis=0)) ** 2).sum() / 3
    assert f["nc1_trace_ratio"]["value"] == pytest.approx(within / between, rel=1e-12)
    s = np.linalg.svd(means, compute_uv=False)
    assert f["nc2_class_mean_condition_number"]["value"] == pytest.approx(s[0] / s[-1], rel=1e-12)


def test_measure_a_one_layer_head_with_a_test_split():
    weights, h, y = head_instance(widths=(6, 3))
    result = ncverify.measure(h.T, y, weights=weights, test_features=h.T[::2], test_labels=y[::2])
    assert [s["split"] for s in result["splits"]] == ["train", "test"]
    assert result["splits"][0]["report"]["layers"][0]["layer"] == 2


@pytest.mark.parametrize("bad, message", [
    (dict(features=np.zeros((6, 4), dtype=np.int64)), "dtype"),
    (dict(features=np.full((12, 6), np.nan)), "NaN"),
    (dict(features=np.zeros((12, 5))), "W2 is 5x6 but H"),
    (dict(features=np.zeros((6, 6)), inputs=np.zeros((6, 6))), "either inputs= "),
])
def test_bad_inputs_raise_clear_errors(bad, message):
    weights, h, y = head_instance()
    with pytest.raises(ncverify.Error, match=message):
        ncverify.check(weights=weights, labels=y, **bad)


def test_train_with_the_native_trainer(tmp_path):
    config = open(os.path.join(os.path.dirname(__file__), "..", "cli", "tiny.toml")).read()
    path = tmp_path / "tiny.toml"
    path.write_text(config)
    result = ncverify.train(str(path), out=tmp_path / "run")
    assert result["status"] in ("completed", "reached_target_loss"), result
    assert os.path.exists(result["final_checkpoint"])
    assert all(isinstance(v, ncverify.Verdict) for v in result["verdicts"])


torch = pytest.importorskip("torch", reason="python3-torch is not installed")


def test_torch_helpers_on_a_small_trained_model():
    import ncverify.torch as nt
    torch.manual_seed(0)
    x = torch.randn(12, 5, dtype=torch.float64)
    y = torch.arange(3).repeat_interleave(4)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16), nt.SmoothLeakyReLU(0.2), torch.nn.Linear(16, 8, bias=False),
                                torch.nn.Linear(8, 3, bias=False)).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=1e-4)
    for _ in range(300):
        optimizer.zero_grad()
        loss = ((model(x) - torch.nn.functional.one_hot(y, 3).double()) ** 2).sum() / 2
        loss.backward()
        optimizer.step()
    exported = nt.export_mlp(model)
    assert exported["nonlinear_layers"] == 1 and exported["activation"] == "smooth_leaky_relu"
    assert exported["biases"][0] is not None and exported["biases"][1] is None
    verdicts = {v.result: v for v in nt.check_mlp(model, x, y)}
    assert verdicts["T6"].status == "hypotheses_not_met"          # a bias on the nonlinear layer
    assert verdicts["T1"].status != "violated"
    # The features the head receives, by hooks: kept, or accumulated batch by batch.
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=5)
    kept, labels = nt.collect_inputs(model, loader, [model[2]])
    h = kept[next(iter(kept))]
    with torch.no_grad():
        expected = model[1](model[0](x)).numpy()
    assert np.allclose(h, expected, rtol=0, atol=1e-14) and (labels == y.numpy()).all()
    accumulated, _ = nt.collect_inputs(model, loader, ["2"], num_classes=3, keep=False)
    direct = ncverify.measure(h, labels)["splits"][0]["input_features"]["features"]
    assert accumulated["2"]["nc1_trace_ratio"] == pytest.approx(direct["nc1_trace_ratio"]["value"], rel=1e-10)
    assert accumulated["2"]["nc2_class_mean_condition_number"] == pytest.approx(
        direct["nc2_class_mean_condition_number"]["value"], rel=1e-10)


def test_smooth_leaky_relu_is_the_function_ncverify_checks():
    """The PyTorch module and ncverify's smooth_leaky_relu are the same function: the
    interpolation error ||H_L - Y||_op of T1 (ncverify's forward pass on the exported
    weights) is PyTorch's own, and sigma(0) = 0."""
    import ncverify.torch as nt
    torch.manual_seed(1)
    x = torch.randn(12, 5, dtype=torch.float64)
    y = torch.arange(3).repeat_interleave(4)
    activation = nt.SmoothLeakyReLU(0.2, beta=2.0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16, bias=False), activation, torch.nn.Linear(16, 8, bias=False),
                                activation, torch.nn.Linear(8, 4, bias=False), torch.nn.Linear(4, 3, bias=False)).double()
    assert activation(torch.zeros(1, dtype=torch.float64)).item() == 0.0
    with torch.no_grad():
        error = model(x) - torch.nn.functional.one_hot(y, 3).double()
    expected = np.linalg.norm(error.numpy(), 2)
    t1 = next(v for v in nt.check_mlp(model, x, y) if v.result == "T1")
    measured = next(h["measured"] for h in t1.hypotheses if h["name"] == "interpolation")
    assert measured == pytest.approx(expected, rel=1e-12)
