"""`groksim analyze`'s theorem checks against numpy recomputation from /metrics, on a theorem-regime preset.

Nothing here asserts that the theorem holds: the runs may or may not grok, and the test only requires the
printed table and the stored datasets to report exactly what /metrics says."""
import math

import h5py
import numpy as np
import pytest

from conftest import run

PRESET = "theorem-n50"
SEEDS = list(range(6))
THRESHOLD = 0.95
CLUSTERS = ["plus_mu1", "minus_mu1", "plus_mu2", "minus_mu2"]


def expected_checks(run_file):
    """The theorem checks recomputed with numpy from one run file's /metrics and config."""
    m = run_file["metrics"]
    n = int(run_file["config"].attrs["n"])
    h = math.isqrt(n)
    steps = m["step"][()]
    train, test, ratio = m["train_accuracy"][()], m["test_accuracy"][()], m["point_weight_ratio"][()]
    window = (steps >= 1) & (steps <= h)
    assert h in steps and 1 in steps, "the preset records every step, so the window is complete"
    at = lambda name, step: m[name][()][list(steps).index(step)]
    reached = test >= THRESHOLD
    last_clusters = np.array([m[f"test_accuracy_{c}"][-1] for c in CLUSTERS])
    values = {
        "min_train_accuracy_to_horizon": train[window].min(),
        "test_accuracy_at_step1": at("test_accuracy", 1),
        **{f"test_accuracy_{c}_at_step1": at(f"test_accuracy_{c}", 1) for c in CLUSTERS},
        "test_accuracy_at_horizon": at("test_accuracy", h),
        "test_accuracy_at_last_step": test[-1],
        "last_step": float(steps[-1]),
        "clusters_below_half_at_last_step": float((last_clusters < 0.5).sum()),
        "max_point_weight_ratio_to_horizon": ratio[window].max(),
    }
    first = float(steps[np.argmax(reached)]) if reached.any() else math.nan
    return n, h, values, first


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    out = tmp_path_factory.mktemp("theorem") / "index.h5"
    run(["run", "--preset", PRESET, "--seeds", f"{SEEDS[0]}..{SEEDS[-1]}", "--out", str(out), "--quiet"], ranks=2)
    result = run(["analyze", str(out)])
    return out, result.stdout


def seed_lines(stdout):
    """The per-seed rows of the theorem-checks table, as lists of fields."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("theorem checks:"))
    assert "min train" in lines[start + 1] and "max g ratio-1" in lines[start + 1]
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("    "):
            break
        rows.append(line.split())
    return lines[start], rows


def test_stored_checks_match_numpy(ensemble):
    out, _ = ensemble
    with h5py.File(out, "r") as index:
        assert list(index["analysis/seed"][()]) == SEEDS
        stored_index = index["analysis/theorem"]
        for row, seed in enumerate(SEEDS):
            run_file = index[f"seeds/seed_{seed:06d}"]
            n, h, values, first = expected_checks(run_file)
            group = run_file["analysis/theorem"]
            assert group.attrs["horizon"] == h and group.attrs["n"] == n and group.attrs["threshold"] == THRESHOLD
            assert sorted(group) == sorted(values)
            for name, value in values.items():
                assert group[name].shape == (1,)
                assert np.array_equal(group[name][()], [value], equal_nan=True), (seed, name)
                assert np.array_equal(stored_index[name][row], value, equal_nan=True), (seed, name)
            assert np.array_equal(run_file["analysis/grokking_step"][()], [first], equal_nan=True)
            assert np.array_equal(index["analysis/grokking_step"][row], first, equal_nan=True)
        for group in [stored_index, index[f"seeds/seed_{SEEDS[0]:06d}/analysis/theorem"]]:
            for name, dataset in group.items():
                assert dataset.attrs["description"] and dataset.attrs["units"], name
        assert all(stored_index[name].shape == (len(SEEDS),) for name in stored_index)


def test_printed_table_matches_numpy(ensemble):
    out, stdout = ensemble
    assert "memorised at" in stdout, "the existing table is still printed"
    assert stdout.index("memorised at") < stdout.index("theorem checks:")
    header, rows = seed_lines(stdout)
    per_seed = []
    with h5py.File(out, "r") as index:
        for seed, fields in zip(SEEDS, rows):
            n, h, values, first = expected_checks(index[f"seeds/seed_{seed:06d}"])
            agreement = index["analysis/one_step_agreement"][SEEDS.index(seed)]
            per_seed.append((values, first, agreement))
            assert fields[0] == str(seed)
            assert fields[1:7] == [f"{values[k]:.3f}" for k in ["min_train_accuracy_to_horizon", "test_accuracy_at_step1"]
                                   + [f"test_accuracy_{c}_at_step1" for c in CLUSTERS]]
            assert fields[7] == ("never" if math.isnan(first) else f"{first:.0f}")
            assert fields[8:10] == [f"{values['test_accuracy_at_horizon']:.3f}", f"{values['test_accuracy_at_last_step']:.3f}"]
            assert fields[10] == f"{values['clusters_below_half_at_last_step']:.0f}"
            assert fields[11] == f"{agreement:.3f}"
            assert fields[12] == f"{values['max_point_weight_ratio_to_horizon'] - 1:.2e}"
    assert len(rows) == len(SEEDS)
    assert f"n = {n}, h = floor(sqrt(n)) = {h}" in header

    def fraction(count):
        return f"{count}/{len(SEEDS)} = {count / len(SEEDS):.2f}"

    def line(label):
        return next(l for l in stdout.splitlines() if l.strip().startswith(label))

    fitted = sum(v["min_train_accuracy_to_horizon"] == 1 for v, _, _ in per_seed)
    by_horizon = sum(first <= h for _, first, _ in per_seed)
    by_end = sum(not math.isnan(first) for _, first, _ in per_seed)
    lost = sum(v["clusters_below_half_at_last_step"] >= 1 for v, _, _ in per_seed)
    assert line("train accuracy 1 at every step 1..h").endswith(fraction(fitted))
    assert line(f"test >= 0.95 by t = h = {h}").endswith(fraction(by_horizon))
    assert line("test >= 0.95 by t = 40").endswith(fraction(by_end))
    assert line("a test cluster below 1/2 at t = 40").endswith(fraction(lost))
    step1 = [v["test_accuracy_at_step1"] for v, _, _ in per_seed]
    median, low, high = np.percentile(step1, [50, 20, 80])
    assert f"median {median:.3f}, 20-80% {low:.3f}-{high:.3f}" in line("test accuracy at t = 1")


def test_single_run_prints_its_line_without_aggregate(tmp_path):
    out = tmp_path / "one.h5"
    run(["run", "--preset", "theorem-n25", "--set", "seed=3", "--out", str(out), "--quiet"])
    stdout = run(["analyze", str(out)]).stdout
    header, rows = seed_lines(stdout)
    assert "h = floor(sqrt(n)) = 5" in header
    assert len(rows) == 1 and rows[0][0] == "-"
    assert "over 1 seeds" not in stdout and "train accuracy 1 at every step" not in stdout
    with h5py.File(out, "r") as f:
        _, _, values, first = expected_checks(f)
        assert rows[0][2] == f"{values['test_accuracy_at_step1']:.3f}"
        assert rows[0][7] == ("never" if math.isnan(first) else f"{first:.0f}")
        for name, value in values.items():
            assert np.array_equal(f["analysis/theorem"][name][()], [value], equal_nan=True), name
