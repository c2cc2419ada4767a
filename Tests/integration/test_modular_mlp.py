"""The modular-arithmetic MLP (Lyu et al. 2024, Figure 2): a numpy oracle, the Fourier analysis against numpy's FFT,
the fast reduction against the exact one, bad input, and the paper's claims at small scale over several seeds."""
import os
import sys

import h5py
import numpy as np
import pytest

from conftest import run

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reference"))
import numpy_modular_mlp  # noqa: E402

# p = 11, h = 20 in tiles of 8 (the last one short); 3 ranks hold 8 + 8 + 4 neurons.
TINY = ["--set", "model=modular-mlp", "--set", "p=11", "--set", "hidden=20", "--set", "train_fraction=0.5",
        "--set", "learning_rate=0.5", "--set", "weight_decay=0.01", "--set", "steps=25",
        "--set", "checkpoint_steps=[0, 10, 25]"]


def pairs_and_weights(path, step):
    with h5py.File(path, "r") as f:
        train = f["data/train_pairs"][()].astype(int)
        group = f[f"checkpoints/step_{step:08d}"]
        return train, group["W1"][()], group["b1"][()], group["W2"][()]


@pytest.mark.parametrize("ranks, operation", [(1, "add"), (3, "divide")])
def test_numpy_replays_the_same_trajectory(workdir, ranks, operation):
    out = workdir / "run.h5"
    run(["run", *TINY, "--set", f"operation={operation}", "--save-data", "--out", str(out), "--quiet"], ranks=ranks)
    train, w1, b1, w2 = pairs_and_weights(out, 0)
    a, b, labels = train[:, 0], train[:, 1], train[:, 2]
    p = 11
    expected_labels = {"add": (a + b) % p, "divide": (a * np.array([pow(int(v), p - 2, p) for v in b])) % p}[operation]
    assert np.array_equal(labels, expected_labels)
    with h5py.File(out, "r") as f:
        losses = dict(zip(f["metrics/step"][()], f["metrics/train_loss"][()]))
    for step in range(1, 26):
        _, _, f_now = numpy_modular_mlp.logits(a, b, w1, b1, w2)
        assert abs(numpy_modular_mlp.cross_entropy(f_now, labels) - losses[step - 1]) <= 1e-10 * abs(losses[step - 1])
        w1, b1, w2 = numpy_modular_mlp.gd_step(a, b, labels, w1, b1, w2, 0.5, 0.01)
        if step in (10, 25):
            _, e1, eb, e2 = pairs_and_weights(out, step)
            for mine, theirs in ((w1, e1), (b1, eb), (w2, e2)):
                assert np.abs(mine - theirs).max() <= 1e-10 * np.abs(theirs).max(), f"step {step}"
    _, first, _, _ = pairs_and_weights(out, 0)
    assert not np.allclose(first, w1)


def test_fourier_analysis_matches_numpy_fft(workdir):
    out = workdir / "run.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"], ranks=2)
    text = run(["analyze", str(out)]).stdout
    assert "frequencies(90%)" in text
    with h5py.File(out, "r") as f:
        analysis = f["analysis"]
        steps = analysis["step"][()].astype(int)
        assert list(steps) == [0, 10, 25]
        for row, step in enumerate(steps):
            w1 = f[f"checkpoints/step_{step:08d}/W1"][()]
            power_a, power_b = numpy_modular_mlp.fourier_power(w1, 11)
            assert np.allclose(analysis["power_a"][row], power_a, rtol=1e-12, atol=1e-14)
            assert np.allclose(analysis["power_b"][row], power_b, rtol=1e-12, atol=1e-14)
            # Parseval: constant part plus the frequencies' power is the squared norm of the a-columns.
            constant = (w1[:, :11].sum(axis=1) ** 2 / 11).sum()
            assert np.isclose(constant + power_a.sum(), (w1[:, :11] ** 2).sum(), rtol=1e-12)
            total = np.sort(power_a + power_b)[::-1]
            count = int(np.argmax(np.cumsum(total) >= 0.9 * total.sum())) + 1
            assert analysis["count_90"][row] == count
            per_neuron_a = 2 * np.abs(np.fft.fft(w1[:, :11], axis=1)[:, 1:6]) ** 2 / 11
            per_neuron = per_neuron_a + 2 * np.abs(np.fft.fft(w1[:, 11:], axis=1)[:, 1:6]) ** 2 / 11
            ordered = np.sort(per_neuron, axis=1)[:, ::-1]
            counts = (np.cumsum(ordered, axis=1) < 0.9 * ordered.sum(axis=1, keepdims=True) * (1 - 1e-12)).sum(axis=1) + 1
            assert np.isclose(analysis["neuron_count_90"][row], np.average(counts, weights=per_neuron.sum(axis=1)), rtol=1e-12)
        for name in analysis:
            assert analysis[name].attrs["description"] and "units" in analysis[name].attrs
        recorded = f["metrics/fourier_count_90"][()]
        assert recorded[-1] == analysis["count_90"][-1]
        assert np.isclose(f["metrics/neuron_fourier_count_90"][-1], analysis["neuron_count_90"][-1], rtol=1e-12)
    figures = workdir / "figures"
    run(["plot", str(out), "--out", str(figures)])
    for name in ("fourier_power.svg", "accuracy_timescales.svg", "accuracy.svg", "margin.svg", "norms.svg"):
        assert (figures / name).exists(), name


