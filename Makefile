# themes: the two commands a new user needs are `make app` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install app test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch is pinned in the same install so pip takes the CPU build, never a multi-GB CUDA one.
	# The ray extra is optional for users; installed here so its tests run (a local 2-CPU cluster).
	$(VENV)/bin/pip install --disable-pip-version-check -q "torch==2.13.0" -e ".[dev,ray]"
	# Compile UMAP's numba code once, into its on-disk cache, so no analysis pays it (~40 s).
	$(PY) -c "from themes.analysis.discover import warm_up; warm_up()"
	# Export the sentence model once for OpenVINO (themes.analysis.runtime; ~5 s), into the user's cache.
	$(PY) -c "from themes.analysis.embedding import SentenceTransformerEmbedder as E; print('Embedding runtime:', E().runtime_used)"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install themes with everything it needs

app: install  ## launch the app on the bundled sample survey at http://127.0.0.1:7860
	$(PY) -m app.app

test: install  ## run the whole test suite (real model included)
	$(PY) -m pytest

test-fast: install  ## the quick tests only (no real model, no full pipeline)
	$(PY) -m pytest -m "not slow and not model"

lint: install
	$(VENV)/bin/ruff check src app tests bench
	$(VENV)/bin/mypy

bench: install  ## time each stage on 1k/5k/10k responses (minutes); see bench/RESULTS.md
	$(PY) bench/bench_pipeline.py

clean:
	rm -rf $(VENV) out data/cache data/results
