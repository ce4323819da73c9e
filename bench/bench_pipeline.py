"""Benchmark: time each stage and peak memory from 1k to 50k responses, beside plain BERTopic
(library defaults) on the same input in the same run.

Not a test. Run by hand (``make bench`` or ``python bench/bench_pipeline.py --sizes 1000 5000``)
and record the printed table in bench/RESULTS.md. Every measurement runs in a fresh process, so
import and compilation costs are counted as a user pays them. Runs, in this order, per size:

- ``first``: nothing cached: embeds everything and compiles UMAP's numba code (first use on a machine);
- ``new``: a new survey on a machine that has run one before: compiled code cached, nothing embedded;
- ``rerun``: the same responses again: embeddings and the reduction cached;
- ``plain``: plain BERTopic fitted on the cached embeddings (its time excludes embedding);
- ``embed``: the answers alone embedded on PyTorch (sentence-transformers as shipped), the
  yardstick issue 21's targets are set against;
- ``plain-full``: plain BERTopic as a user runs it, embedding the answers itself on PyTorch.
- ``embed-here``: the answers alone embedded in this process on the default runtime (every core);
- ``embed-ray1``, ``embed-ray2``: the answers alone embedded on a local Ray cluster by 1 or 2
  model workers of one CPU each (``--engine ray``), actor start-up included;
- ``ray1``, ``ray2``: the whole analysis (``new``, nothing embedded) with embedding on Ray.

The themes runs embed on the default runtime (OpenVINO when installed: ``themes.analysis.runtime``).

Input: the real NHS comments in ../shared/data/fft_phase1.csv and fft_phase2_neas.csv when present
(distinct texts, in file order: 1k and 5k come from phase 1 alone), else the bundled sample
survey's three questions. Sizes beyond the distinct real texts are filled with answers recombined
from real sentences, drawn so that sentences per answer follow the real answers' distribution.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = (
    "first",
    "new",
    "rerun",
    "plain",
    "embed",
    "plain-full",
    "embed-here",
    "embed-ray1",
    "embed-ray2",
    "ray1",
    "ray2",
)
SHARED = [
    REPO.parent / "shared" / "data" / name for name in ("fft_phase1.csv", "fft_phase2_neas.csv")
]
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"


def corpus(texts_file: Path | None = None) -> tuple[list[str], str]:
    """Distinct, non-empty texts to benchmark on, and where they came from: ``texts_file`` (a JSON
    list of texts) when given."""
    import pandas as pd

    if texts_file is not None:
        texts = json.loads(texts_file.read_text(encoding="utf-8"))
        source = f"{texts_file.name} (a JSON list of texts)"
    elif all(path.is_file() for path in SHARED):
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


def recombined(real: list[str], size: int, seed: int = 0) -> list[str]:
    """``real`` then made-up answers up to ``size``, each a draw of real sentences whose count
    follows the real answers' sentences-per-answer distribution; all distinct."""
    import random
    import re

    split = [[p for p in re.split(r"(?<=[.!?])\s+", t) if p] for t in real]
    sentences = [p for parts in split for p in parts]
    counts = [len(parts) for parts in split]
    rng = random.Random(seed)
    out = dict.fromkeys(real)
    while len(out) < size:
        out.setdefault(" ".join(rng.choices(sentences, k=rng.choice(counts))), None)
    return list(out)[:size]


