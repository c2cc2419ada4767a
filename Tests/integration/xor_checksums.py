"""Checksums of every metric and checkpoint dataset of fixed XOR runs: the refactoring guard.

`python3 Tests/integration/xor_checksums.py record` (with GROKSIM_BIN and MPIRUN set as for the tests)
writes fixtures/xor_checksums.json; test_xor_checksums.py re-runs the same configs and asserts equality.
The fixture was first recorded from commit a2afd76 (before the model seam, which reproduced it exactly),
then again when the GEMMs moved to padded 64-neuron tiles."""
import hashlib
import json
import os
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from conftest import run  # noqa: E402

SMALL = ["--set", "n=20", "--set", "p=60", "--set", "m=13", "--set", "n_test=40", "--set", "steps=12",
         "--set", "alpha=1e-3", "--set", "omega=1e-3", "--set", "mu_norm=6", "--set", "checkpoint_steps=[0, 1, 5]"]
REDUCED = ["--set", "n=20", "--set", "p=1000000000000", "--set", "m=13", "--set", "n_test=40", "--set", "steps=12",
           "--set", "alpha=1e-14", "--set", "omega=1e-20", "--set", "checkpoint_steps=[0, 1, 5]",
           "--set", "representation=exact-reduced"]

# name -> (ranks, run arguments, resume: None or (first steps, resume ranks))
CONFIGS = {
    "explicit-float64-1rank": (1, SMALL, None),
    "explicit-float32-3ranks": (3, SMALL + ["--set", "precision=float32"], None),
    "explicit-float64-3ranks": (3, SMALL, None),
    "reduced-float64-2ranks": (2, REDUCED, None),
    "weight-decay-2ranks": (2, SMALL + ["--set", "weight_decay=0.5"], None),
    "resumed-1to3ranks": (1, SMALL + ["--set", "checkpoint_every=3"], (6, 3)),
}

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "xor_checksums.json")


def digest(array):
    array = np.ascontiguousarray(array)
    return f"{array.dtype.str}{list(array.shape)}:" + hashlib.sha256(array.tobytes()).hexdigest()


def checksums(path):
    """{dataset path: checksum} for /metrics/* (not wall_time), /model/*, and every checkpoint's arrays."""
    result = {}
    with h5py.File(path, "r") as f:
        for name in f["metrics"]:
            if name != "wall_time":
                result[f"metrics/{name}"] = digest(f["metrics"][name][()])
        for name in f["model"]:
            result[f"model/{name}"] = digest(f["model"][name][()])
        for step in f["checkpoints"]:
            group = f["checkpoints"][step]
            for name in group:
                if isinstance(group[name], h5py.Dataset):
                    result[f"checkpoints/{step}/{name}"] = digest(group[name][()])
    return result


def produce(name, directory):
    ranks, args, resume = CONFIGS[name]
    out = os.path.join(directory, name + ".h5")
    if resume is None:
        run(["run", *args, "--out", out, "--quiet"], ranks=ranks)
    else:
        first, again = resume
        run(["run", *args, "--set", f"steps={first}", "--out", out, "--quiet"], ranks=ranks)
        run(["resume", out, "--until", "12", "--quiet"], ranks=again)
    return checksums(out)


if __name__ == "__main__" and sys.argv[1:] == ["record"]:
    with tempfile.TemporaryDirectory() as directory:
        recorded = {name: produce(name, directory) for name in CONFIGS}
    with open(FIXTURE, "w") as f:
        json.dump(recorded, f, indent=1, sort_keys=True)
    print(f"recorded {sum(len(v) for v in recorded.values())} checksums of {len(recorded)} runs in {FIXTURE}")
