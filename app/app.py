"""The themes app: projects (upload a survey export, analyse it, reopen or delete it), reviewing a
project's themes (rename, define, merge, split, move responses, links to the strategy, minority
views, quotes, undo and redo) and its history and exports.

One module per screen (``projects_tab``, ``review_tab`` with ``review_actions`` and
``review_choice``, ``history_tab``); ``review_page`` fills the review page, ``launch`` starts the
server safely. Handlers only parse input, make one domain call and return ``{component: value}``
updates formatted with ``themes`` views. Nothing per-user lives in module globals: which project,
version, question and theme a browser tab is on travels in the page's state (``gr.State``);
projects and every edit live in the project database, committed before the page confirms them.
"""

from __future__ import annotations

import argparse
import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Uploads and downloads pass through the web server's own folder: keep it with the other personal
# data (private, and cleared when a project is deleted and at start-up). Gradio reads this when it
# is imported.
from themes.core.data_dirs import web_cache_dir  # noqa: E402

os.environ.setdefault("GRADIO_TEMP_DIR", str(web_cache_dir().resolve()))
# Gradio rebuilds its queue statistics (a pandas table of past events) after every event by
# default: a quarter of the server's time with several reviewers. Rebuilt every 1,000 events.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")

import gradio as gr  # noqa: E402

from app.context import AppContext  # noqa: E402
from app.history_tab import HistoryActions, HistoryTab  # noqa: E402
from app.launch import ensure_sample_project, launch_options, warm_up_model  # noqa: E402
from app.page import NAME_KEY, PRIVATE, SAMPLE, View, domain_errors, view_from_address  # noqa: E402
from app.projects_tab import ProjectsActions, ProjectsTab  # noqa: E402
from app.review_actions import ReviewActions  # noqa: E402
from app.review_choice import ResponseChoice  # noqa: E402
from app.review_page import ReviewPage, Updates, render  # noqa: E402
from app.review_tab import ReviewTab  # noqa: E402
from themes import AnalysisConfig, make_embedder  # noqa: E402
from themes.analysis.cache import EmbeddingCache  # noqa: E402
from themes.core.data_dirs import make_private  # noqa: E402
from themes.frameworks.framework import DEFAULT_FRAMEWORK  # noqa: E402
from themes.review.access import parse_accounts  # noqa: E402
from themes.review.purge import purge_orphans  # noqa: E402
from themes.review.store import ProjectStore  # noqa: E402

__all__ = ["SAMPLE", "build_app", "launch_options", "main"]


