"""Benchmark: the embedding model and the nearest-neighbour graph on an NVIDIA GPU.

Not a test. Run by hand on a machine with a CUDA build of PyTorch and record the printed table in
bench/RESULTS.md (issue 21, item 4). It measures, in one process:

- embedding throughput (answers per second) on the GPU in 32- and 16-bit floats at several batch
  sizes (first size only), warm (the model loaded, its kernels compiled), and on this machine's CPU with PyTorch
  for the same answers;
- how far the GPU's vectors are from the CPU's (cosine) on the first 2,000 real answers;
- ``SentenceTransformerEmbedder`` with ``THEMES_EMBEDDING_RUNTIME=cuda``, as an analysis uses it;
- the exact cosine k-nearest-neighbour graph on the GPU (blocks of a matrix product, then the
  top k) against the CPU's (scikit-learn, as ``themes.analysis.reduction`` runs it below 50,000
  answers; NN-descent above);
- whether RAPIDS cuML (GPU UMAP and HDBSCAN) can be imported.

Every figure is printed as soon as it is measured, so a run stopped by a time limit still
reports what it finished. Input: a JSON list of texts (``--corpus``), else the corpus ``bench_pipeline.py`` uses; sizes
beyond it are filled the same way (answers recombined from real sentences).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import corpus, recombined  # noqa: E402

NEIGHBOURS = 15


def rate(encode, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Answers per second for ``encode(texts)``, the device drained before the clock stops."""
    import torch

    torch.cuda.synchronize()
    start = time.perf_counter()
    encode(texts)
    torch.cuda.synchronize()
    return len(texts) / (time.perf_counter() - start)


def gpu_neighbours(vectors: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    """The analysis's own GPU neighbour graph (``reduction._matrix_neighbours``): (indices,
    seconds, the copies to and from the GPU included)."""
    import torch

    from themes.analysis.reduction import _matrix_neighbours

    torch.cuda.synchronize()
    start = time.perf_counter()
    indices, _ = _matrix_neighbours(vectors, k, "cuda")
    return indices, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a JSON list of texts")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--batches", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--cpu-answers", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    import torch
    from sentence_transformers import SentenceTransformer

    from themes.analysis.embedding import SentenceTransformerEmbedder, resolve_model

    if not torch.cuda.is_available():
        raise SystemExit(
            f"bench_gpu.py needs an NVIDIA GPU and a CUDA build of PyTorch; PyTorch "
            f"{torch.__version__} sees none here."
        )

    texts = corpus(args.corpus)[0]
    record: dict = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}
    record["cpu_cores"] = os.cpu_count()
    path = str(resolve_model("all-MiniLM-L6-v2"))
    sample = texts[: args.cpu_answers]
    cpu = SentenceTransformer(path, device="cpu")
    start = time.perf_counter()
    reference = cpu.encode(sample, batch_size=64, normalize_embeddings=True)
    record["cpu_torch_per_s"] = len(sample) / (time.perf_counter() - start)
    full = SentenceTransformer(path, device="cuda")
    half = SentenceTransformer(path, device="cuda").half()
    record["cosine_to_cpu"] = {}
    for name, model in (("fp32", full), ("fp16", half)):
        vectors = model.encode(sample, batch_size=256, normalize_embeddings=True)
        cosine = (np.asarray(vectors, dtype=np.float32) * reference).sum(axis=1)
        record["cosine_to_cpu"][name] = {"min": float(cosine.min()), "mean": float(cosine.mean())}
        print(f"cosine to the CPU's vectors, {name}: {record['cosine_to_cpu'][name]}", flush=True)
    record["throughput"] = []
    for size in args.sizes:
        answers = texts[:size] if size <= len(texts) else recombined(texts, size)
        row: dict = {"answers": size, "mean_chars": float(np.mean([len(t) for t in answers]))}
        for name, model in (("fp32", full), ("fp16", half)):
            for batch in args.batches if size == args.sizes[0] else ():
                model.encode(answers[:2048], batch_size=batch)  # warm: kernels for these shapes

                def encode(chunk: list[str], m=model, b=batch) -> object:  # type: ignore[no-untyped-def]
                    return m.encode(chunk, batch_size=b, normalize_embeddings=True)

                row[f"{name}_b{batch}"] = rate(encode, answers)
                print(
                    f"{size} answers, {name}, batch {batch}: {row[f'{name}_b{batch}']:.0f}/s",
                    flush=True,
                )
        embedder = SentenceTransformerEmbedder(runtime="cuda")
        embedder.embed(answers[:2048])
        row["themes_embedder"] = rate(embedder.embed, answers)
        print(
            f"{size} answers, SentenceTransformerEmbedder: {row['themes_embedder']:.0f}/s",
            flush=True,
        )
        row["themes_embedder_batch"] = embedder.batch_size
        vectors = embedder.embed(answers)
        indices, row["knn_gpu_s"] = gpu_neighbours(vectors, NEIGHBOURS)
        gpu_neighbours(vectors[:1000], NEIGHBOURS)  # nothing left to compile
        _, row["knn_gpu_s"] = gpu_neighbours(vectors, NEIGHBOURS)
        print(f"{size} answers, kNN on the GPU: {row['knn_gpu_s']:.3f} s", flush=True)
        if size <= 50_000:
            from themes.analysis.reduction import _nearest_neighbours

            start = time.perf_counter()
            exact, _ = _nearest_neighbours(vectors, NEIGHBOURS)
            row["knn_cpu_s"] = time.perf_counter() - start
            shared = [len(set(a) & set(b)) for a, b in zip(indices, exact, strict=True)]
            row["knn_shared_of_15"] = float(np.mean(shared))
        record["throughput"].append(row)
        print(json.dumps(row), flush=True)
    try:
        import cuml  # noqa: F401

        record["cuml"] = "importable"
    except ImportError as error:
        record["cuml"] = f"not importable: {error}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench-gpu.json").write_text(json.dumps(record, indent=1))
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
