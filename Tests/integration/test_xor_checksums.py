"""The model seam did not change one bit of the XOR model: every metric and checkpoint dataset of six runs
(explicit float64 and float32 on 1 and 3 ranks, reduced, weight decay, resumed across rank counts) has the
checksum recorded from commit a2afd76, before the seam existed.

Checksums depend on the BLAS kernel's rounding, so the comparison runs on the kernel family they were
recorded with (fixtures/xor_checksums.json names it)."""
import json

import pytest

from conftest import BLAS_CORE
from xor_checksums import CONFIGS, FIXTURE, produce

with open(FIXTURE) as f:
    RECORDED = json.load(f)
RECORDED_CORE = "Prescott"


@pytest.mark.skipif(BLAS_CORE != RECORDED_CORE, reason=f"checksums recorded with OpenBLAS kernel {RECORDED_CORE}, this is {BLAS_CORE}")
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_xor_datasets_unchanged(tmp_path, name):
    got = produce(name, str(tmp_path))
    assert sorted(got) == sorted(RECORDED[name])
    changed = [key for key in RECORDED[name] if got[key] != RECORDED[name][key]]
    assert not changed, f"{len(changed)} of {len(got)} datasets changed, first {changed[:3]}"
