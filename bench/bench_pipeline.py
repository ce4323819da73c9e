"""Benchmark: time each stage and peak memory for 1k / 5k / 10k responses, cold and warm,
beside plain BERTopic (library defaults) on the same input in the same run.

Not a test. Run by hand (``make bench`` or ``python bench/bench_pipeline.py --sizes 1000 5000``)
and record the printed table in bench/RESULTS.md. Every measurement runs in a fresh process, so
import and numba compilation costs are counted as a user pays them.

Input: the real NHS comments in ../shared/data/fft_phase1.csv and fft_phase2_neas.csv when present
(distinct texts, in file order: 1k and 5k come from phase 1 alone), else
the bundled sample survey's three questions (which limits the sizes to what is there).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = [
    REPO.parent / "shared" / "data" / name for name in ("fft_phase1.csv", "fft_phase2_neas.csv")
]
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"


def corpus() -> tuple[list[str], str]:
    """Distinct, non-empty texts to benchmark on, and where they came from."""
    import pandas as pd

    if all(path.is_file() for path in SHARED):
        texts = [
            t
            for path in SHARED
            for t in pd.read_csv(path, keep_default_na=False, dtype=str)["text"]
        ]
        source = "fft_phase1.csv then fft_phase2_neas.csv (real NHS comments)"
    else:
        frame = pd.read_csv(SAMPLE, keep_default_na=False, dtype=str)
        texts = [t for c in frame.columns[5:8] for t in frame[c].tolist()]
        source = "bundled sample survey"
    seen = dict.fromkeys(t.strip() for t in texts if len(t.strip()) > 3)
    return list(seen), source


WORKER = r"""
import json, resource, sys, time
t0 = time.perf_counter()
mode, texts_file, cache_dir = sys.argv[1], sys.argv[2], sys.argv[3]
texts = json.loads(open(texts_file, encoding="utf-8").read())
out = {}
if mode == "plain":
    import numpy as np
    from bertopic import BERTopic
    out["import"] = time.perf_counter() - t0
    from themes import EmbeddingCache, SentenceTransformerEmbedder
    from themes.cache import embed_texts
    emb, _ = embed_texts(texts, SentenceTransformerEmbedder(), EmbeddingCache(cache_dir + "/embeddings.sqlite"))
    from umap import UMAP
    t = time.perf_counter()
    model = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42))
    topics, _ = model.fit_transform(texts, embeddings=emb)
    out["fit"] = time.perf_counter() - t
    out["themes"] = len(set(topics) - {-1})
    out["outliers"] = sum(1 for x in topics if x == -1) / len(topics)
else:
    import themes
    from themes import EmbeddingCache, Response, Responses, SentenceTransformerEmbedder, analyse_responses
    import bertopic, umap, sentence_transformers
    out["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    embedder.embed(["warm up"])
    out["model_load"] = time.perf_counter() - t
    responses = Responses("q", tuple(Response(i + 1, str(i + 1), x) for i, x in enumerate(texts)))
    t = time.perf_counter()
    result = analyse_responses(responses, embedder=embedder, cache=EmbeddingCache(cache_dir + "/embeddings.sqlite"))
    out["analyse"] = time.perf_counter() - t
    out["embed"] = result.provenance["timings"]["embed"]
    for k, v in result.provenance["discovery"]["timings"].items():
        out["discover_" + k] = v
    out["discover"] = result.provenance["timings"]["discover"]
    out["themes"] = len(result.themes)
    c = result.counts()
    out["outliers"] = c["outlier"] / max(1, c["themed"] + c["outlier"])
    out["reassigned"] = result.provenance["discovery"]["reassigned"]
out["total"] = time.perf_counter() - t0
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps(out))
"""


def run_worker(mode: str, texts_file: Path, cache_dir: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, mode, str(texts_file), str(cache_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{mode} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    texts, source = corpus()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        if size > len(texts):
            print(f"skip {size}: only {len(texts)} distinct texts available", file=sys.stderr)
            continue
        subset = texts[:size]
        with tempfile.TemporaryDirectory() as tmp:
            texts_file = Path(tmp) / "texts.json"
            texts_file.write_text(json.dumps(subset), encoding="utf-8")
            cache = Path(tmp) / "cache"
            cold = run_worker("themes", texts_file, cache)  # empty cache: embeds everything
            warm = run_worker("themes", texts_file, cache)  # new process, embeddings cached
            plain = run_worker("plain", texts_file, cache)  # same embeddings, library defaults
        rows.append({"size": size, "cold": cold, "warm": warm, "plain": plain})
        print(
            f"{size}: cold {cold['total']:.1f}s warm {warm['total']:.1f}s plain fit {plain['fit']:.1f}s",
            file=sys.stderr,
        )
    stamp = time.strftime("%Y-%m-%d")
    record = {"date": stamp, "source": source, "machine": machine(), "rows": rows}
    (args.out / f"bench-{stamp}.json").write_text(json.dumps(record, indent=1))
    print(markdown(record))


def machine() -> str:
    import os

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def markdown(record: dict) -> str:
    head = (
        f"Source: {record['source']}. Machine: {record['machine']}. Date: {record['date']}.\n\n"
        "| responses | run | import s | model load s | embed s | knn s | reduce+keywords s | cluster s "
        "| label s | total s | peak RSS MB | themes | unassigned | reassigned |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for row in record["rows"]:
        for run in ("cold", "warm"):
            r = row[run]
            lines.append(
                f"| {row['size']} | themes {run} | {r['import']:.1f} | {r['model_load']:.1f} | {r['embed']:.1f} "
                f"| {r['discover_knn']:.1f} | {r['discover_reduce_and_keywords']:.1f} "
                f"| {r['discover_cluster']:.1f} | {r['discover_label']:.1f} "
                f"| {r['total']:.1f} | {r['peak_rss_mb']:.0f} | {r['themes']} | {r['outliers']:.1%} "
                f"| {r['reassigned']} |"
            )
        p = row["plain"]
        lines.append(
            f"| {row['size']} | plain BERTopic (fit on cached embeddings) | {p['import']:.1f} | | | | "
            f"{p['fit']:.1f} (fit) | | | {p['total']:.1f} | {p['peak_rss_mb']:.0f} | {p['themes']} "
            f"| {p['outliers']:.1%} | |"
        )
    return head + "\n".join(lines)


if __name__ == "__main__":
    main()
