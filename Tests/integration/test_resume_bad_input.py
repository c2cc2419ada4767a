"""Bad input to `groksim resume`: one clear line, the same non-zero exit on every rank, no hang, and every
existing file (run file, checkpoints) left byte-identical, with no file added or removed."""
import shutil

import h5py
import numpy as np
import pytest

from conftest import run, run_per_rank_status
from test_bad_input import NOISE

BASE = ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "alpha=1e-3",
        "--set", "omega=1e-3", "--set", "mu_norm=6"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """A run with a single checkpoint (step 3), one of another seed, and one with m = 1."""
    root = tmp_path_factory.mktemp("resume-bad")
    run(["run", *BASE, "--set", "steps=3", "--set", "checkpoint_steps=[]", "--out", str(root / "run.h5"), "--quiet"], ranks=2)
    run(["run", *BASE, "--set", "steps=3", "--set", "checkpoint_steps=[]", "--set", "seed=7",
         "--out", str(root / "other.h5"), "--quiet"], ranks=1)
    run(["run", *BASE, "--set", "steps=2", "--set", "m=1", "--set", "checkpoint_steps=[]", "--out", str(root / "narrow.h5"), "--quiet"])
    return root


def checkpoint(d):
    return d / "run.h5.checkpoints" / "step_00000003.h5"


def truncate(path, keep=1 / 3):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def edit_checkpoint(body):
    def mutate(d):
        with h5py.File(checkpoint(d), "a") as f:
            body(f)
    return mutate


def replace_w(f, array):
    del f["W"]
    f["W"] = array


def foreign(path):
    path.unlink()
    with h5py.File(path, "w") as f:
        f["x"] = [1, 2, 3]


def rewrite_config(d, old, new):
    with h5py.File(d / "run.h5", "a") as f:
        text = f.attrs["config"]
        text = text.decode() if isinstance(text, bytes) else text
        f.attrs["config"] = text.replace(old, new)


def other_checkpoint(d):
    shutil.copyfile(d / "other.h5.checkpoints" / "step_00000003.h5", checkpoint(d))


def tamper_a(f):
    a = f["a"][()]
    a[0] = -a[0]
    f["a"][...] = a


NONE = lambda d: None  # noqa: E731

