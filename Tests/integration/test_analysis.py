"""`groksim analyze` against direct computation with numpy on the stored weights and data."""
import statistics

import h5py
import numpy as np
import pytest

from conftest import SMALL, run


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    out = tmp_path_factory.mktemp("analysis") / "run.h5"
    run(["run", *SMALL, "--set", "eta=0.2", "--save-data", "--out", str(out), "--quiet"], ranks=2)
    result = run(["analyze", str(out), "--boundary-steps", "0,5", "--grid", "21"])
    return out, result.stdout


def test_per_neuron_quantities_and_alignment(analysed):
    out, _ = analysed
    with h5py.File(out, "r") as f:
        a, mu = f["model/a"][()], f["data/mu"][()]
        mu_norm = np.linalg.norm(mu[0])
        steps = [int(s) for s in f["analysis/alignment/step"][()]]
        assert steps == [0, 1, 5, 12]
        for row, step in enumerate(steps):
            w = f[f"checkpoints/step_{step:08d}/W"][()]
            group = f[f"analysis/checkpoints/step_{step:08d}"]
            proj1, proj2 = w @ mu[0] / mu_norm, w @ mu[1] / mu_norm
            norm = np.linalg.norm(w, axis=1)
            assert np.allclose(group["proj_mu1"][()], proj1, rtol=1e-12, atol=0)
            assert np.allclose(group["proj_mu2"][()], proj2, rtol=1e-12, atol=0)
            assert np.allclose(group["norm"][()], norm, rtol=1e-12)
            assert np.allclose(group["cos_mu1"][()], proj1 / norm, rtol=1e-12)
            pos, neg = a > 0, a < 0
            expected = {
                "positive_on_plus_mu1": np.maximum(proj1[pos], 0).mean(), "positive_on_minus_mu1": np.maximum(-proj1[pos], 0).mean(),
                "positive_on_plus_mu2": np.maximum(proj2[pos], 0).mean(), "negative_on_plus_mu2": np.maximum(proj2[neg], 0).mean(),
                "negative_on_minus_mu2": np.maximum(-proj2[neg], 0).mean(), "negative_on_minus_mu1": np.maximum(-proj1[neg], 0).mean(),
            }
            for name, value in expected.items():
                assert np.isclose(f["analysis/alignment"][name][row], value, rtol=1e-10), (name, step)


def test_decision_boundary_grid_and_plane(analysed):
    out, _ = analysed
    with h5py.File(out, "r") as f:
        a = f["model/a"][()]
        u, v = f["analysis/boundary/u"][()], f["analysis/boundary/v"][()]
        assert sorted(f["analysis/boundary"]) == ["step_00000000", "step_00000005", "u", "v"]
        w = f["checkpoints/step_00000005/W"][()]
        field = f["analysis/boundary/step_00000005/f"][()]
        assert field.shape == (21, 21)
        for row, column in [(0, 0), (3, 17), (10, 10), (20, 5)]:
            expected = np.maximum(u[column] * w[:, 0] + v[row] * w[:, 1], 0) @ a
            assert np.isclose(field[row, column], expected, rtol=1e-10, atol=1e-300)
        x = f["data/train_x"][()]
        assert np.array_equal(f["analysis/plane/train_u"][()], x[:, 0])
        assert np.array_equal(f["analysis/plane/train_y"][()], f["data/train_y"][()])


