"""The Langevin phase schedule on the real binary, and the random-label network's fluctuation analysis.

GD until the training loss is below gd_loss_target, then sampling phases at T_1, 2 T_1, ...: the switch
depends on the all-reduced loss only, so 1, 2 and 3 ranks give the same bits; a run cut in the GD phase or
in the middle of phase 2 and resumed on another rank count equals the uninterrupted run; /phases says
where each phase starts and which phase each metrics row belongs to. Then `groksim analyze` and `plot` on a
short version of the jules2023-small preset.
"""
import h5py
import numpy as np

from conftest import run, run_per_rank_status
from test_model_conformance import assert_same, read, walk_datasets

# 13 hidden units (13 tiles of one) split unevenly; the target is reached well before gd_max_steps.
PHASED = ["--set", "model=random-label-mlp", "--set", "n=12", "--set", "d=4", "--set", "width=13", "--set", "n_test=10",
          "--set", "learning_rate=0.3", "--set", "temperature=0.001", "--set", "langevin_phases=2",
          "--set", "langevin_phase_steps=40", "--set", "gd_loss_target=0.3", "--set", "gd_max_steps=400",
          "--set", "steps=1000", "--set", "checkpoint_every=25", "--set", "checkpoint_steps=[0]"]


def phases(path):
    with h5py.File(path, "r") as f:
        group = f["phases"]
        return dict(group.attrs), {name: group[name][()] for name in group}, f["config"].attrs["steps"]


def test_phased_run_is_bit_identical_on_one_two_three_ranks(workdir):
    runs = {}
    for ranks in (1, 2, 3):
        out = workdir / f"r{ranks}.h5"
        run(["run", *PHASED, "--out", str(out), "--quiet"], ranks=ranks)
        runs[ranks] = read(out)
    attrs, data, steps = phases(workdir / "r1.h5")
    start = int(attrs["sampling_start_step"])
    assert attrs["gd_loss_target_reached"] == 1 and 0 < start < 400
    assert list(data["start_step"]) == [0, start, start + 40]
    assert np.allclose(data["temperature"], [0, 0.001, 0.002])
    # The run ends with its last phase, and says so in /config.
    assert steps == start + 80
    metrics = runs[1][0]
    assert len(metrics["step"]) == len(data["metrics_phase"])
    sampled = metrics["step"][data["metrics_phase"] > 0]
    assert list(sampled) == list(range(start, start + 81)), "every sampling step has a metrics row"
    assert f"step_{start:08d}/w" in runs[1][1], "the GD endpoint is checkpointed for the Hessian"
    for ranks in (2, 3):
        assert_same(runs[1], runs[ranks], f"phased run on {ranks} ranks")
        assert phases(workdir / f"r{ranks}.h5")[0]["sampling_start_step"] == start


def test_a_run_cut_in_gd_or_in_phase_two_resumes_bit_identically(workdir):
    reference = workdir / "full.h5"
    run(["run", *PHASED, "--out", str(reference), "--quiet"], ranks=1)
    start = int(phases(reference)[0]["sampling_start_step"])
    full = read(reference)
    for cut, label in ((start - 7, "GD"), (start + 40 + 13, "phase 2")):
        part = workdir / f"part{cut}.h5"
        run(["run", *PHASED, "--set", f"steps={cut}", "--out", str(part), "--quiet"], ranks=2)
        run(["resume", str(part), "--until", str(start + 80), "--quiet"], ranks=3)
        resumed = read(part)
        common = {k: v for k, v in resumed[1].items() if k in full[1]}
        assert_same(full, (resumed[0], common), f"cut in {label} at step {cut}, resumed 2 -> 3 ranks")
        a, b = phases(reference), phases(part)
        assert a[0] == b[0] and all(np.array_equal(a[1][k], b[1][k]) for k in a[1]), label


