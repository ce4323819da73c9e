"""The themes app: upload a survey export (or use the bundled sample), check what was found in it,
choose the questions, and see each question's themes, sizes and responses.

Handlers only parse input, make one domain call and format the result with ``themes.views``.
Nothing per-user lives in module globals: the current survey travels in the page's state
(``gr.State``), and files and analyses are kept by the domain's workspace on disk.
"""

from __future__ import annotations

import argparse
import functools
import ipaddress
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from themes import AnalysisConfig, ThemesError, make_embedder  # noqa: E402
from themes.analysis import AnalysisResult  # noqa: E402
from themes.cache import EmbeddingCache  # noqa: E402
from themes.framework import DEFAULT_FRAMEWORK, load_framework  # noqa: E402
from themes.ingest import Table, id_candidates  # noqa: E402
from themes.layouts import TOOLS  # noqa: E402
from themes.mapping import map_result  # noqa: E402
from themes.views import (  # noqa: E402
    LINK_COLUMN,
    THEME_COLUMNS,
    TOOL_NAMES,
    accounting_line,
    column_rows,
    coverage_markdown,
    table_report_markdown,
    theme_detail_markdown,
    theme_responses,
    theme_rows,
)
from themes.workspace import SurveyFile, analyse_cached, store_upload, survey_from_path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"
RESPONSE_COLUMNS = ["Respondent", "Response", "Placed by similarity"]
COLUMN_HEADERS = ["Column", "Found to be", "Example answer"]
NO_ID = "(none: use row numbers)"
DETECT = "detect"
ENCODINGS = [DETECT, "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]
FORMATS = [("detect", DETECT)] + [(TOOL_NAMES[tool], tool) for tool in TOOLS]


def domain_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Show domain errors to the user as a Gradio error message, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ThemesError as exc:
            raise gr.Error(str(exc)) from exc

    return wrapper


def _theme_choices(result: AnalysisResult) -> list[tuple[str, int]]:
    return [(f"{t.id + 1}. {t.label} ({t.size})", t.id) for t in result.themes]


def _console(message: str, fraction: float) -> None:
    print(f"  [{fraction * 100:5.1f}%] {message}", flush=True)


def _option(value: str | None) -> str | None:
    return None if value in (None, "", DETECT) else value


def build_app(
    data_file: Path = SAMPLE,
    config: AnalysisConfig | None = None,
    preload: bool = False,
    framework_name: str = DEFAULT_FRAMEWORK,
) -> gr.Blocks:
    """The Gradio app; only read-only things (settings, model, the starting file) are shared.

    With ``preload``, every free-text question of ``data_file`` is analysed (or read back from
    disk) before the app is built, so the first page shows themes at once.
    """
    config = config or AnalysisConfig()
    embedder = make_embedder(config.model, config.batch_size)
    cache = EmbeddingCache()
    framework = load_framework(framework_name)
    start, _ = survey_from_path(data_file)

    def load(survey: SurveyFile, question: str, progress: Any = None) -> AnalysisResult:
        if question not in survey.questions:
            raise ThemesError(
                f"{question!r} is not one of the chosen questions of {survey.name}: "
                f"{'; '.join(survey.questions)}"
            )

        def report(message: str, fraction: float) -> None:
            if progress is not None:
                progress(fraction, desc=message)
            else:
                _console(message, fraction)

        return analyse_cached(
            survey, question, config, embedder=embedder, cache=cache, progress=report
        )

    for number, name in enumerate(start.questions if preload else [], start=1):
        print(f"Analysing question {number} of {len(start.questions)}: {name}", flush=True)
        load(start, name)

    def _theme_view(
        result: AnalysisResult, theme_id: int | None, query: str
    ) -> tuple[str, pd.DataFrame]:
        if theme_id is None:
            return "No themes were found for this question.", pd.DataFrame(columns=RESPONSE_COLUMNS)
        rows = theme_responses(result, int(theme_id), query)
        return theme_detail_markdown(result, int(theme_id)), pd.DataFrame(
            rows, columns=RESPONSE_COLUMNS
        )

    @domain_errors
    def show_question(
        survey: SurveyFile,
        question: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> tuple[Any, ...]:
        result = load(survey, question, progress)
        mapping = map_result(result, framework, embedder, cache)
        table = pd.DataFrame(
            theme_rows(result, mapping=mapping, framework=framework),
            columns=[*THEME_COLUMNS, LINK_COLUMN],
        )
        chart = pd.DataFrame(
            {
                "Theme": [f"{t.id + 1}. {t.label}" for t in result.themes],
                "Responses": [t.size for t in result.themes],
            }
        )
        first = result.themes[0].id if result.themes else None
        summary = f"**{accounting_line(result)}**  \nModel: `{result.provenance.get('model', '')}`"
        return (
            summary,
            table,
            chart,
            coverage_markdown(result, framework, mapping),
            gr.Radio(choices=_theme_choices(result), value=first),
            *_theme_view(result, first, ""),
        )

    @domain_errors
    def show_theme(
        survey: SurveyFile, question: str, theme_id: int | None, query: str
    ) -> tuple[str, pd.DataFrame]:
        return _theme_view(load(survey, question), theme_id, query or "")

    def pick_from_table(evt: gr.SelectData) -> int:
        return int(evt.index[0])

    def _preview(survey: SurveyFile, table: Table) -> tuple[Any, ...]:
        ids = [NO_ID, *id_candidates(table)]
        return (
            survey,
            table_report_markdown(table),
            pd.DataFrame(column_rows(table), columns=COLUMN_HEADERS),
            gr.CheckboxGroup(choices=table.columns, value=list(survey.questions)),
            gr.Radio(choices=ids, value=survey.id_column or NO_ID),
        )

    @domain_errors
    def inspect_upload(path: str | None, encoding: str, layout: str) -> tuple[Any, ...]:
        if not path:
            raise ThemesError("Choose a CSV, TSV or XLSX survey export to upload first.")
        upload = Path(path)
        try:
            survey, table = store_upload(
                upload.read_bytes(), upload.name, encoding=_option(encoding), tool=_option(layout)
            )
        finally:
            upload.unlink(missing_ok=True)  # our own copy is kept; Gradio's temporary one is not
        return _preview(survey, table)

    @domain_errors
    def use_upload(
        pending: SurveyFile | None, questions: list[str], id_column: str
    ) -> tuple[Any, ...]:
        if pending is None:
            raise ThemesError("Upload a survey export first.")
        if not questions:
            raise ThemesError("Choose at least one free-text question to analyse.")
        table = pending.read()
        survey = SurveyFile(
            pending.path,
            pending.name,
            pending.encoding,
            pending.tool,
            None if id_column == NO_ID else id_column,
            tuple(questions),
        )
        for column in [*questions, *([survey.id_column] if survey.id_column else [])]:
            if column not in table.columns:
                raise ThemesError(f"{column!r} is not a column of {survey.name}.")
        return (
            survey,
            f"Themes found in **{survey.name}**. Choose a question, then a theme to read its "
            "responses.",
            gr.Radio(choices=list(survey.questions), value=survey.questions[0]),
            gr.Tabs(selected="themes"),
        )

    # Gradio's own temporary files (uploads, downloads) are deleted after an hour.
    with gr.Blocks(title="themes: what people said", delete_cache=(3600, 3600)) as demo:
        current = gr.State(start)
        pending = gr.State(None)
        gr.Markdown("# What people said")
        with gr.Tabs() as tabs:
            with gr.Tab("Themes", id="themes"):
                heading = gr.Markdown(
                    f"Themes found in **{start.name}**. Choose a question, then a theme to read "
                    "its responses."
                )
                question = gr.Radio(
                    choices=list(start.questions),
                    value=start.questions[0] if start.questions else None,
                    label="Question",
                )
                summary = gr.Markdown()
                themes_table = gr.Dataframe(
                    headers=[*THEME_COLUMNS, LINK_COLUMN],
                    interactive=False,
                    wrap=True,
                    label="Themes (largest first)",
                    column_widths=["4%", "16%", "8%", "8%", "18%", "26%", "20%"],
                    max_height=420,
                )
                with gr.Accordion("Chart: responses per theme", open=True):
                    chart = gr.BarPlot(
                        x="Theme",
                        y="Responses",
                        label="Responses per theme (the table above has the same numbers)",
                        sort="-y",
                        x_label_angle=-30,
                        height=320,
                    )
                with gr.Accordion(f"Strategy pillars: {framework.name}", open=False):
                    coverage = gr.Markdown()
                theme = gr.Radio(label="Theme", choices=[])
                with gr.Row():
                    detail = gr.Markdown()
                    with gr.Column():
                        search = gr.Textbox(
                            label="Search this theme's responses", placeholder="e.g. parking"
                        )
                        responses = gr.Dataframe(
                            headers=RESPONSE_COLUMNS,
                            interactive=False,
                            wrap=True,
                            label="Responses (most typical first)",
                            column_widths=["14%", "70%", "16%"],
                            max_height=520,
                        )
            with gr.Tab("Upload a survey", id="upload"):
                gr.Markdown(
                    "Upload the export from your survey tool (SurveyMonkey, Microsoft Forms, Google "
                    "Forms, Qualtrics, EngagementHQ, Citizen Space, SmartSurvey or any spreadsheet "
                    "with one header row; CSV, TSV or XLSX). It stays on this computer."
                )
                upload = gr.File(
                    label="Survey export",
                    file_types=[".csv", ".tsv", ".txt", ".xlsx"],
                    type="filepath",
                )
                with gr.Row():
                    encoding = gr.Radio(ENCODINGS, value=DETECT, label="Text encoding (CSV only)")
                    layout = gr.Radio(FORMATS, value=DETECT, label="Survey tool")
                report = gr.Markdown()
                columns = gr.Dataframe(
                    headers=COLUMN_HEADERS,
                    interactive=False,
                    wrap=True,
                    label="What each column was found to be",
                    max_height=400,
                )
                chosen = gr.CheckboxGroup(label="Free-text questions to analyse", choices=[])
                id_choice = gr.Radio(label="Respondent id column", choices=[])
                analyse = gr.Button("Analyse the chosen questions", variant="primary")

        outputs = [summary, themes_table, chart, coverage, theme, detail, responses]
        demo.load(
            show_question, inputs=[current, question], outputs=outputs, api_name="show_question"
        )
        question.change(
            show_question, inputs=[current, question], outputs=outputs, api_visibility="private"
        )
        theme.change(
            show_theme,
            inputs=[current, question, theme, search],
            outputs=[detail, responses],
            api_name="show_theme",
        )
        search.submit(
            show_theme,
            inputs=[current, question, theme, search],
            outputs=[detail, responses],
            api_visibility="private",
        )
        themes_table.select(pick_from_table, outputs=theme, api_visibility="private")
        preview_outputs = [pending, report, columns, chosen, id_choice]
        upload.upload(
            inspect_upload,
            inputs=[upload, encoding, layout],
            outputs=preview_outputs,
            api_name="inspect_upload",
        )
        for control in (encoding, layout):
            control.change(
                inspect_upload,
                inputs=[upload, encoding, layout],
                outputs=preview_outputs,
                api_visibility="private",
            )
        analyse.click(
            use_upload,
            inputs=[pending, chosen, id_choice],
            outputs=[current, heading, question, tabs],
            api_name="use_upload",
        ).then(show_question, inputs=[current, question], outputs=outputs, api_visibility="private")
    return demo


def launch_options(host: str) -> dict[str, Any]:
    """Safe launch defaults; anything but loopback needs THEMES_USERS='user:password,...'."""
    options: dict[str, Any] = dict(
        server_name=host,
        share=False,
        run_history=False,
        max_file_size="200mb",
        footer_links=[],
        show_error=False,
    )
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        users = [u.split(":", 1) for u in os.environ.get("THEMES_USERS", "").split(",") if ":" in u]
        if not users:
            raise SystemExit(
                f"Refusing to listen on {host} without authentication. Set THEMES_USERS="
                "'name:password' (comma-separate several), or use --host 127.0.0.1."
            )
        options["auth"] = [(name, password) for name, password in users]
    return options


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Launch the themes app.")
    parser.add_argument("--data", type=Path, default=SAMPLE, help="survey export to show first")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("THEMES_PORT", "7860")))
    args = parser.parse_args(argv)
    print(f"Preparing {args.data.name} (the first start analyses it; later starts reuse that)")
    demo = build_app(args.data, preload=True)
    demo.queue(default_concurrency_limit=2).launch(
        server_port=args.port, **launch_options(args.host)
    )


if __name__ == "__main__":
    main()
