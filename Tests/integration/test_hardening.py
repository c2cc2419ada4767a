"""Defects found by trying GrokSim as a careless user would (issue "Hardening"), each reproduced here.

Every refusal is one line naming the problem, exit 2, and no file left behind."""
import json
import os
import re
import subprocess

import h5py
import pytest

from conftest import GROKSIM, run, run_per_rank_status

TINY = ["--preset", "small", "--set", "p=200", "--set", "m=8", "--set", "n=20", "--set", "n_test=20", "--set", "steps=4",
        "--set", "checkpoint_steps=[0]"]


def refused(args, words, cwd=None):
    result = run(args, check=False)
    lines = [line for line in result.stderr.splitlines() if line.startswith("groksim: error:")]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Fatal error" not in result.stderr and "Stack dump" not in result.stderr
    return result


@pytest.mark.parametrize("key, words", [("n_test", "too large"), ("n", "too large"), ("m", "too large"),
                                        ("p", "p must be at most 2^53")])
def test_huge_sizes_are_refused_not_crashed(workdir, key, words):
    value = "9223372036854775807"
    refused(["check", *TINY, "--set", f"{key}={value}"], words)
    refused(["run", *TINY, "--set", f"{key}={value}", "--out", str(workdir / "x.h5")], words)
    assert not (workdir / "x.h5").exists()


def test_a_huge_schedule_costs_no_memory(workdir):
    """10^10 steps with a checkpoint every step and dense metrics: the schedules are predicates, so the
    run starts at once; it is stopped by SIGTERM after its first steps, with a checkpoint."""
    import signal
    import subprocess
    import time
    out = workdir / "long.h5"
    process = subprocess.Popen([GROKSIM, "run", *TINY, "--set", "steps=10000000000", "--set", "checkpoint_every=1",
                                "--set", "metrics_dense_until=10000000000", "--out", str(out), "--quiet"],
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out.parent / "long.h5.checkpoints" / "step_00000003.h5").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] in ("stopped", b"stopped")


@pytest.mark.parametrize("out, words", [("", "output path is empty"), ("somewhere/", "ends in '/'"),
                                        ("/proc/run.h5", "cannot create files next to '/proc/run.h5'"),
                                        ("x" * 250 + ".h5", "too long for the file system")])
def test_bad_output_paths_are_refused_before_anything_is_written(workdir, out, words):
    before = sorted(os.listdir(workdir))
    result, codes = run_per_rank_status(["run", *TINY, "--out", out, "--quiet"], ranks=2)
    assert codes == [2, 2], result.stderr
    assert words in result.stderr, result.stderr
    assert sorted(os.listdir(workdir)) == before


def test_a_plain_file_where_the_checkpoint_directory_goes_is_refused(workdir):
    (workdir / "r.h5.checkpoints").write_text("not a directory")
    refused(["run", *TINY, "--out", str(workdir / "r.h5")], "exists and is not a directory")
    assert not (workdir / "r.h5").exists()


def test_bench_json_that_is_not_an_array_is_kept(workdir):
    target = workdir / "results.json"
    target.write_text('[{"config": "half a record"')
    refused(["bench", *TINY, "--steps", "1", "--warmup", "0", "--numpy-reference", "none", "--json", str(target)],
            "is not a JSON array")
    assert target.read_text() == '[{"config": "half a record"'
    run(["bench", *TINY, "--steps", "1", "--warmup", "0", "--numpy-reference", "none", "--json", str(target), "--force"])
    assert len(json.loads(target.read_text())) == 1
    run(["bench", *TINY, "--steps", "1", "--warmup", "0", "--numpy-reference", "none", "--json", str(target)])
    assert len(json.loads(target.read_text())) == 2


@pytest.mark.parametrize("how", [["--until", "4"], ["--steps", "0"], []])
def test_resume_with_nothing_to_do_leaves_the_file_and_its_analysis(workdir, how):
    out = workdir / "done.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"])
    run(["analyze", str(out)])
    before = out.read_bytes()
    result = run(["resume", str(out), *how])
    assert "nothing to do" in result.stdout
    assert out.read_bytes() == before
    with h5py.File(out, "r") as f:
        assert "analysis" in f


