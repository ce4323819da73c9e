"""The themes app: pick a question of the survey and see its themes, sizes and responses.

Handlers only parse input, make one domain call and format the result with ``themes.views``.
Nothing per-user lives in module globals: the chosen question travels in the page's state and
analyses are read from the on-disk workspace.
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

from themes import AnalysisConfig, ThemesError, guess_text_columns, make_embedder, read_table  # noqa: E402
from themes.analysis import AnalysisResult  # noqa: E402
from themes.cache import EmbeddingCache  # noqa: E402
from themes.views import (  # noqa: E402
    THEME_COLUMNS,
    accounting_line,
    theme_detail_markdown,
    theme_responses,
    theme_rows,
)
from themes.workspace import analyse_cached  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample" / "gloucestershire_survey.csv"
RESPONSE_COLUMNS = ["Respondent", "Response", "Placed by similarity"]


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


def build_app(
    data_file: Path = SAMPLE, config: AnalysisConfig | None = None, preload: bool = False
) -> gr.Blocks:
    """The Gradio app over one survey file (read-only parts only are shared between users).

    With ``preload``, every free-text question is analysed (or read back from disk) before the
    app is built, so the first page shows themes at once.
    """
    config = config or AnalysisConfig()
    embedder = make_embedder(config.model, config.batch_size)
    cache = EmbeddingCache()
    questions = guess_text_columns(read_table(data_file))

    def load(question: str, progress: gr.Progress | None = None) -> AnalysisResult:
        if question not in questions:
            raise ThemesError(
                f"Unknown question {question!r}. Choose one of: {'; '.join(questions)}"
            )

        def report(message: str, fraction: float) -> None:
            if progress is not None:
                progress(fraction, desc=message)
            else:
                _console(message, fraction)

        return analyse_cached(
            data_file, question, config, embedder=embedder, cache=cache, progress=report
        )

    for number, name in enumerate(questions if preload else [], start=1):
        print(f"Analysing question {number} of {len(questions)}: {name}", flush=True)
        load(name)

    @domain_errors
    def show_question(question: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        result = load(question, progress)
        table = pd.DataFrame(theme_rows(result), columns=THEME_COLUMNS)
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
            gr.Radio(choices=_theme_choices(result), value=first),
            *_theme_view(result, first, ""),
        )

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
    def show_theme(question: str, theme_id: int | None, query: str) -> tuple[str, pd.DataFrame]:
        return _theme_view(load(question), theme_id, query or "")

    def pick_from_table(evt: gr.SelectData) -> int:
        return int(evt.index[0])

    with gr.Blocks(title="themes: what people said") as demo:
        gr.Markdown(
            f"# What people said\nThemes found in **{data_file.name}**. Choose a question, then a "
            "theme to read its responses."
        )
        question = gr.Radio(
            choices=questions, value=questions[0] if questions else None, label="Question"
        )
        summary = gr.Markdown()
        themes_table = gr.Dataframe(
            headers=THEME_COLUMNS,
            interactive=False,
            wrap=True,
            label="Themes (largest first)",
            column_widths=["5%", "22%", "9%", "9%", "25%", "30%"],
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

        outputs = [summary, themes_table, chart, theme, detail, responses]
        demo.load(show_question, inputs=question, outputs=outputs, api_name="show_question")
        question.change(show_question, inputs=question, outputs=outputs, api_visibility="private")
        theme.change(
            show_theme,
            inputs=[question, theme, search],
            outputs=[detail, responses],
            api_name="show_theme",
        )
        search.submit(
            show_theme,
            inputs=[question, theme, search],
            outputs=[detail, responses],
            api_visibility="private",
        )
        themes_table.select(pick_from_table, outputs=theme, api_visibility="private")
    return demo


def launch_options(host: str) -> dict[str, Any]:
    """Safe launch defaults; anything but loopback needs THEMES_USERS='user:password[,user:password]'."""
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
    parser.add_argument("--data", type=Path, default=SAMPLE, help="survey export to show")
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
