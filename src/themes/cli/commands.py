"""The commands that work on files: analyse, columns, map, evaluate, redact, evaluate-redaction,
purge and models. Each parses nothing itself: it takes the parsed arguments, makes one domain
call and prints the result."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from themes.analysis.embedding import Embedder

from themes.cli.common import ProgressPrinter, engine_embedder, quiet, split_list


def cmd_analyse(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.pipeline import analyse_table
    from themes.analysis.results import write_survey_results
    from themes.core.config import AnalysisConfig
    from themes.ingest.reading import choose_questions, read_table
    from themes.review.views import table_report_text, theme_table_text

    config = AnalysisConfig.from_file(args.config) if args.config else AnalysisConfig()
    config = config.replace(
        model=args.model,
        seed=args.seed,
        min_theme_size=args.min_theme_size,
        max_themes=args.max_themes,
        layouts=args.layouts,
    )
    if args.one_theme_per_answer:
        config = dataclasses.replace(config, also_mentions=None)
    if args.quick:
        from themes.analysis.quick_look import quick_config

        config = quick_config(config)
    embedder = engine_embedder(args, config.model, config.batch_size)  # a bad engine: said first
    table = read_table(
        args.file,
        encoding=args.encoding,
        tool=args.format,
        max_bytes=args.max_mb * 1024 * 1024,
        include_previews=args.include_previews,
    )
    questions = choose_questions(table, args.text_column, args.all_questions)
    if not quiet(args):
        print(table_report_text(table), file=sys.stderr)
        if not args.text_column and not args.all_questions:
            print(
                f"Analysing the free-text question with the most answers: {questions[0]!r} (choose others with "
                "--text-column, or all with --all-questions)",
                file=sys.stderr,
            )
    cache = (
        None
        if args.no_cache
        else EmbeddingCache(args.cache_dir / "embeddings.sqlite" if args.cache_dir else None)
    )
    results = analyse_table(
        table,
        questions,
        config,
        id_column=args.id_column,
        embedder=embedder,
        cache=cache,
        progress=ProgressPrinter(quiet(args)),
    )
    paths = write_survey_results(results, args.out)
    for result in results:
        print(theme_table_text(result) + "\n")
    print(
        f"Wrote {len(paths)} files under {args.out}: {', '.join(p.name for p in paths[:6])}"
        + (" ..." if len(paths) > 6 else "")
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from themes.review.purge import purge_orphans
    from themes.review.store import ProjectStore

    purged = purge_orphans(
        ProjectStore(), older_than=args.older_than * 60, web_cache=not args.keep_downloads
    )
    for path in purged.paths:
        print(f"removed {path}")
    print(f"Removed {len(purged)} copies of answers that no project needs.")
    return 0


def cmd_columns(args: argparse.Namespace) -> int:
    from themes.ingest.reading import read_table
    from themes.review.views import table_report_text

    table = read_table(
        args.file,
        encoding=args.encoding,
        tool=args.format,
        include_previews=args.include_previews,
    )
    print(table_report_text(table))
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.analysis.results import read_results
    from themes.frameworks.framework import load_framework
    from themes.frameworks.mapping import map_result
    from themes.frameworks.tuning import framework_embedder
    from themes.review.views import coverage_text

    result = read_results(args.results)
    framework = load_framework(args.framework)
    model = str(result.provenance.get("config", {}).get("model", "all-MiniLM-L6-v2"))
    embedder = make_embedder(model)
    if args.tuning != "off":
        embedder = framework_embedder(framework, embedder, ProgressPrinter(quiet(args)))
    mapping = map_result(result, framework, embedder, EmbeddingCache(), threshold=args.threshold)
    print(coverage_text(result, framework, mapping))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from themes.analysis.cache import EmbeddingCache
    from themes.analysis.embedding import make_embedder
    from themes.core.config import AnalysisConfig
    from themes.core.errors import InputError

    started = time.perf_counter()
    if not args.framework and args.skip_themes:
        raise InputError("Nothing to evaluate: give --framework, or drop --skip-themes.")
    if args.tuning == "themes" and not args.framework:
        raise InputError("--tuning themes needs --framework: the framework the model is tuned to.")
    config = AnalysisConfig(model=args.model) if args.model else AnalysisConfig()
    if args.quick:
        from themes.analysis.quick_look import quick_config

        config = quick_config(config)
    embedder = make_embedder(config.model, config.batch_size)
    shipped = make_embedder(args.model or AnalysisConfig().model) if args.quick else embedder
    tuned = None
    if args.framework and args.tuning != "off":
        from themes.frameworks.framework import load_framework
        from themes.frameworks.tuning import framework_embedder

        tuned = framework_embedder(
            load_framework(args.framework), embedder, ProgressPrinter(quiet(args))
        )
    if not args.skip_themes:
        from themes.evaluation.reviewer_simulation import STEPS
        from themes.evaluation.theme_quality import evaluate_themes, quality_text

        try:
            seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
        except ValueError:
            raise InputError(
                f"--seeds must be whole numbers separated by commas, got {args.seeds!r}."
            ) from None
        report = evaluate_themes(
            args.file,
            tuned if tuned is not None and args.tuning == "themes" else embedder,
            text_column=args.text_column,
            label_column=args.label_column,
            separator=args.separator,
            config=config,
            seeds=seeds or [42],
            baseline=not args.no_baseline,
            single_label=not args.all_rows,
            cache=EmbeddingCache(),
            group_column=args.group_column,
            simulate=STEPS if args.simulate_reviewer else (),
            labeller=embedder if tuned is not None and args.tuning == "themes" else None,
            reader=shipped,
            resamples=args.resamples,
        )
        print(quality_text(report))
        print()
    if args.framework:
        try:
            _evaluate_mapping(args, embedder, tuned)
        except InputError as error:
            if args.skip_themes:
                raise
            print(f"Mapping not scored: {error}")  # labels of another frame: themes still count
    print(f"(evaluate took {time.perf_counter() - started:.0f} s)")
    return 0


def _evaluate_mapping(args: argparse.Namespace, embedder: Embedder, tuned: Embedder | None) -> None:
    from themes.analysis.cache import EmbeddingCache
    from themes.evaluation.mapping_scores import evaluate_mapping, evaluation_text
    from themes.frameworks.framework import load_framework

    framework = load_framework(args.framework)
    evaluation = evaluate_mapping(
        args.file,
        framework,
        embedder,
        text_column=args.text_column,
        label_column=args.label_column,
        separator=args.separator,
        cache=EmbeddingCache(),
        threshold=args.threshold,
        tuned=tuned,
    )
    print(evaluation_text(evaluation))


def cmd_redact(args: argparse.Namespace) -> int:
    from themes.core.errors import InputError
    from themes.privacy.redact import RedactionSettings, redact

    settings = RedactionSettings(
        split_list(args.names), split_list(args.keep), args.outward_postcodes
    )
    try:
        text = args.file.read_text(encoding="utf-8-sig") if args.file else sys.stdin.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {args.file}: {exc}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        result = redact(line, settings)
        print(result.text)
        if args.log:
            for r in result.redactions:
                print(f"  line {number}: {r.kind.value} '{r.original}' ({r.rule})", file=sys.stderr)
            for f in result.flags:
                print(f"  line {number}: check '{f.text}': {f.reason}", file=sys.stderr)
    return 0


def cmd_evaluate_redaction(args: argparse.Namespace) -> int:
    from themes.evaluation.redaction import STAFF_LIST, build_cases, evaluate_redaction
    from themes.privacy.redact import RedactionSettings

    cases = build_cases(args.per_kind, args.seed)
    print(
        f"{len(cases)} sentences (seed {args.seed}): {args.per_kind} per identifier type, "
        f"{args.per_kind // 2} names written alone, {sum(1 for c in cases if not c.gold)} look-alikes"
    )
    print(f"{'type':<30}{'cases':>7}{'recall':>8}{'precision':>11}")
    scores, wrong, seconds = evaluate_redaction(cases)
    for s in scores:
        print(f"{s.kind.value:<30}{s.gold:>7}{s.recall:>8.3f}{s.precision:>11.3f}")
    for group, settings, label in (
        ("titled", None, "names after a title/role"),
        ("bare", None, "names alone, no name list"),
        ("bare", RedactionSettings(names=STAFF_LIST), "names alone, with name list"),
    ):
        part, _, _ = evaluate_redaction([c for c in cases if c.group == group], settings)
        name = next(s for s in part if s.kind.value == "name")
        print(f"  {label:<28}{name.gold:>7}{name.recall:>8.3f}{name.precision:>11.3f}")
    print(f"look-alike sentences changed: {len(wrong)} of {sum(1 for c in cases if not c.gold)}")
    for line in wrong:
        print(f"  {line}")
    print(f"{seconds:.2f} s ({1000 * seconds / len(cases):.2f} ms per sentence)")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from themes.analysis.embedding import INT8_SUFFIX, available_models, models_dir

    names = available_models()
    print("Embedding models available offline:")
    for name in names:
        print(f"  {name}")
    print(
        f"Add others by copying a sentence-transformers model folder into {models_dir()}/<name>/.\n"
        f"Append {INT8_SUFFIX} to a name (e.g. {names[0] if names else 'all-MiniLM-L6-v2'}"
        f"{INT8_SUFFIX}) for the same model with 8-bit weights on PyTorch: less accurate, and\n"
        "slower than the default OpenVINO runtime (bench/RESULTS.md).\n"
        "Models run on OpenVINO when it is installed and the model is mean-pooled (the same\n"
        f"vectors, about 5x faster than PyTorch): {openvino_note()}. On a machine with an\n"
        "NVIDIA GPU and a CUDA build of PyTorch they run on the GPU. Set\n"
        "THEMES_EMBEDDING_RUNTIME=torch to use PyTorch on the CPU, =cuda to require the GPU."
    )
    print(f"Here: {device_note()}.")
    return 0


def device_note() -> str:
    """Where this machine would run the model, as ``THEMES_EMBEDDING_RUNTIME`` stands."""
    from themes.analysis.runtime import chosen_runtime, embedding_device
    from themes.core.errors import ConfigError

    runtime = chosen_runtime()
    try:
        device = embedding_device(runtime)
    except ConfigError as error:  # cuda asked for, and none here: say so, as an analysis would
        return str(error).rstrip(".")
    if device == "cuda":
        import torch

        return f"the model runs on the GPU ({torch.cuda.get_device_name(0)})"
    if runtime in ("torch", "openvino"):
        return f"the model runs on the CPU (THEMES_EMBEDDING_RUNTIME={runtime})"
    return "no GPU that PyTorch can use; the model runs on the CPU"


def openvino_note() -> str:
    from themes.analysis.runtime import openvino_installed, runtime_dir

    if not openvino_installed():
        return "OpenVINO is not installed here"
    return (
        f"installed; exported graphs are kept in {runtime_dir()} (those of models tuned to a "
        "framework in the cache folder, with the models)"
    )
