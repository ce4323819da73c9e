from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from themes import HashingEmbedder, ModelNotFoundError, available_models, make_embedder
from themes.analysis.embedding import resolve_model


def test_hashing_embedder_is_unit_length_and_stable_across_processes() -> None:
    texts = ["Long waits at A&E", "More GP appointments please"]
    here = HashingEmbedder().embed(texts)
    assert here.shape == (2, 512)
    assert np.allclose(np.linalg.norm(here, axis=1), 1.0)
    code = (
        "import numpy as np; from themes import HashingEmbedder;"
        f"print(HashingEmbedder().embed({texts!r}).sum(axis=1).round(6).tolist())"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert there.stdout.strip() == str(here.sum(axis=1).round(6).tolist())


def test_missing_model_names_it_and_says_how_to_provide_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("THEMES_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelNotFoundError) as info:
        make_embedder("all-mpnet-base-v2")
    message = str(info.value)
    assert "'all-mpnet-base-v2'" in message
    assert "never downloads" in message
    assert "models/" in message
    assert "all-MiniLM-L6-v2" in message  # lists what is installed


def test_models_folder_is_searched(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("THEMES_MODELS_DIR", str(tmp_path))
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    assert resolve_model("my-model") == folder.resolve()
    assert "my-model" in available_models()


def test_packaged_model_resolves_without_loading() -> None:
    embedder = make_embedder("all-MiniLM-L6-v2")
    assert embedder.model_id.startswith("all-MiniLM-L6-v2@")
    assert make_embedder("sentence-transformers/all-MiniLM-L6-v2").model_id == embedder.model_id
    fast = make_embedder("all-MiniLM-L6-v2:int8")
    assert fast.model_id.startswith("all-MiniLM-L6-v2:int8@")