def test_one_step_agreement_and_steps(analysed):
    out, stdout = analysed
    with h5py.File(out, "r") as f:
        x, y, xt = f["data/train_x"][()], f["data/train_y"][()], f["data/test_x"][()]
        a, w1 = f["model/a"][()], f["checkpoints/step_00000001/W"][()]
        linear = xt @ (y @ x)
        network = np.maximum(xt @ w1.T, 0) @ a
        assert np.isclose(f["analysis/one_step_agreement"][0], np.mean((linear > 0) == (network > 0)))
        steps, train, test = f["metrics/step"][()], f["metrics/train_accuracy"][()], f["metrics/test_accuracy"][()]
        memorized = steps[np.argmax(train >= 1)] if (train >= 1).any() else np.nan
        grokked = steps[np.argmax(test >= 0.95)] if (test >= 0.95).any() else np.nan
        assert np.array_equal(f["analysis/memorization_step"][()], [memorized], equal_nan=True)
        assert np.array_equal(f["analysis/grokking_step"][()], [grokked], equal_nan=True)
    assert "memorised at" in stdout
    before = out.read_bytes()
    again = run(["analyze", str(out)], check=False)
    assert again.returncode != 0 and "pass --force" in again.stderr
    assert out.read_bytes() == before
    # The analysis is written into a copy that replaces the run file: nothing is left behind.
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_one_step_agreement_is_high_at_large_width(workdir):
    """The theorem's mechanism: for large m, f(x; W^(1)) is close to the linear classifier <sum y_i x_i, x>."""
    agreements = []
    for seed in range(3):
        out = workdir / f"wide{seed}.h5"
        run(["run", "--preset", "small", "--set", "n=30", "--set", "p=1000", "--set", "m=3000", "--set", "n_test=400",
             "--set", "steps=1", "--set", "checkpoint_steps=[1]", "--set", f"seed={seed}", "--out", str(out), "--quiet"])
        run(["analyze", str(out)])
        with h5py.File(out, "r") as f:
            agreements.append(float(f["analysis/one_step_agreement"][0]))
    assert statistics.median(agreements) > 0.9, agreements


def test_ensemble_analysis_gathers_seeds(workdir):
    out = workdir / "ensemble.h5"
    run(["run", *SMALL, "--seeds", "0..2", "--out", str(out), "--quiet"], ranks=3)
    run(["analyze", str(out)])
    with h5py.File(out, "r") as f:
        assert list(f["analysis/seed"][()]) == [0, 1, 2]
        for row, seed in enumerate([0, 1, 2]):
            per_seed = f[f"seeds/seed_{seed:06d}/analysis/one_step_agreement"][0]
            assert f["analysis/one_step_agreement"][row] == per_seed


def test_plot_draws_the_analysis_figures(analysed, tmp_path):
    import xml.etree.ElementTree as ET
    out, _ = analysed
    result = run(["plot", str(out), "--out", str(tmp_path / "figures")])
    names = [path.rsplit("/", 1)[-1] for path in result.stdout.split()]
    for expected in ["boundary_step_0.svg", "boundary_step_5.svg", "neurons_step_5.svg",
                     "histogram_mu1_positive.svg", "histogram_mu2_positive.svg"]:
        assert expected in names
    boundary = ET.parse(tmp_path / "figures" / "boundary_step_5.svg").getroot()
    layers = {e.get("data-layer") for e in boundary.iter() if e.get("data-layer")}
    assert {"train, label +1", "train, label -1", "flipped label"} <= layers
    histogram = ET.parse(tmp_path / "figures" / "histogram_mu1_positive.svg").getroot()
    series = {e.get("data-series") for e in histogram.iter() if e.get("data-series")}
    assert {"t = 0", "t = 1", "t = 5", "t = 12"} <= series


def test_plot_of_an_ensemble_draws_the_band(workdir):
    import xml.etree.ElementTree as ET
    out = workdir / "ensemble.h5"
    run(["run", *SMALL, "--seeds", "0..4", "--out", str(out), "--quiet"], ranks=2)
    result = run(["plot", str(out), "--out", str(workdir / "figures")])
    assert result.stdout.split()[-1].endswith("accuracy_band.svg")
    root = ET.parse(workdir / "figures" / "accuracy_band.svg").getroot()
    classes = [e.get("class") for e in root.iter()]
    assert classes.count("series-band") == 2
    assert {"train", "test"} <= {e.get("data-series") for e in root.iter() if e.get("data-series")}