WORKER = r"""
import json, os, resource, sys, threading, time
t0 = time.perf_counter()

def tree_rss_mb():  # this process and every descendant (Ray's raylet and workers), from /proc
    parents = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                parents[int(pid)] = int(fields[1])
            except OSError:
                pass
    tree, grew = {os.getpid()}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024

peak_tree = [0.0]

def sample_tree():
    while True:
        peak_tree[0] = max(peak_tree[0], tree_rss_mb())
        time.sleep(1.0)

threading.Thread(target=sample_tree, daemon=True).start()
mode, texts_file, cache_dir = sys.argv[1], sys.argv[2], sys.argv[3]
import os
os.environ["NUMBA_CACHE_DIR"] = sys.argv[4]
texts = json.loads(open(texts_file, encoding="utf-8").read())
out = {}
if mode == "embed":
    from themes import SentenceTransformerEmbedder
    embedder = SentenceTransformerEmbedder(runtime="torch")
    embedder.embed(["warm up"])
    out["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    embedder.embed(texts)
    out["embed"] = time.perf_counter() - t
elif mode == "embed-here" or mode.startswith("embed-ray"):
    from themes.analysis.embedding import make_embedder
    if mode == "embed-here":
        embedder = make_embedder()
        embedder.embed(["warm up"])
        workers = 0
    else:
        from themes.analysis import ray_engine
        workers = int(mode[-1])
        t = time.perf_counter()
        ray_engine.connect()
        out["ray_start"] = time.perf_counter() - t
        embedder = make_embedder(engine="ray", workers=workers)
        embedder.local_below = 0
    out["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    embedder.embed(texts)
    out["embed"] = time.perf_counter() - t
    out["texts_per_s"] = len(texts) / out["embed"]
    out["workers"] = workers
elif mode == "plain-full":
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP
    from themes.analysis.embedding import resolve_model
    out["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    st = SentenceTransformer(str(resolve_model("all-MiniLM-L6-v2")), device="cpu")
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topics, _ = BERTopic(embedding_model=st, umap_model=umap).fit_transform(texts)
    out["fit"] = time.perf_counter() - t
    out["themes"] = len(set(topics) - {-1})
    out["outliers"] = sum(1 for x in topics if x == -1) / len(topics)
elif mode == "plain":
    import numpy as np
    from bertopic import BERTopic
    out["import"] = time.perf_counter() - t0
    from themes import EmbeddingCache, SentenceTransformerEmbedder
    from themes.analysis.cache import embed_texts
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
    out["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    if mode.startswith("ray"):
        from themes.analysis import ray_engine
        from themes.analysis.embedding import make_embedder
        ray_engine.connect()
        embedder = make_embedder(engine="ray", workers=int(mode[-1]))
        embedder.local.embed(["warm up"])
    else:
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
    out["mentions"] = result.provenance["timings"].get("mentions", 0.0)
    out["mention_answers"] = result.provenance["mentions"].get("answers", 0)
    out["themes"] = len(result.themes)
    c = result.counts()
    out["outliers"] = c["outlier"] / max(1, c["themed"] + c["outlier"])
    out["reassigned"] = result.provenance["discovery"]["reassigned"]
    out["layouts"] = result.provenance["discovery"].get("layouts", 1)
    out["fit_sample"] = result.provenance["discovery"].get("fit_sample", len(texts))
    out["names"] = result.provenance["timings"]["names"]
    out["no_change"] = result.provenance["timings"]["no_change"]
    out["stories"] = result.provenance["timings"]["stories"]
out["total"] = time.perf_counter() - t0
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["peak_tree_mb"] = peak_tree[0]  # sampled each second: this process and its children
print("RESULT " + json.dumps(out))
"""


