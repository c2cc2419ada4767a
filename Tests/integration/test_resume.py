"""Resume, crash safety and preemption, on the real binary under real mpirun.

Every resumed run is compared with an uninterrupted one: every metric except wall_time and every
checkpointed W must be bit-identical (tolerance zero), whatever the rank counts before and after."""
import os
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import GROKSIM, MPIRUN, run

# Tiny and fast; 13 neurons give uneven blocks on 2 and 3 ranks.
BASE = ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "alpha=1e-3",
        "--set", "omega=1e-3", "--set", "mu_norm=6", "--set", "checkpoint_every=3", "--set", "checkpoint_steps=[0, 1]"]
N = 12


def load(path):
    """(metrics without wall_time, {checkpoint name: W}, status) of a run file, read with h5py."""
    with h5py.File(path, "r") as f:
        metrics = {name: f["metrics"][name][()] for name in f["metrics"] if name != "wall_time"}
        checkpoints = {name: f["checkpoints"][name]["W"][()] for name in f["checkpoints"]}
        status = f.attrs["status"]
        return metrics, checkpoints, status.decode() if isinstance(status, bytes) else status


def assert_identical(reference, path, all_checkpoints=True):
    ref_metrics, ref_checkpoints, _ = load(reference)
    metrics, checkpoints, status = load(path)
    assert status == "complete"
    assert list(metrics["step"]) == list(range(N + 1))
    assert sorted(metrics) == sorted(ref_metrics)
    for name, values in ref_metrics.items():
        assert np.array_equal(values, metrics[name], equal_nan=True), f"metric {name} differs"
    for name, w in ref_checkpoints.items():
        if not all_checkpoints and name not in checkpoints:
            continue
        assert name in checkpoints, f"{name} missing"
        assert np.array_equal(w, checkpoints[name]), f"{name} W differs"


