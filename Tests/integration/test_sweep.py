"""Sweeps (groksim sweep) and ensembles through the one shared queue: the index, refusals, load balance,
preemption by SIGTERM/SIGUSR1 and SIGKILL at random moments, and bit-identity after every restart."""
import os
import random
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import GROKSIM, MPIRUN, run

TINY_XOR = """
[base]
model = "xor-relu"
[base.set]
n = 20
p = 60
m = 13
n_test = 40
omega = 1e-3
mu_norm = 6
steps = {steps}
checkpoint_every = 4
checkpoint_steps = [0]
"""


def sweep_file(path, body, steps=12, top=""):
    """A sweep file: `top` (top-level entries such as seeds), the tiny base config, then `body` (axes)."""
    path.write_text(top + TINY_XOR.format(steps=steps) + body)
    return path


SEEDS = 'seeds = "0..1"\n'
TWO_AXES = """
[[axis]]
key = "alpha"
values = [1e-4, 1e-2]
scale = "log"
[[axis]]
key = "mu_norm"
values = [4, 8]
"""


def launch(args, ranks, env=None):
    command = MPIRUN + ["-n", str(ranks), GROKSIM] + args
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, OPENBLAS_NUM_THREADS="1", **(env or {})), start_new_session=True)


def wait_for(path, job, since, timeout=60):
    """Waits until the job has set up: rank 0 rewrites the index (after installing the stop handler)."""
    deadline = time.monotonic() + timeout
    while job.poll() is None and time.monotonic() < deadline:
        if path.exists() and os.path.getmtime(path) >= since:
            return
        time.sleep(0.02)


def run_contents(path):
    """Every metric but wall time, and every dataset of every checkpoint, of one run file."""
    with h5py.File(path, "r") as f:
        status = f.attrs["status"]
        contents = {"status": status.decode() if isinstance(status, bytes) else status}
        for name in f["metrics"]:
            if name != "wall_time":
                contents[f"metrics/{name}"] = f["metrics"][name][()]
        for step in f["checkpoints"]:
            def visit(name, item, step=step):
                if isinstance(item, h5py.Dataset) and not name.endswith("wall_time"):
                    contents[f"checkpoints/{step}/{name}"] = item[()]
            f["checkpoints"][step].visititems(visit)
    return contents


def assert_same_runs(reference_dir, directory):
    names = sorted(n for n in os.listdir(reference_dir) if n.endswith(".h5"))
    assert names == sorted(n for n in os.listdir(directory) if n.endswith(".h5"))
    for name in names:
        want, got = run_contents(reference_dir / name), run_contents(directory / name)
        assert want["status"] == got["status"] == "complete", name
        # A stop adds its own checkpoint; every checkpoint of the uninterrupted run must be there and equal.
        assert sorted(k for k in want if k.startswith("metrics/")) == sorted(k for k in got if k.startswith("metrics/")), name
        assert set(want) <= set(got), name
        for key, value in want.items():
            if key != "status":
                assert np.array_equal(value, got[key], equal_nan=True), f"{name}: {key} differs"


@pytest.fixture(scope="module")
def reference_sweep(tmp_path_factory):
    directory = tmp_path_factory.mktemp("reference")
    spec = sweep_file(directory / "s.toml", TWO_AXES, top=SEEDS)
    run(["sweep", str(spec), "--out", str(directory / "s.h5"), "--quiet"], ranks=1)
    return directory