def build_app(
    data_file: Path = SAMPLE,
    config: AnalysisConfig | None = None,
    preload: bool = False,
    framework_name: str = DEFAULT_FRAMEWORK,
    store: ProjectStore | None = None,
    warm: bool = False,
) -> gr.Blocks:
    """The Gradio app. Only read-only things (settings, model) and the project database are
    shared between users.

    With ``preload``, the bundled sample is made into a project before the app starts (analysed
    once, then read back), so the first page shows themes at once.
    """
    config = config or AnalysisConfig()
    embedder = make_embedder(config.model, config.batch_size)
    store = store or ProjectStore()
    if preload:
        ensure_sample_project(store, data_file, config, framework_name)
    if warm:  # load the model and compile the clustering code while the first page is read
        threading.Thread(target=warm_up_model, args=(embedder,), daemon=True).start()
    accounts = parse_accounts(os.environ.get("THEMES_USERS", ""))
    ctx = AppContext(
        store,
        embedder,
        EmbeddingCache(),
        config,
        framework_name,
        frozenset(name for name, account in accounts.items() if account.admin),
    )

    with gr.Blocks(title="themes: what people said", delete_cache=(3600, 3600)) as demo:
        view_state = gr.State(View())
        gr.Markdown("# What people said")
        # The view's address; the browser's location follows it (see address.change below).
        address = gr.Textbox(visible="hidden", elem_id="view-address", show_label=False)
        user_name = gr.Textbox(
            "",  # also the default for API callers that do not name themselves
            label="Your name (recorded with each edit)",
            placeholder="e.g. Sam at Healthwatch",
            max_lines=1,
        )
        with gr.Tabs() as tabs:
            with gr.Tab("Review themes", id="review"):
                review = ReviewTab()
            with gr.Tab("Projects", id="projects"):
                projects = ProjectsTab(framework_name)
            with gr.Tab("History and export", id="history"):
                history = HistoryTab()
        page = ReviewPage(
            view_state,
            review.heading,
            review.question,
            review.summary,
            review.themes_table,
            review.chart,
            review.coverage,
            review.theme,
            review.detail,
            review.label_box,
            review.definition_box,
            review.minority_box,
            review.links_box,
            review.group_box,
            review.merge_box,
            review.move_target,
            review.responses,
            review.page_note,
            review.undo_button,
            review.redo_button,
            history.history,
            review.redact_names,
            review.redact_keep,
            review.redact_outward,
            address,
            review.chosen_rows,
            review.name_choice,
        )

        def recover(dependency: Any) -> Any:
            """After a refused action, leave its outputs as they were: Gradio otherwise marks each
            with an 'Error' badge that blocks the page until a reload (the message still shows,
            and API callers still get the error)."""
            outputs = [demo.blocks[i] for i in dependency["outputs"]]
            if outputs:
                dependency.failure(
                    lambda: gr.skip(), outputs=outputs, show_progress="hidden", **PRIVATE
                )
            return dependency

        projects_actions = ProjectsActions(ctx, page, projects, tabs)

        @domain_errors
        def start(view: View, request: gr.Request) -> Updates:
            """The page as it opens: the project list, and the newest project open for review."""
            visible = ctx.visible(request)
            listing = projects_actions.project_list(request, visible)
            if not visible:
                return {**listing, **page.skip()}
            linked = view_from_address(ctx.store, request, visible)
            who = ctx.reviewer("", request)
            if linked is not None and linked.project is not None:
                state = ctx.store.state(linked.project)
                return {**listing, **render(ctx, page, replace(linked, user=who), state)}
            opened = View(visible[0].id, user=who)
            return {**listing, **render(ctx, page, opened, ctx.store.state(visible[0].id))}

        # The reviewer's name is kept by this browser tab (sessionStorage: a reload keeps it,
        # another tab keeps its own), and a new tab starts from the name typed last anywhere.
        demo.load(
            None,
            outputs=[user_name],
            js=f"() => sessionStorage.getItem('{NAME_KEY}') ?? localStorage.getItem('{NAME_KEY}')"
            " ?? ''",
            **PRIVATE,
        )
        user_name.change(
            None,
            inputs=[user_name],
            js=f"(name) => {{ sessionStorage.setItem('{NAME_KEY}', name);"
            f" localStorage.setItem('{NAME_KEY}', name); }}",
            **PRIVATE,
        )
        recover(
            demo.load(
                start,
                inputs=[view_state],
                outputs=[projects.projects_table, projects.project_choice, *page.outputs],
                api_name="start",
            )
        )
        address.change(
            None,
            inputs=[address],
            js="(q) => { if (q && window.location.search !== q) "
            "window.history.replaceState(null, '', q); return []; }",
            **PRIVATE,
        )
        ReviewActions(ctx, page, review).wire(recover, user_name)
        ResponseChoice(ctx, page, review).wire(recover)
        projects_actions.wire(recover, user_name)
        HistoryActions(ctx, history).wire(recover, view_state, user_name)
    return demo


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Launch the themes app.")
    parser.add_argument("--data", type=Path, default=SAMPLE, help="survey export to show first")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("THEMES_PORT", "7860")))
    args = parser.parse_args(argv)
    options = launch_options(args.host)  # a refused address is said before any work is done
    make_private()  # answers are personal data: files 0600, folders 0700
    purged = purge_orphans(ProjectStore(), web_cache=True)  # nobody is using it yet
    if purged:
        print(f"Removed {len(purged)} leftover copies of answers (uploads, exports, downloads)")
    print(f"Preparing {args.data.name} (the first start analyses it; later starts reuse that)")
    demo = build_app(args.data, preload=True, warm=True)
    demo.queue(default_concurrency_limit=2).launch(server_port=args.port, **options)


if __name__ == "__main__":
    main()