def h5dump_reads(path):
    result = subprocess.run(["h5dump", "-H", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert 'GROUP "metrics"' in result.stdout


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "full.h5"
    run(["run", *BASE, "--set", f"steps={N}", "--out", str(out), "--quiet"], ranks=2)
    return out


@pytest.mark.parametrize("stop, first_ranks, resume_ranks, how", [
    (1, 1, 2, "until"), (3, 2, 2, "until"), (5, 2, 3, "until"), (7, 3, 1, "steps"), (11, 2, 2, "default"), (12, 2, 3, "until"),
])
def test_stop_and_resume_is_bit_identical(workdir, reference, stop, first_ranks, resume_ranks, how):
    out = workdir / "run.h5"
    run(["run", *BASE, "--set", f"steps={stop}", "--out", str(out), "--quiet"], ranks=first_ranks)
    extra = {"until": ["--until", str(N)], "steps": ["--steps", str(N - stop)], "default": ["--set", f"steps={N}"]}[how]
    result = run(["resume", str(out), *extra, "--quiet"], ranks=resume_ranks)
    assert result.stderr.strip() == "", result.stderr
    assert_identical(reference, out)
    with h5py.File(out, "r") as f:
        # A run already complete at step N has nothing to resume: the file is left as it was.
        assert list(f.attrs.get("resumed_at_steps", [])) == ([stop] if stop < N else [])
        assert int(f["config"].attrs["steps"]) == N


def test_resume_twice_and_resume_of_a_complete_run_changes_nothing(workdir, reference):
    out = workdir / "run.h5"
    run(["run", *BASE, "--set", "steps=4", "--out", str(out), "--quiet"], ranks=2)
    run(["resume", str(out), "--until", "8", "--quiet"], ranks=1)
    run(["resume", str(out), "--until", str(N), "--quiet"], ranks=3)
    assert_identical(reference, out)
    before = out.read_bytes()
    run(["resume", str(out), "--quiet"], ranks=2)  # already complete: nothing to do, the file is left as it is
    assert out.read_bytes() == before
    assert_identical(reference, out)


def test_future_only_keys_are_accepted_and_recorded(workdir, reference):
    out = workdir / "run.h5"
    run(["run", *BASE, "--set", "steps=5", "--out", str(out), "--quiet"], ranks=2)
    run(["resume", str(out), "--until", str(N), "--set", "checkpoint_every=2", "--set", "blas_threads=2", "--quiet"], ranks=2)
    assert_identical(reference, out, all_checkpoints=False)
    with h5py.File(out, "r") as f:
        assert int(f["config"].attrs["checkpoint_every"]) == 2 and int(f["config"].attrs["blas_threads"]) == 2
        assert {"step_00000006", "step_00000008", "step_00000010", "step_00000012"} <= set(f["checkpoints"])


def test_damaged_newest_checkpoint_is_skipped_with_a_warning(workdir, reference):
    out = workdir / "run.h5"
    run(["run", *BASE, "--set", f"steps={N}", "--out", str(out), "--quiet"], ranks=2)
    directory = workdir / "run.h5.checkpoints"
    newest = directory / "step_00000012.h5"
    newest.write_bytes(newest.read_bytes()[:1000])
    with h5py.File(directory / "step_00000009.h5", "a") as f:
        del f.attrs["complete"]
    result = run(["resume", str(out), "--quiet"], ranks=2)
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 2, result.stderr
    assert "step_00000012.h5" in warnings[0] and "step_00000009.h5" in warnings[1] and "incomplete" in warnings[1]
    assert_identical(reference, out)


# ---------------------------------------------------------------------------------------------------------
# Fault injection: SIGKILL at chosen moments (test hooks) and at arbitrary moments (timed, from outside).

HOOK_KILLS = [
    # (GROKSIM_TEST_CRASH_AT, ranks of the killed run, ranks of the resume)
    ("step:4", 2, 2),                 # rank 0 dies between steps
    ("step:7:1", 3, 2),               # another rank dies
    ("checkpoint-gather:6:1", 2, 1),  # rank 1 dies as a checkpoint starts
    ("checkpoint-write:6", 2, 3),     # rank 0 dies with half of W in the temporary checkpoint file
    ("checkpoint-write:3", 1, 2),
    ("checkpoint-synced:9", 2, 2),    # after the temporary checkpoint file is complete, before its rename
    ("checkpoint-renamed:9", 2, 1),   # after the rename, before the run file links it
    ("publish-write:6", 2, 2),        # while the new run file is being written
    ("checkpoint-write:12", 2, 2),    # inside the last checkpoint
    ("publish-write:12", 3, 3),       # while linking the last checkpoint
]


def launch(args, ranks, env):
    """Starts groksim under mpirun in its own process group (so the whole job can be killed)."""
    command = MPIRUN + ["-n", str(ranks), GROKSIM, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=dict(os.environ, OPENBLAS_NUM_THREADS="1", **env))


def descendants(pid):
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(c) for c in children] + [d for c in children for d in descendants(int(c))]


def kill_job(job):
    """SIGKILL to mpirun and every process it started (ranks get their own process groups), then waits."""
    pids = [job.pid] + descendants(job.pid)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    job.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read() for pid in pids[1:]):
        assert time.monotonic() < deadline, "ranks survived SIGKILL"
        time.sleep(0.05)


def assert_killed_run_resumes(out, reference, resume_ranks):
    assert out.exists(), "the run file must exist after the kill"
    h5dump_reads(out)
    with h5py.File(out, "r") as f:
        assert f.attrs["format"] in (b"groksim-run", "groksim-run")
    run(["resume", str(out), "--until", str(N), "--quiet"], ranks=resume_ranks)
    h5dump_reads(out)
    assert_identical(reference, out)


@pytest.mark.parametrize("crash, ranks, resume_ranks", HOOK_KILLS, ids=[c[0] for c in HOOK_KILLS])
def test_kill_at_a_chosen_moment_then_resume(workdir, reference, crash, ranks, resume_ranks):
    out = workdir / "run.h5"
    result = run(["run", *BASE, "--set", f"steps={N}", "--out", str(out), "--quiet"], ranks=ranks, check=False,
                 env={"GROKSIM_TEST_CRASH_AT": crash})
    assert result.returncode != 0 and "test hook: killing" in result.stderr, result.stderr
    assert_killed_run_resumes(out, reference, resume_ranks)


