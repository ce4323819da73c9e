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
from themes.analysis import runtime
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


def test_a_gpu_is_used_only_where_pytorch_sees_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``auto`` asks PyTorch only where an NVIDIA driver is loaded; ``cuda`` without a GPU PyTorch
    can use is an error that says what to do, raised before any model is loaded."""
    monkeypatch.setattr(runtime, "_NVIDIA_DEVICE", tmp_path / "nvidiactl")
    monkeypatch.setitem(sys.modules, "torch", None)  # importing PyTorch here would fail
    assert [runtime.embedding_device(r) for r in ("auto", "openvino", "torch")] == ["cpu"] * 3
    monkeypatch.undo()
    import torch

    monkeypatch.setattr(runtime, "_NVIDIA_DEVICE", tmp_path / "nvidiactl")
    (tmp_path / "nvidiactl").touch()  # a driver, but a CPU build of PyTorch
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert runtime.embedding_device("auto") == "cpu"
    with pytest.raises(ConfigError, match="sees no CUDA GPU.*unset THEMES_EMBEDDING_RUNTIME"):
        runtime.embedding_device("cuda")
    with pytest.raises(ConfigError, match="sees no CUDA GPU"):
        SentenceTransformerEmbedder(runtime="cuda").embed(["An answer."])
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert runtime.embedding_device("auto") == runtime.embedding_device("cuda") == "cuda"
    assert runtime.embedding_device("torch") == "cpu"


def test_on_a_gpu_the_model_loads_there_in_larger_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the runtime picks the GPU, sentence-transformers is asked for it, batches grow to
    CUDA_BATCH, OpenVINO is never tried, and the run reports 'cuda' in its provenance."""
    import sentence_transformers

    loaded: list[str] = []

    class FakeModel:
        def __init__(self, path: str, device: str, local_files_only: bool) -> None:
            loaded.append(device)

        def get_embedding_dimension(self) -> int:
            return 3

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", FakeModel)
    monkeypatch.setattr(runtime, "embedding_device", lambda chosen: "cuda")
    monkeypatch.setattr(runtime, "exported_model", lambda *a: pytest.fail("OpenVINO tried"))
    embedder = SentenceTransformerEmbedder()
    assert embedder.runtime_used == "cuda" and loaded == ["cuda"]
    assert embedder.batch_size == runtime.CUDA_BATCH
    assert SentenceTransformerEmbedder(device="cpu", runtime="torch").device == "cpu"


