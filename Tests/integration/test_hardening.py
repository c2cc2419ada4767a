"""Defects found by trying GrokSim as a careless user would (issue "Hardening"), each reproduced here.

Every refusal is one line naming the problem, exit 2, and no file left behind."""
import json
import os

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