def test_fast_reduction_agrees_with_the_exact_one(workdir):
    results = {}
    for reduction, ranks in (("exact", 1), ("fast", 1), ("fast", 2), ("fast", 2)):
        out = workdir / f"{reduction}{ranks}.h5"
        run(["run", *TINY, "--set", f"reduction={reduction}", "--out", str(out), "--quiet", "--force"], ranks=ranks)
        with h5py.File(out, "r") as f:
            results.setdefault((reduction, ranks), []).append(f["checkpoints/step_00000025/W1"][()])
    exact = results[("exact", 1)][0]
    for key, values in results.items():
        assert np.abs(values[0] - exact).max() <= 1e-12 * np.abs(exact).max(), key
    # The fast reduction is reproducible for a fixed rank count.
    assert np.array_equal(results[("fast", 2)][0], results[("fast", 2)][1])


@pytest.mark.parametrize("setting, words", [
    ("p=15", "p must be a prime"), ("p=2", "p must be a prime"), ("train_fraction=0.0001", "train_fraction"),
    ("reduction=binned", "reduction"), ("operation=power", "operation")])
def test_bad_values_are_refused_in_one_line(workdir, setting, words):
    result = run(["run", "--set", "model=modular-mlp", "--set", setting, "--out", str(workdir / "x.h5")], check=False)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and words in lines[0], result.stderr


# The claims need 1.5 x 10^4 steps of p = 23, h = 128 a run (29-62 s each on 2 ranks in a release build on the
# shared 2-core machine; 7 minutes for all nine), so they are opt-in (GROKSIM_SLOW_TESTS=1, best with GROKSIM_BIN pointing
# at a release build). Each (preset, seed) is run once and shared by the tests below.
slow = pytest.mark.skipif(os.environ.get("GROKSIM_SLOW_TESTS") != "1", reason="set GROKSIM_SLOW_TESTS=1 (several minutes)")
SEEDS = (0, 1, 2)


def first_step(path, metric, level):
    with h5py.File(path, "r") as f:
        steps, values = f["metrics/step"][()], f[f"metrics/{metric}"][()]
    reached = np.nonzero(values >= level)[0]
    return (int(steps[reached[0]]) if len(reached) else None), float(values[-1])


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    directory, done = tmp_path_factory.mktemp("modadd-small"), {}

    def get(seed, preset="modadd-small"):
        if (preset, seed) not in done:
            out = directory / f"{preset}-{seed}.h5"
            run(["run", "--preset", preset, "--set", f"seed={seed}", "--out", str(out), "--quiet"], ranks=2, timeout=1200)
            done[preset, seed] = out
        return done[preset, seed]
    return get


# Measured (release build, one rank and the same on 2 ranks; metrics are recorded 20 times a decade, so steps are the
# first recorded ones):
#   x1:   train accuracy 1 at 126, 112, 112 (seeds 0, 1, 2); test 0.9 at 2,818 on all three; 0.95 at 4,467, 3,548,
#         3,981; test accuracy 1.000 at step 15,000 on all three; per-neuron frequency count 8.2-8.4 -> 1.11-1.17.
#   x10:  test 0.9 at 5,012, 4,467, 4,467 (1.6-1.8x the x1 step); x100: 7,943, 7,943, 8,913 (2.8-3.2x).
@slow
@pytest.mark.parametrize("seed", SEEDS)
def test_small_preset_fits_a_decade_before_it_generalises(small_run, seed):
    """Lyu et al. Fig. 2 at p = 23: train accuracy 1 at least 10x earlier than test accuracy 0.9, and the per-neuron
    Fourier concentration drops from spread (> 4 frequencies) to about one (< 2.5)."""
    out = small_run(seed)
    fit, _ = first_step(out, "train_accuracy", 1.0)
    grok, _ = first_step(out, "test_accuracy", 0.9)
    assert fit is not None and grok is not None, (fit, grok)
    assert grok >= 10 * fit, (fit, grok)
    with h5py.File(out, "r") as f:
        concentration = f["metrics/neuron_fourier_count_90"][()]
    assert concentration[0] > 4 and concentration[-1] < 2.5, (concentration[0], concentration[-1])


@slow
@pytest.mark.parametrize("seed", SEEDS)
def test_small_preset_ends_above_095(small_run, seed):
    """Test accuracy at the last step is above 0.95."""
    _, final = first_step(small_run(seed), "test_accuracy", 0.95)
    assert final > 0.95, final


@slow
@pytest.mark.parametrize("seed", SEEDS)
def test_larger_init_jumps_later(small_run, seed):
    """x10 and x100 init (last layer zero) reach test accuracy 0.9 later than x1, each by at least 1.2x (or never),
    and x100 later than x10."""
    steps = {preset: first_step(small_run(seed, preset), "test_accuracy", 0.9)[0]
             for preset in ("modadd-small", "modadd-small-init10", "modadd-small-init100")}
    base = steps["modadd-small"]
    assert base is not None, steps
    for preset in ("modadd-small-init10", "modadd-small-init100"):
        assert steps[preset] is None or steps[preset] >= 1.2 * base, steps
    x10, x100 = steps["modadd-small-init10"], steps["modadd-small-init100"]
    assert (x100 is None) if x10 is None else (x100 is None or x100 > x10), steps
