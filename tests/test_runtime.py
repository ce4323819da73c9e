"""The sentence model on OpenVINO: the same vectors as PyTorch, the graph exported once, and
PyTorch whenever OpenVINO cannot run a model the same way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from tests.conftest import REPO
from themes.analysis.embedding import SentenceTransformerEmbedder
from themes.analysis.runtime import chosen_runtime, openvino_installed, runtime_dir, why_not
from themes.core.errors import ConfigError

TEXTS = [
    "The nurse was lovely and explained everything.",
    "Parking at the hospital is impossible and far too expensive for visitors.",
    "ok",
    "Waited three hours in A&E with my daughter, nobody told us anything at all, and when we "
    "finally saw a doctor she was brilliant. " * 3,
    "",
    "Réception très bien £5 — 👍",
]


def test_the_runtime_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("THEMES_EMBEDDING_RUNTIME", raising=False)
    assert chosen_runtime() == "auto"
    monkeypatch.setenv("THEMES_EMBEDDING_RUNTIME", " Torch ")
    assert chosen_runtime() == "torch"
    monkeypatch.setenv("THEMES_EMBEDDING_RUNTIME", "tensorrt")
    with pytest.raises(ConfigError, match="auto, openvino, torch"):
        chosen_runtime()


def test_graphs_are_kept_apart_from_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    assert runtime_dir() == tmp_path / "graphs"
    monkeypatch.delenv("THEMES_RUNTIME_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert runtime_dir() == tmp_path / "xdg" / "themes" / "runtime-models"


def test_only_mean_pooled_models_run_on_openvino() -> None:
    def named(name: str, **attributes: object) -> object:
        return type(name, (), attributes)()

    transformer = named("Transformer", auto_model=object())
    assert why_not([transformer, named("Pooling", pooling_mode="mean")]) == ""
    assert why_not([transformer, named("Pooling", pooling_mode="mean"), named("Normalize")]) == ""
    assert "cls" in why_not([transformer, named("Pooling", pooling_mode="cls")])
    assert "Dense" in why_not([transformer, named("Pooling", pooling_mode="mean"), named("Dense")])
    assert why_not([SimpleNamespace(), named("Pooling", pooling_mode="mean")])


@pytest.mark.model
@pytest.mark.skipif(not openvino_installed(), reason="OpenVINO is not installed")
def test_openvino_gives_the_vectors_pytorch_gives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    torch_model = SentenceTransformerEmbedder(runtime="torch")
    openvino = SentenceTransformerEmbedder(runtime="openvino", batch_size=4)
    assert (torch_model.runtime_used, openvino.runtime_used) == ("torch", "openvino")
    assert openvino.model_id == torch_model.model_id  # same vectors, same cache
    expected, found = torch_model.embed(TEXTS), openvino.embed(TEXTS)
    assert found.shape == expected.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5)
    assert (found * expected).sum(axis=1).min() > 0.9999
    graphs = list((tmp_path / "graphs").rglob("model.onnx"))
    assert len(graphs) == 1
    stamp = graphs[0].stat().st_mtime_ns
    again = SentenceTransformerEmbedder(runtime="openvino")
    assert again.runtime_used == "openvino" and graphs[0].stat().st_mtime_ns == stamp
    assert SentenceTransformerEmbedder(int8=True).runtime_used == "torch"


WATCH = """
import socket, sys, time
def refuse(*args, **kwargs):  # also in a sender process forked from this one
    with open(sys.argv[2], "a") as log:
        log.write(repr(args)[:80] + "\\n")
    raise OSError("no network in this test")
socket.getaddrinfo = refuse
socket.socket.connect = refuse
socket.create_connection = refuse
from themes.analysis.runtime import import_openvino
import_openvino()
import os, openvino_telemetry
assert os.environ.get("CI") == sys.argv[1], "CI restored"
assert not openvino_telemetry.Telemetry().consent
time.sleep(1)  # its sender works in the background
"""


@pytest.mark.skipif(not openvino_installed(), reason="OpenVINO is not installed")
@pytest.mark.parametrize("ci", ["", "false"])
def test_openvino_is_imported_with_its_telemetry_declined(ci: str, tmp_path: Path) -> None:
    """A plain 'import openvino' reports the import to Google Analytics; ours never connects,
    whatever the machine's CI variable says, and leaves that variable as it was."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CI": ci}
    run = subprocess.run(
        [sys.executable, "-c", WATCH, ci, str(tmp_path / "tried.log")],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert not (tmp_path / "tried.log").exists(), (tmp_path / "tried.log").read_text()
    assert not (tmp_path / "intel").exists()  # the user's own opt-in setting is not touched