def test_sweep_index_is_complete_and_described(workdir, reference_sweep):
    index = reference_sweep / "s.h5"
    with h5py.File(index, "r") as f:
        assert f.attrs["format"] in ("groksim-sweep", b"groksim-sweep")
        assert list(f["runs/status"][()]) == [3] * 8           # 2 x 2 points x 2 seeds, all complete
        assert list(f["runs/point"][()]) == [p for p in range(4) for _ in range(2)]
        assert list(f["axes/axis_0/alpha"][()]) == [1e-4, 1e-2]
        assert f["axes/axis_0"].attrs["scale"] in ("log", b"log")
        assert list(f["points/mu_norm"][()]) == [4, 8, 4, 8]
        assert list(f["points/count_complete"][()]) == [2] * 4
        assert list(f["points/summary/final_test_accuracy/count"][()]) == [2] * 4
        assert 0 <= f.attrs["idle_fraction"] < 1
        median = f["points/summary/final_test_accuracy/median"][()]
        per_run = f["runs/summary/final_test_accuracy"][()]
        assert np.allclose(median, [np.median(per_run[2 * p:2 * p + 2]) for p in range(4)])
        linked = f["runs/files/point_00003_seed_000001/metrics/test_accuracy"][()]
        assert "alpha = 0.01" in f["runs/config"].attrs["run_000007"]
        missing = []

        def visit(name, item):
            if isinstance(item, h5py.Dataset) and not name.startswith("runs/files"):
                if "description" not in item.attrs or "units" not in item.attrs:
                    missing.append(name)
        f.visititems(visit)
        assert not missing, missing
    # A point of the sweep is the same run as `groksim run` with that config.
    single = workdir / "single.h5"
    run(["run", "--set", "model=xor-relu", "--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40",
         "--set", "omega=1e-3", "--set", "mu_norm=8", "--set", "steps=12", "--set", "checkpoint_every=4",
         "--set", "checkpoint_steps=[0]", "--set", "alpha=0.01", "--set", "seed=1", "--out", str(single), "--quiet"])
    with h5py.File(single, "r") as f:
        assert np.array_equal(f["metrics/test_accuracy"][()], linked)
    plots = run(["plot", str(index), "--out", str(workdir / "figs")])
    assert "sweep_final_test_accuracy.svg" in plots.stdout
    assert "<svg" in (workdir / "figs" / "sweep_final_test_accuracy.svg").read_text()


def test_two_ranks_and_groups_give_the_same_runs(workdir, reference_sweep):
    spec = sweep_file(workdir / "s.toml", TWO_AXES, top=SEEDS)
    run(["sweep", str(spec), "--out", str(workdir / "s.h5"), "--quiet"], ranks=2)
    assert_same_runs(reference_sweep / "s.h5.runs", workdir / "s.h5.runs")
    run(["sweep", str(spec), "--out", str(workdir / "g.h5"), "--ranks-per-run", "2", "--quiet"], ranks=2)
    assert_same_runs(reference_sweep / "s.h5.runs", workdir / "g.h5.runs")
    # The same command again has nothing left to do and leaves the runs as they are.
    again = run(["sweep", str(spec), "--out", str(workdir / "s.h5")], ranks=2)
    assert "done at" not in again.stderr and "finished" in again.stdout
    assert_same_runs(reference_sweep / "s.h5.runs", workdir / "s.h5.runs")


@pytest.mark.parametrize("ranks, number", [(1, signal.SIGTERM), (2, signal.SIGTERM), (1, signal.SIGKILL), (2, signal.SIGKILL)],
                         ids=["1-TERM", "2-TERM", "1-KILL", "2-KILL"])
def test_interrupted_sweep_finishes_bit_identical(workdir, reference_sweep, ranks, number):
    spec = sweep_file(workdir / "s.toml", TWO_AXES, top=SEEDS)
    index = workdir / "s.h5"
    rng = random.Random(ranks * 100 + number)
    for attempt in range(3):
        since = time.time() - 0.01
        job = launch(["sweep", str(spec), "--out", str(index), "--quiet"], ranks, {"GROKSIM_TEST_SLEEP_PER_STEP": "0.03"})
        # The signal comes at a random moment once the job is set up; one before the handler exists would kill
        # the process like any program's.
        wait_for(index, job, since)
        time.sleep(rng.uniform(0.1, 1.2))
        if job.poll() is not None:
            break
        ranks_pids = [int(p) for p in subprocess.run(["pgrep", "-P", str(job.pid)], capture_output=True, text=True).stdout.split()]
        if number == signal.SIGKILL:
            os.killpg(job.pid, signal.SIGKILL)       # the whole job dies without warning
        else:
            for pid in ranks_pids:                   # what Slurm does at preemption
                os.kill(pid, number)
        _, stderr = job.communicate(timeout=120)
        if number == signal.SIGTERM:
            assert job.returncode == 0, stderr
            assert "stopped on a signal" in stderr and f"groksim resume {index}" in stderr
            with h5py.File(index, "r") as f:
                assert 3 not in set(f["runs/status"][()]) or min(f["runs/status"][()]) < 3
    finish = run(["resume", str(index)], ranks=ranks)
    assert "finished" in finish.stdout
    assert_same_runs(reference_sweep / "s.h5.runs", workdir / "s.h5.runs")
    assert not [n for n in os.listdir(workdir / "s.h5.runs") if n.endswith(".lock")]


ENSEMBLE = ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "steps=16",
            "--set", "alpha=1e-3", "--set", "omega=1e-3", "--set", "mu_norm=6", "--set", "checkpoint_every=4"]