def test_bad_phase_settings_are_refused_in_one_line(workdir):
    for extra, words in ((["--set", "temperature=0"], "temperature (T_1 of the sampling phases) must be > 0"),
                         (["--set", "optimizer=adam"], "langevin_phases > 0 needs optimizer = \"gd\""),
                         (["--set", "langevin_temperature_ratio=0"], "langevin_temperature_ratio must be a finite number > 0")):
        result, codes = run_per_rank_status(["run", *PHASED, *extra, "--out", str(workdir / "x.h5"), "--quiet"], ranks=2)
        lines = [line for line in result.stderr.splitlines() if line.strip() and "rank-exit-status" not in line]
        assert codes == [2, 2] and words in result.stderr, result.stderr
        assert all(line.startswith("groksim: error:") for line in lines), result.stderr


def test_analysis_of_a_short_small_preset(workdir):
    out = workdir / "small.h5"
    run(["run", "--preset", "jules2023-small", "--set", "langevin_phase_steps=300", "--out", str(out), "--quiet"], ranks=1)
    text = run(["analyze", str(out)]).stdout
    assert "Hessian of L at step" in text and "D_var" in text, text
    with h5py.File(out, "r") as f:
        group = f["analysis"]
        for name in ("temperature", "burn_in_steps", "tau_int_steps", "effective_samples", "d_mean", "d_mean_error", "d_var",
                     "d_var_error", "near_boundary", "quadratic_mean_excess", "quadratic_variance", "hessian_eigenvalues"):
            assert name in group, name
        assert np.allclose(group["temperature"][()], [0.001, 0.002, 0.004, 0.008])
        assert np.all(group["d_var"][()] > 0) and np.all(group["d_var_error"][()] > 0)
        assert len(group["hessian_eigenvalues"]) == f["config"].attrs["parameter_count"] == 640
        for name, dataset in walk_datasets(f):
            if name.startswith(("analysis/", "phases/")):
                assert dataset.attrs["description"] and "units" in dataset.attrs, name
    figures = workdir / "figures"
    run(["plot", str(out), "-o", str(figures)])
    for name in ("langevin_loss_trace.svg", "langevin_d_eff_vs_temperature.svg", "langevin_d_eff_vs_boundary.svg",
                 "langevin_variance_vs_quadratic.svg"):
        assert (figures / name).read_text().startswith("<svg") or "<svg" in (figures / name).read_text()[:300], name


def test_ensemble_analysis_fits_d_against_the_boundary_count(workdir):
    index = workdir / "ens.h5"
    # An ensemble index needs the same recorded steps for every seed: GD for a fixed number of steps.
    run(["run", *PHASED, "--set", "gd_loss_target=0", "--set", "gd_max_steps=150", "--seeds", "0..1", "--out", str(index), "--quiet"],
        ranks=1)
    text = run(["analyze", str(index)]).stdout
    assert "over 4 seeds x phases: D_var =" in text, text
    assert text.count("seed ") == 4, text


def test_numpy_replays_the_gd_phase(workdir):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference"))
    from numpy_random_label_mlp import gd_step, loss

    out = workdir / "gd.h5"
    run(["run", *PHASED, "--set", "steps=12", "--set", "weight_decay=0.01", "--save-data", "--out", str(out), "--quiet"], ranks=2)
    with h5py.File(out, "r") as f:
        x, y = f["data/x_train"][()], f["data/y_train"][()]
        w, b, a = (f["checkpoints/step_00000000"][k][()] for k in ("w", "b", "v"))
        final = tuple(f["checkpoints/step_00000012"][k][()] for k in ("w", "b", "v"))
        recorded = f["metrics/train_loss"][()]
    losses = []
    for _ in range(12):
        losses.append(loss(x, y, w, b, a))
        w, b, a = gd_step(x, y, w, b, a, lr=0.3, weight_decay=0.01)
    losses.append(loss(x, y, w, b, a))
    assert np.allclose(recorded, losses, rtol=1e-12, atol=0)
    for mine, theirs in zip((w, b, a), final):
        assert np.allclose(mine, theirs, rtol=1e-11, atol=1e-13)