def test_boundary_steps_without_a_checkpoint_are_refused(workdir):
    out = workdir / "b.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"])
    before = out.read_bytes()
    refused(["analyze", str(out), "--boundary-steps", "0,999"], "--boundary-steps 999")
    assert out.read_bytes() == before
    assert not [name for name in os.listdir(workdir) if name.endswith(".tmp")]


@pytest.mark.parametrize("args, words", [
    (["/"], "is a directory"),
    (["/dev/null"], "is not a regular file"),
    (["--set", "=5"], "with a key name before '='"),
    (["--set", "n=5\x01"], "control character"),
    (["--set", "n=99999999999999999999"], "n is too large for an integer"),
    (["--seeds", "0..2", "--set", "seed=5"], "both choose the seed"),
], ids=["directory", "dev-null", "empty-key", "control-character", "huge-integer", "seeds-and-seed"])
def test_messages_say_what_is_wrong(workdir, args, words):
    refused(["run", *args, "--out", str(workdir / "m.h5")], words)
    assert not (workdir / "m.h5").exists()


def test_plot_under_mpirun_writes_each_figure_once(workdir):
    out = workdir / "p.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"])
    result = run(["plot", str(out), "--out", str(workdir / "figures")], ranks=2)
    printed = result.stdout.split()
    assert printed and len(printed) == len(set(printed))


def start_slow_run(workdir, name="live.h5", ranks=2, extra=()):
    """A run that takes several seconds (a test-hook sleep after every step), started in the background."""
    import shlex
    import subprocess
    from conftest import MPIRUN
    out = workdir / name
    command = MPIRUN + ["-n", str(ranks), GROKSIM, "run", *TINY, "--set", "steps=40", *extra, "--out", str(out), "--quiet"]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", GROKSIM_TEST_SLEEP_PER_STEP="0.25")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    import time
    deadline = time.monotonic() + 60
    while not (workdir / (name + ".lock")).exists() or not out.exists():
        assert time.monotonic() < deadline and process.poll() is None, "the slow run did not start"
        time.sleep(0.05)
    return process, out


@pytest.mark.parametrize("second", ["run", "run-force", "resume", "analyze"])
def test_a_second_writer_is_refused_naming_the_holder(workdir, second):
    process, out = start_slow_run(workdir)
    try:
        args = {"run": ["run", *TINY, "--out", str(out)], "run-force": ["run", *TINY, "--out", str(out), "--force"],
                "resume": ["resume", str(out)], "analyze": ["analyze", str(out)]}[second]
        result, codes = run_per_rank_status(args, ranks=2 if second != "analyze" else 1)
        assert codes and all(code == 2 for code in codes), result.stderr
        assert "is being written by 'groksim run' (host" in result.stderr and "PID" in result.stderr, result.stderr
    finally:
        process.wait(timeout=120)
    assert process.returncode == 0, process.stderr.read()
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] in ("complete", b"complete")
    assert not (workdir / "live.h5.lock").exists()


def test_a_killed_holder_does_not_block_the_next_resume(workdir):
    import signal
    import time
    process, out = start_slow_run(workdir, ranks=1, extra=["--set", "checkpoint_every=2"])
    while not (workdir / "live.h5.checkpoints" / "step_00000002.h5").exists():
        time.sleep(0.05)
    # SIGKILL the writer itself (the PID its lock names), as an out-of-memory killer would.
    holder = int(re.search(r"pid=(\d+)", (workdir / "live.h5.lock").read_text()).group(1))
    os.kill(holder, signal.SIGKILL)
    process.wait(timeout=60)
    assert (workdir / "live.h5.lock").exists()
    run(["resume", str(out), "--quiet"], ranks=2)
    with h5py.File(out, "r") as f:
        assert f.attrs["status"] in ("complete", b"complete") and f.attrs["steps_completed"] == 40
    assert not (workdir / "live.h5.lock").exists()


