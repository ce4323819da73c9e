"""Benchmark: the embedding model on other CPU runtimes, for speed and for theme quality.

Not a test. Compares, on the same texts in one process:

- ``torch``: sentence-transformers on PyTorch, as shipped (the reference);
- ``torch-int8``: the same with PyTorch's dynamic int8 quantization (``--model ...:int8``);
- ``onnx``: MiniLM's transformer exported as themes exports it (``themes.analysis.runtime``) and
  run by onnxruntime, mean pooling in NumPy (sentence-transformers' own ONNX backend needs
  ``optimum``, which would move transformers and huggingface-hub);
- ``onnx-int8``: that graph with onnxruntime's dynamic int8 quantization of its weights;
- ``openvino``: the exported graph compiled by OpenVINO for the CPU (what themes runs by default);
- ``openvino-int8``: the int8 graph compiled by OpenVINO.

For each: texts/s embedding real answers (best of ``--repeats``), the mean cosine between its
vectors and the reference's, and with ``--quality`` the theme agreement of ``themes evaluate``
(NMI on all answers, seeds 1-3) with it as the embedder. Needs ``onnxruntime``, which is not a
dependency of themes (``pip install onnxruntime``). Record the printed table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
PHASE2 = REPO.parent / "shared" / "data" / "fft_phase2_neas.csv"


class GraphEmbedder:
    """An Embedder over ``themes.analysis.runtime.GraphModel`` with another runtime's ``run``."""

    def __init__(self, name: str, model: Any, run: Any) -> None:
        from themes.analysis.runtime import GraphModel, model_tokenizer

        self.name, self.graph = name, GraphModel(model_tokenizer(model), run)

    @property
    def model_id(self) -> str:
        return f"all-MiniLM-L6-v2@bench-{self.name}"

    @property
    def dimension(self) -> int:
        return 384

    def embed(self, texts: list[str], progress: Any = None) -> np.ndarray:
        return self.graph.embed(texts, 64)


def onnx_runner(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return lambda inputs: session.run(["hidden"], inputs)[0]


def texts_for_speed(n: int) -> list[str]:
    from bench_pipeline import corpus

    return corpus()[0][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="real answers to embed")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--quality", action="store_true", help="also run themes evaluate")
    parser.add_argument("--backends", nargs="+", default=None)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from themes.analysis.embedding import SentenceTransformerEmbedder
    from themes.analysis.runtime import export_graph, openvino_runner

    threads = torch.get_num_threads()
    texts = texts_for_speed(args.texts)
    reference = SentenceTransformerEmbedder(runtime="torch")
    reference._load()
    st_model = reference._st
    work = Path(tempfile.mkdtemp(prefix="themes-backends-"))
    os.environ["THEMES_RUNTIME_DIR"] = str(work)
    fp32 = export_graph(st_model, "bench")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    int8 = work / "model-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    backends: dict[str, Any] = {
        "torch": reference,
        "torch-int8": SentenceTransformerEmbedder(int8=True),
        "onnx": GraphEmbedder("onnx", st_model, onnx_runner(fp32, threads)),
        "onnx-int8": GraphEmbedder("onnx-int8", st_model, onnx_runner(int8, threads)),
    }
    try:
        backends["openvino"] = GraphEmbedder("openvino", st_model, openvino_runner(fp32))
        backends["openvino-int8"] = GraphEmbedder("openvino-int8", st_model, openvino_runner(int8))
    except Exception as error:  # not installed, or the graph is refused
        print(f"openvino skipped: {error}", file=sys.stderr)
    chosen = {k: v for k, v in backends.items() if not args.backends or k in args.backends}
    print(
        f"{len(texts)} real answers (median {int(np.median([len(t) for t in texts]))} chars), "
        f"{threads} threads, torch {torch.__version__}"
    )
    base = reference.embed(texts[:50])  # load and warm
    base = reference.embed(texts)
    print("| runtime | texts/s | x torch | mean cosine to torch | lowest cosine |")
    print("|---|---|---|---|---|")
    speeds: dict[str, float] = {}
    for name, embedder in chosen.items():
        embedder.embed(texts[:50])  # load and warm
        best = float("inf")
        for _ in range(args.repeats):
            started = time.perf_counter()
            vectors = embedder.embed(texts)
            best = min(best, time.perf_counter() - started)
        speeds[name] = len(texts) / best
        cosines = (vectors * base).sum(axis=1)
        print(
            f"| {name} | {speeds[name]:.0f} | {speeds[name] / speeds.get('torch', speeds[name]):.2f} "
            f"| {cosines.mean():.4f} | {cosines.min():.4f} |",
            flush=True,
        )
    if args.quality and PHASE2.is_file():
        from themes.analysis.cache import EmbeddingCache
        from themes.evaluation.theme_quality import evaluate_themes

        cache = EmbeddingCache(work / "embeddings.sqlite")
        print("\n| runtime | phase 2 NMI all (seeds 1-3) | label fit | seed-to-seed ARI |")
        print("|---|---|---|---|")
        for name, embedder in chosen.items():
            report = evaluate_themes(
                PHASE2,
                embedder,
                text_column="text",
                label_column="labels",
                seeds=(1, 2, 3),
                baseline=False,
                cache=cache,
                reader=reference,
            )
            runs = [r for r in report.runs if r.method == "themes"]
            nmi = [r.nmi_all for r in runs]
            fit = [r.checks.label_fit for r in runs if r.checks]
            stability = report.stability.get("themes")
            print(
                f"| {name} | {min(nmi):.3f}-{max(nmi):.3f} | {min(fit):.3f}-{max(fit):.3f} "
                f"| {stability[0]:.3f} |"
                if stability
                else f"| {name} | {min(nmi):.3f}-{max(nmi):.3f} | | |",
                flush=True,
            )


if __name__ == "__main__":
    main()