def test_graphs_are_kept_apart_from_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    assert runtime_dir() == tmp_path / "graphs"
    monkeypatch.delenv("THEMES_RUNTIME_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert runtime_dir() == tmp_path / "xdg" / "themes" / "runtime-models"


def test_a_tuned_models_graph_is_kept_with_it_in_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    tuned = (
        tmp_path / "cache" / "tuned-models" / "all-MiniLM-L6-v2+strategy-abc"
    )  # conftest's cache
    assert runtime.graph_root(tuned) == tmp_path / "cache" / "runtime-models"
    assert runtime.graph_root(REPO / "models") == tmp_path / "graphs"


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
    # 32-bit floats, as PyTorch: in bfloat16 (OpenVINO's default on AVX-512 BF16) about 0.99998
    assert (found * expected).sum(axis=1).min() > 0.999999
    graphs = list((tmp_path / "graphs").rglob("model.onnx"))
    assert len(graphs) == 1
    stamp = graphs[0].stat().st_mtime_ns
    again = SentenceTransformerEmbedder(runtime="openvino")
    assert again.runtime_used == "openvino" and graphs[0].stat().st_mtime_ns == stamp
    assert SentenceTransformerEmbedder(int8=True).runtime_used == "torch"


STORY = (
    "the ambulance never came and I waited for hours in pain on the floor until my neighbour rang "
    "again they were kind when they came and the crew took me to hospital where the nurse was "
    "lovely"
).split()


@pytest.mark.model
@pytest.mark.skipif(not openvino_installed(), reason="OpenVINO is not installed")
def test_an_answers_vector_does_not_depend_on_the_answers_embedded_with_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Padded to a longer answer in its batch, a long answer's vector moved (by up to 4e-4), so
    a cache filled by one analysis gave another different themes."""
    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    model = SentenceTransformerEmbedder(runtime="openvino")
    for words in (82, 89, 103, 117):
        answer = " ".join((STORY * 5)[:words])
        alone = model.embed([answer])[0]
        for longer in (17, 90):
            companion = " ".join((STORY * 8)[: words + longer])
            assert np.array_equal(model.embed([companion, answer, "Short."])[1], alone)


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


HOSTILE = [
    *TEXTS,
    "  leading and trailing  ",
    "\u200b\u200bzero width",
    "ＡＢＣ full width ﬁ",
    "<script>alert(1)</script> =SUM(A1)",
    "a\tb\nc\r\nd \x00\x01",
    "中文 字符 emoji 😀👍🏽",
    "word " * 600,
    "x" * 3000,
]


@pytest.mark.model
def test_the_folder_tokenizer_gives_the_models_own_token_ids() -> None:
    from themes.analysis.runtime import folder_tokenizer, model_tokenizer

    model = SentenceTransformerEmbedder(runtime="torch")
    model._load()
    light = folder_tokenizer(model.path)
    assert light is not None and light[1] == 384
    for start in range(0, len(HOSTILE), 5):  # padded to the batch's longest, as the model does
        batch = HOSTILE[start : start + 5]
        expected, found = model_tokenizer(model._st)(batch), light[0](batch)
        assert sorted(found) == sorted(expected)
        for name, ids in expected.items():
            assert found[name].dtype == np.int64 and np.array_equal(found[name], ids), name
    assert light[0](["word " * 600])["input_ids"].shape == (1, 256)  # max_seq_length


def test_only_folders_it_reproduces_get_the_folder_tokenizer(tmp_path: Path) -> None:
    import json
    import shutil

    from themes.analysis.runtime import folder_tokenizer

    source = SentenceTransformerEmbedder().path

    def folder(name: str, edit: str = "", change: dict | None = None) -> Path:
        target = tmp_path / name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
        if edit:
            data = json.loads((target / edit).read_text())
            data.update(change or {})
            (target / edit).write_text(json.dumps(data))
        return target

    assert folder_tokenizer(folder("as-shipped")) is not None
    pooling = "1_Pooling/config.json"
    cls = {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}
    assert folder_tokenizer(folder("cls", pooling, cls)) is None
    both = {"pooling_mode_max_tokens": True}
    assert folder_tokenizer(folder("mean-and-max", pooling, both)) is None
    lower = {"do_lower_case": True}
    assert folder_tokenizer(folder("lower", "sentence_bert_config.json", lower)) is None
    prompt = {"default_prompt_name": "query", "prompts": {"query": "query: "}}
    assert folder_tokenizer(folder("prompt", "config_sentence_transformers.json", prompt)) is None
    no_length = folder("no-length")
    (no_length / "sentence_bert_config.json").write_text("{}")
    assert folder_tokenizer(no_length) is None
    dense = folder("dense")
    modules = json.loads((dense / "modules.json").read_text())
    modules.append({"idx": 3, "name": "3", "path": "3_Dense", "type": "x.Dense"})
    (dense / "modules.json").write_text(json.dumps(modules))
    assert folder_tokenizer(dense) is None
    (no_tokenizer := folder("no-tokenizer")).joinpath("tokenizer.json").unlink()
    assert folder_tokenizer(no_tokenizer) is None


LIGHT = """
import sys
from themes.analysis.embedding import SentenceTransformerEmbedder
embedder = SentenceTransformerEmbedder()
vectors = embedder.embed(["The nurse was lovely.", "Parking was awful."])
assert embedder.runtime_loaded == "openvino", embedder.runtime_loaded
loaded = sorted({"torch", "sentence_transformers", "transformers"} & set(sys.modules))
assert not loaded, loaded
print(",".join(f"{x:.6f}" for x in vectors.ravel()))
"""


@pytest.mark.model
@pytest.mark.skipif(not openvino_installed(), reason="OpenVINO is not installed")
def test_an_exported_model_embeds_without_pytorch(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Once its graph is exported, a new process embeds without importing sentence-transformers
    or PyTorch (about 5 s saved on every cold analysis), and gets the same vectors."""
    import os

    monkeypatch.setenv("THEMES_RUNTIME_DIR", str(tmp_path / "graphs"))
    first = SentenceTransformerEmbedder(runtime="torch")
    expected = first.embed(["The nurse was lovely.", "Parking was awful."])
    assert SentenceTransformerEmbedder().runtime_used == "openvino"  # exports the graph
    env = dict(os.environ)
    run = subprocess.run(
        [sys.executable, "-c", LIGHT], capture_output=True, text=True, cwd=REPO, env=env,
        timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    found = np.array([float(x) for x in run.stdout.strip().split(",")]).reshape(2, 384)
    assert (found * expected).sum(axis=1).min() > 0.9999