def test_a_lock_from_another_host_needs_break_lock(workdir):
    out = workdir / "r.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"])
    (workdir / "r.h5.lock").write_text("host=elsewhere pid=12345 started=2026-01-01T00:00:00Z command=run\n")
    refused(["resume", str(out), "--set", "steps=6"], "is being written by 'groksim run' (host elsewhere, PID 12345")
    run(["resume", str(out), "--set", "steps=6", "--break-lock", "--quiet"])
    assert not (workdir / "r.h5.lock").exists()


def test_analyze_leaves_checkpoints_untouched_and_reads_them_while_open_elsewhere(workdir):
    import hashlib
    out = workdir / "a.h5"
    run(["run", *TINY, "--set", "checkpoint_steps=[0, 1, 2]", "--out", str(out), "--quiet"])
    directory = workdir / "a.h5.checkpoints"

    def digests():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}
    before = digests()
    with h5py.File(directory / "step_00000001.h5", "r"):
        run(["analyze", str(out)])
    assert digests() == before
    result = run(["analyze", str(out), "--force"], ranks=2)
    assert digests() == before
    assert result.stdout.count("theorem checks") == 1, "only rank 0 analyses"


def test_mv_keeps_the_checkpoints_reachable(workdir):
    out, moved = workdir / "r.h5", workdir / "final.h5"
    run(["run", *TINY, "--set", "checkpoint_steps=[0, 1]", "--out", str(out), "--quiet"])
    run(["mv", str(out), str(moved)])
    assert not out.exists() and not (workdir / "r.h5.checkpoints").exists()
    with h5py.File(moved, "r") as f:
        assert f["checkpoints"]["step_00000001"]["W"].shape[0] == 8
    run(["analyze", str(moved)])
    run(["resume", str(moved), "--set", "steps=6", "--quiet"])


def test_a_hand_made_copy_never_reads_another_runs_checkpoints(workdir):
    import shutil
    out, copy = workdir / "r.h5", workdir / "copy.h5"
    run(["run", *TINY, "--out", str(out), "--quiet"])
    shutil.copy(out, copy)
    run(["run", *TINY, "--set", "seed=9", "--out", str(out), "--force", "--quiet"])
    # The copy's links now reach the rerun's checkpoints, of another run identity: refused.
    refused(["analyze", str(copy)], "of another run")
    copied = workdir / "copy2.h5"
    run(["cp", str(out), str(copied)])
    run(["analyze", str(copied)])
    with h5py.File(copied, "r") as f, h5py.File(out, "r") as g:
        assert f.attrs["run_id"] == g.attrs["run_id"]


def test_huge_alpha_gives_no_nan_metric(workdir):
    out = workdir / "big.h5"
    result = run(["run", *TINY, "--set", "alpha=1e3", "--out", str(out), "--quiet"], check=False)
    with h5py.File(out, "r") as f:
        status = f.attrs["status"]
        ratio = f["metrics"]["point_weight_ratio"][()]
        norm = f["metrics"]["weight_norm"][()]
    import numpy as np
    assert not np.isnan(ratio).any(), ratio
    assert not np.isnan(norm).any(), norm
    assert status in ("complete", b"complete", "diverged", b"diverged"), result.stderr


def test_a_full_disk_is_one_line(workdir):
    """Defect 13: ENOSPC is reported as one line naming the file, not HDF5's report (here on a 200 KiB tmpfs)."""
    full = workdir / "full"
    full.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(full)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        result = run(["run", *TINY, "--set", "p=4000", "--set", "m=40", "--out", str(full / "r.h5"), "--quiet"], check=False)
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1, result.stderr
        assert errors[0].startswith("groksim: error: no space left on device writing ") and str(full) in errors[0]
        assert len(errors[0]) < 200
    finally:
        subprocess.run(["umount", str(full)], capture_output=True)