def test_kill_during_a_resume_then_resume_again(workdir, reference):
    out = workdir / "run.h5"
    run(["run", *BASE, "--set", "steps=4", "--out", str(out), "--quiet"], ranks=2)
    result = run(["resume", str(out), "--until", str(N), "--quiet"], ranks=2, check=False,
                 env={"GROKSIM_TEST_CRASH_AT": "checkpoint-write:9"})
    assert result.returncode != 0
    assert_killed_run_resumes(out, reference, 3)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.3, 1.7, 2.1])
def test_kill_whole_job_at_a_random_moment_then_resume(workdir, reference, delay):
    """SIGKILL to every process of the job (mpirun and ranks) after `delay` seconds of a slowed run whose
    steps take 0.15 s and checkpoint writes 0.15 s more, so several kills land inside a checkpoint write."""
    out = workdir / "run.h5"
    job = launch(["run", *BASE, "--set", f"steps={N}", "--out", str(out), "--quiet"], 2,
                 {"GROKSIM_TEST_SLEEP_PER_STEP": "0.15", "GROKSIM_TEST_SLEEP_IN_CHECKPOINT": "0.15"})
    deadline = time.monotonic() + 30
    while not out.exists() and time.monotonic() < deadline and job.poll() is None:
        time.sleep(0.02)
    time.sleep(delay)
    assert job.poll() is None, "the run ended before the kill"
    kill_job(job)
    assert_killed_run_resumes(out, reference, 2)


# ---------------------------------------------------------------------------------------------------------
# Preemption: SIGTERM / SIGUSR1 finish the step, write a checkpoint, print how to resume, exit 0.

def wait_for_step(out, step, job, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and job.poll() is None:
        if (out.parent / "run.h5.checkpoints" / f"step_{step:08d}.h5").exists():
            return
        time.sleep(0.05)
    raise AssertionError("the run did not reach the step")


@pytest.mark.parametrize("target", ["mpirun-USR1", "ranks-TERM", "one-rank-USR1", "one-rank-TERM", "mpirun-TERM"])
def test_stop_signal_checkpoints_and_resume_is_identical(workdir, reference, target):
    out = workdir / "run.h5"
    job = launch(["run", *BASE, "--set", f"steps={N}", "--out", str(out), "--quiet"], 2, {"GROKSIM_TEST_SLEEP_PER_STEP": "0.25"})
    wait_for_step(out, 3, job)
    number = signal.SIGUSR1 if target.endswith("USR1") else signal.SIGTERM
    ranks = [int(pid) for pid in subprocess.run(["pgrep", "-P", str(job.pid)], capture_output=True, text=True).stdout.split()]
    assert len(ranks) == 2, ranks
    if target.startswith("mpirun"):
        os.kill(job.pid, number)      # Open MPI forwards SIGTERM and SIGUSR1 to every rank
    elif target.startswith("ranks"):
        for pid in ranks:             # what Slurm does at preemption
            os.kill(pid, number)
    else:
        os.kill(ranks[-1], number)    # a signal that reaches one rank only
    stdout, stderr = job.communicate(timeout=120)
    if target == "mpirun-TERM":
        # Open MPI 4.1 ends mpirun with status 1 after forwarding SIGTERM, whatever the ranks return.
        assert job.returncode in (0, 1), stderr
    else:
        assert job.returncode == 0, stderr
    messages = [line for line in stderr.splitlines() if "stopped on a signal" in line]
    assert len(messages) == 1, stderr
    assert f"groksim resume {out}" in messages[0]
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] in (b"stopped", "stopped")
        reached = int(f.attrs["steps_completed"])
        assert 3 <= reached < N
        assert f"step_{reached:08d}" in f["checkpoints"]
    assert f"step_{reached:08d}.h5" in messages[0]
    run(["resume", str(out), "--quiet"], ranks=3)
    assert_identical(reference, out)


def test_divergence_keeps_the_last_good_checkpoint(workdir):
    out = workdir / "run.h5"
    result = run(["run", *BASE, "--set", "alpha=1e300", "--set", "omega=1e10", "--set", "steps=5", "--out", str(out), "--quiet"],
                 ranks=2, check=False)
    assert result.returncode == 3, result.stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] in (b"diverged", "diverged")
        assert "step_00000000" in f["checkpoints"] and f["checkpoints/step_00000000/W"].shape == (13, 60)
    h5dump_reads(out)