CASES = [
    # (id, prepare the copy of the sources, resume arguments after the run path, ranks, expected words)
    ("missing-run", NONE, ["--run", "nope.h5"], 2, "run file 'RUN' does not exist"),
    ("run-is-directory", lambda d: (d / "dir.h5").mkdir(), ["--run", "dir.h5"], 2, "is a directory"),
    ("run-not-hdf5", lambda d: (d / "run.h5").write_text("not HDF5\n"), [], 2, "not an HDF5 file"),
    ("run-truncated", lambda d: truncate(d / "run.h5"), [], 2, "RUN"),
    ("run-empty", lambda d: (d / "run.h5").write_bytes(b""), [], 2, "RUN"),
    ("run-foreign-hdf5", lambda d: foreign(d / "run.h5"), [], 2, "not a GrokSim run file"),
    ("run-newer-format", lambda d: h5py.File(d / "run.h5", "a").attrs.__setitem__("format_version", 99), [], 2, "format version 99"),
    ("run-without-config", lambda d: h5py.File(d / "run.h5", "a").attrs.__delitem__("config"), [], 2, "has no config attribute"),
    ("run-config-garbled", lambda d: rewrite_config(d, "n = 20", "n = twenty"), [], 2, "unreadable config"),
    ("run-config-differs", lambda d: rewrite_config(d, "seed = 0", "seed = 5"), [], 2, "different experiment: seed"),
    ("no-checkpoint-directory", lambda d: shutil.rmtree(d / "run.h5.checkpoints"), [], 2, "no checkpoint directory"),
    ("empty-checkpoint-directory", lambda d: checkpoint(d).unlink(), [], 2, "no checkpoint files"),
    ("checkpoint-truncated", lambda d: truncate(checkpoint(d)), [], 2, "step_00000003.h5' cannot be opened"),
    ("checkpoint-half-written", lambda d: truncate(checkpoint(d), 0.9), [], 2, "step_00000003.h5'"),
    ("checkpoint-not-hdf5", lambda d: checkpoint(d).write_text("junk"), [], 2, "not an HDF5 file"),
    ("checkpoint-foreign-hdf5", lambda d: foreign(checkpoint(d)), [], 2, "is not a GrokSim checkpoint"),
    ("checkpoint-newer-format", edit_checkpoint(lambda f: f.attrs.__setitem__("format_version", 2)), [], 2,
     "checkpoint format version 2; this groksim reads versions 1 to 1"),
    ("checkpoint-incomplete", edit_checkpoint(lambda f: f.attrs.__delitem__("complete")), [], 2, "is incomplete"),
    ("checkpoint-wrong-step", edit_checkpoint(lambda f: f.attrs.__setitem__("step", 4)), [], 2, "holds step 4 but is named for step 3"),
    ("checkpoint-w-shape", edit_checkpoint(lambda f: replace_w(f, np.zeros((13, 59)))), [], 2, "W of shape 13 x 59 but its config says 13 x 60"),
    ("checkpoint-w-type", edit_checkpoint(lambda f: replace_w(f, np.zeros((13, 60), np.float32))), [], 2, "precision = float64"),
    ("checkpoint-w-missing", edit_checkpoint(lambda f: f.__delitem__("W")), [], 2, "has no parameter array 'W'"),
    ("checkpoint-a-tampered", edit_checkpoint(tamper_a), [], 2, "fixed array a that differs from the one its seed generates"),
    ("checkpoint-of-other-run", other_checkpoint, [], 2, "belongs to a different experiment: seed is 7"),
    ("checkpoint-metrics-missing", edit_checkpoint(lambda f: f["metrics"].__delitem__("test_loss")), [], 2, "is damaged"),
    ("set-alpha", NONE, ["--set", "alpha=1e-4"], 2, "--set alpha cannot change when resuming"),
    ("set-seed", NONE, ["--set", "seed=1"], 2, "--set seed cannot change when resuming"),
    ("set-precision", NONE, ["--set", "precision=float32"], 2, "--set precision cannot change"),
    ("set-m", NONE, ["--set", "m=20"], 2, "--set m cannot change"),
    ("set-unknown-key", NONE, ["--set", "learnng_rate=1"], 2, "unknown key 'learnng_rate'"),
    ("set-bad-future-value", NONE, ["--set", "checkpoint_every=-1"], 2, "checkpoint_every must be an integer >= 0"),
    ("until-before-checkpoint", NONE, ["--until", "2"], 2, "latest usable checkpoint is at step 3"),
    ("steps-and-set-steps", NONE, ["--steps", "2", "--set", "steps=9"], 2, "give the end of the run once"),
    ("steps-and-until", NONE, ["--steps", "2", "--until", "9"], 2, "either --steps or --until"),
    ("more-ranks-than-neurons", NONE, ["--run", "narrow.h5"], 2, "more ranks (2) than neurons (m = 1)"),
]


def snapshot(directory):
    return {str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else None) for p in sorted(directory.rglob("*"))}


@pytest.mark.parametrize("case_id, prepare, extra, ranks, expected", CASES, ids=[c[0] for c in CASES])
def test_resume_bad_input(sources, tmp_path, case_id, prepare, extra, ranks, expected):
    d = tmp_path / "copy"
    shutil.copytree(sources, d)
    prepare(d)
    target = d / "run.h5"
    if "--run" in extra:
        target = d / extra[extra.index("--run") + 1]
        extra = []
    before = snapshot(d)
    result, codes = run_per_rank_status(["resume", str(target), *extra, "--quiet"], ranks=ranks)
    assert len(codes) == ranks and codes == [codes[0]] * ranks and codes[0] != 0, (codes, result.stderr)
    messages = [line for line in result.stderr.splitlines() if line.startswith("groksim: error:") or line.startswith("Error:")]
    assert len(messages) == 1, result.stderr
    assert expected.replace("RUN", str(target)) in messages[0], messages[0]
    for word in NOISE:
        assert word not in result.stderr
    assert "warning" not in result.stderr
    assert snapshot(d) == before, "resume changed files although it failed"
