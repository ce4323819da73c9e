"""The bundled sample is generated from its answer pools, byte for byte (issue 20, item 4)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLE


def test_the_generator_rebuilds_the_bundled_sample_exactly(tmp_path: Path) -> None:
    out = tmp_path / "sample.csv"
    subprocess.run(
        [sys.executable, str(REPO / "data" / "sample" / "make_sample.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == SAMPLE.read_bytes()