def run_worker(mode: str, texts_file: Path, cache_dir: Path, numba_dir: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, mode, str(texts_file), str(cache_dir), str(numba_dir)],
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
    parser.add_argument(
        "--corpus", type=Path, help="a JSON list of texts (default: the real comments)"
    )
    parser.add_argument(
        "--runs", nargs="+", choices=RUNS, default=list(RUNS), help="which runs (default: all)"
    )
    args = parser.parse_args()
    texts, source = corpus(args.corpus)
    if max(args.sizes) > len(texts):
        source += f" ({len(texts)} distinct; larger sizes filled with recombined real sentences)"
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        subset = texts[:size] if size <= len(texts) else recombined(texts, size)
        row: dict = {"size": size}
        with tempfile.TemporaryDirectory() as tmp:
            texts_file = Path(tmp) / "texts.json"
            texts_file.write_text(json.dumps(subset), encoding="utf-8")
            first, later = Path(tmp) / "first", Path(tmp) / "later"
            if "first" in args.runs:  # empty caches: compiles and embeds everything
                row["first"] = run_worker("themes", texts_file, first, first / "numba")
            # A machine that has analysed a survey before: compiled code cached, by an
            # analysis of other (made-up) answers with its own embedding cache.
            numba = later / "numba"
            if {"new", "rerun", "plain"} & set(args.runs):
                if "first" in args.runs:
                    shutil.copytree(first / "numba", numba)
                else:
                    other = Path(tmp) / "other.json"
                    made_up = recombined(texts, len(texts) + 300, seed=size + 1)[-300:]
                    other.write_text(json.dumps(made_up), encoding="utf-8")
                    run_worker("themes", other, Path(tmp) / "other", numba)
                row["new"] = run_worker("themes", texts_file, later, numba)
            if "rerun" in args.runs:  # embeddings and the reduction cached
                row["rerun"] = run_worker("themes", texts_file, later, numba)
            if "plain" in args.runs:  # same embeddings, library defaults
                row["plain"] = run_worker("plain", texts_file, later, numba)
            if "embed" in args.runs:
                row["embed"] = run_worker("embed", texts_file, later, numba)
            if "plain-full" in args.runs:
                row["plain-full"] = run_worker("plain-full", texts_file, later, numba)
            for run in ("embed-here", "embed-ray1", "embed-ray2"):
                if run in args.runs:
                    row[run] = run_worker(run, texts_file, Path(tmp) / run, numba)
            for run in ("ray1", "ray2"):  # a cache of its own: nothing embedded, like 'new'
                if run in args.runs:
                    if not numba.exists():
                        other = Path(tmp) / "other.json"
                        made_up = recombined(texts, len(texts) + 300, seed=size + 1)[-300:]
                        other.write_text(json.dumps(made_up), encoding="utf-8")
                        run_worker("themes", other, Path(tmp) / "other", numba)
                    row[run] = run_worker(run, texts_file, Path(tmp) / run, numba)
        rows.append(row)
        print(
            f"{size}: "
            + ", ".join(f"{k} {v['total']:.1f}s" for k, v in row.items() if isinstance(v, dict)),
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
        "| responses | run | import s | model load s | embed s | knn s | reduce s | keywords s "
        "| cluster s | label s | mentions s | total s | not embedding / embedding | peak RSS MB "
        "| themes | unassigned | reassigned | answers with mentions | layouts |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for row in record["rows"]:
        for run in ("first", "new", "rerun", "ray1", "ray2"):
            if run not in row:
                continue
            r = row[run]
            # clause embedding (the mentions step) counts as embedding
            embedding = r["embed"] + r.get("mentions", 0.0)
            ratio = (r["total"] - embedding) / embedding if r["embed"] >= 1 else None
            lines.append(
                f"| {row['size']} | themes {run} | {r['import']:.1f} | {r['model_load']:.1f} "
                f"| {r['embed']:.1f} | {r['discover_knn']:.1f} | {r['discover_reduce']:.1f} "
                f"| {r['discover_keywords']:.1f} | {r['discover_cluster']:.1f} "
                f"| {r['discover_label']:.1f} | {r.get('mentions', 0.0):.1f} | {r['total']:.1f} "
                f"| {'' if ratio is None else f'{ratio:.0%}'} | {r['peak_rss_mb']:.0f} "
                f"(with workers {r.get('peak_tree_mb', 0):.0f}) "
                f"| {r['themes']} | {r['outliers']:.1%} | {r['reassigned']} "
                f"| {r.get('mention_answers', '')} | {r.get('layouts', 1)} |"
            )
        if "plain" in row:
            p = row["plain"]
            lines.append(
                f"| {row['size']} | plain BERTopic (fit on cached embeddings) | {p['import']:.1f} "
                f"| | | | {p['fit']:.1f} (fit) | | | | | {p['total']:.1f} | "
                f"| {p['peak_rss_mb']:.0f} | {p['themes']} | {p['outliers']:.1%} | | | 1 |"
            )
        if "plain-full" in row:
            p = row["plain-full"]
            lines.append(
                f"| {row['size']} | plain BERTopic embedding on PyTorch itself | {p['import']:.1f} "
                f"| | | | {p['fit']:.1f} (embed + fit) | | | | | {p['total']:.1f} | "
                f"| {p['peak_rss_mb']:.0f} | {p['themes']} | {p['outliers']:.1%} | | | 1 |"
            )
        if "embed" in row:
            e = row["embed"]
            lines.append(
                f"| {row['size']} | the answers alone embedded on PyTorch | {e['import']:.1f} "
                f"| | {e['embed']:.1f} | | | | | | | {e['total']:.1f} | | {e['peak_rss_mb']:.0f} "
                "| | | | | |"
            )
            if "new" in row:
                ratios = f"themes new / embedding on PyTorch {row['new']['total'] / e['embed']:.2f}"
                if "plain-full" in row:
                    ratios += (
                        f"; / plain BERTopic {row['new']['total'] / row['plain-full']['total']:.2f}"
                    )
                lines.append(f"| {row['size']} | {ratios} |" + " |" * 17)
        for run in ("embed-here", "embed-ray1", "embed-ray2"):
            if run in row:
                e = row[run]
                start = f", Ray start {e['ray_start']:.1f} s" if "ray_start" in e else ""
                lines.append(
                    f"| {row['size']} | {run}: {e['texts_per_s']:.0f} answers/s{start} "
                    f"| {e['import']:.1f} | | {e['embed']:.1f} | | | | | | | {e['total']:.1f} | "
                    f"| {e['peak_rss_mb']:.0f} (with workers {e['peak_tree_mb']:.0f}) | | | | | |"
                )
        if "embed-ray1" in row and "embed-ray2" in row:
            speedup = row["embed-ray1"]["embed"] / row["embed-ray2"]["embed"]
            lines.append(f"| {row['size']} | 2 Ray workers / 1: {speedup:.2f}x |" + " |" * 17)
    return head + "\n".join(lines)


if __name__ == "__main__":
    main()