def test_ensemble_stopped_by_usr1_three_times_ends_identical(workdir):
    reference = workdir / "ref.h5"
    run(["run", *ENSEMBLE, "--seeds", "0..5", "--out", str(reference), "--quiet"], ranks=2)
    out = workdir / "e.h5"
    rng = random.Random(16)
    since = time.time() - 0.01
    job = launch(["run", *ENSEMBLE, "--seeds", "0..5", "--out", str(out), "--quiet"], 2, {"GROKSIM_TEST_SLEEP_PER_STEP": "0.04"})
    for stop in range(3):
        wait_for(out, job, since)
        time.sleep(rng.uniform(0.2, 1.0))
        if job.poll() is None:
            job.send_signal(signal.SIGUSR1)          # mpirun forwards SIGUSR1 to every rank
        _, stderr = job.communicate(timeout=120)
        assert job.returncode == 0, stderr
        with h5py.File(out, "r") as f:               # the index exists and says where each seed stands
            assert len(f["ensemble/status"][()]) == 6
        if stop < 2:
            since = time.time() - 0.01
            job = launch(["resume", str(out), "--quiet"], 2, {"GROKSIM_TEST_SLEEP_PER_STEP": "0.04"})
    run(["resume", str(out), "--quiet"], ranks=2)
    assert_same_runs(workdir / "ref.h5.seeds", workdir / "e.h5.seeds")
    with h5py.File(out, "r") as f, h5py.File(reference, "r") as g:
        assert list(f["ensemble/status"][()]) == [3] * 6
        assert np.array_equal(f["ensemble/metrics/test_accuracy"][()], g["ensemble/metrics/test_accuracy"][()])


def test_a_diverged_run_is_recorded_and_the_others_go_on(workdir):
    spec = sweep_file(workdir / "d.toml", """
[[axis]]
keys = ["alpha", "omega"]
values = [[1e-3, 1e-3], [1e300, 1e10]]
""", steps=5, top="seeds = 2\n")
    result = run(["sweep", str(spec), "--out", str(workdir / "d.h5")], ranks=2)
    assert "diverged" in result.stderr
    with h5py.File(workdir / "d.h5", "r") as f:
        assert list(f["runs/status"][()]) == [3, 3, 4, 4]
        assert list(f["points/count_diverged"][()]) == [0, 2]


def test_points_of_tenfold_cost_leave_ranks_idle_under_ten_percent(workdir):
    spec = sweep_file(workdir / "c.toml", """
[[axis]]
key = "steps"
values = [8, 80]
""", top="seeds = 4\n")
    run(["sweep", str(spec), "--out", str(workdir / "c.h5"), "--quiet"], ranks=2, env={"GROKSIM_TEST_SLEEP_PER_STEP": "0.01"})
    with h5py.File(workdir / "c.h5", "r") as f:
        idle = f.attrs["idle_fraction"]
        print(f"idle fraction {idle:.3f} over {f.attrs['wall_seconds']:.2f} s")
        assert idle < 0.10


@pytest.mark.parametrize("body, words", [
    ('[colour]\nred = 1\n', "unknown entry 'colour'"),
    ('[[axis]]\nkey = "alpha"\nvalues = []\n', "values is empty"),
    ('[[axis]]\nkey = "alpha"\nvalues = [1e-3]\nlinspace = [1, 2, 3]\n', "exactly one of values, linspace, logspace"),
    ('[[axis]]\nkey = "alpha"\nlogspace = [-1, 2, 3]\n', "logspace needs positive ends"),
    ('[[axis]]\nkey = "learning_rate"\nvalues = [0.1]\n', "learning_rate"),
    ('[[axis]]\nkey = "alpha"\nvalues = ["big"]\n', "not a finite number"),
    ('[[axis]]\nkey = "seed"\nvalues = [1, 2]\n', "'seed' cannot be an axis"),
    ('[[axis]\n', "not valid TOML"),
], ids=["unknown-entry", "empty-axis", "two-ranges", "bad-logspace", "other-models-key", "string-value", "seed-axis", "bad-toml"])
def test_bad_sweep_files_are_refused_with_one_line(workdir, body, words):
    spec = sweep_file(workdir / "bad.toml", body)
    result = run(["sweep", str(spec), "--out", str(workdir / "bad.h5")], ranks=2, check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and words in errors[0], result.stderr
    assert not (workdir / "bad.h5").exists()
