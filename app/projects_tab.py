"""The "Projects" tab: the projects this user may see, a new project from a survey export
(upload, check what each column was found to be, choose the questions, analyse), and deleting
and sharing a project."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from app.context import AppContext
from app.page import (
    COLUMN_HEADERS,
    DETECT,
    ENCODINGS,
    FORMATS,
    NO_ID,
    ONE_ANALYSIS,
    PRIVATE,
    PROJECT_COLUMNS,
    View,
    domain_errors,
    option,
    read_only_table,
)
from app.review_actions import Recover
from app.review_page import ReviewPage, Updates, render
from themes import ThemesError
from themes.analysis.workspace import SurveyFile, store_upload
from themes.core.markup import md
from themes.frameworks.framework import bundled_frameworks
from themes.frameworks.tuning import DEFAULT_TUNING
from themes.ingest.reading import Table, id_candidates
from themes.project_ops import create_project, open_framework, quick_look
from themes.review.purge import delete_project as remove_project
from themes.review.records import ProjectInfo
from themes.review.views import column_rows, quick_look_markdown, table_report_markdown

TUNING_CHOICES = [
    ("For links to the framework (recommended)", "mapping"),
    ("For links, and to find the themes around the framework's items", "themes"),
    ("Off: the model as shipped", "off"),
]


class ProjectsTab:
    """The components of the projects tab; built where the tab is laid out."""

    def __init__(self, framework_name: str) -> None:
        self.pending = gr.State(None)  # the export read last, until a project is made of it
        self.projects_table = read_only_table(headers=PROJECT_COLUMNS, label="Projects")
        self.project_choice = gr.Radio(label="Project", choices=[])
        with gr.Row():
            self.open_button = gr.Button("Open project", variant="primary")
            self.refresh_button = gr.Button("Refresh list")
        with gr.Accordion("New project from a survey export", open=False):
            self._new_project(framework_name)
        with gr.Accordion("Delete a project", open=False):
            gr.Markdown("Deletes the chosen project, its responses and its edit history.")
            self.delete_confirm = gr.Checkbox(label="Yes, delete it")
            self.delete_button = gr.Button("Delete the chosen project", variant="stop")
            self.deleted_note = gr.Markdown()
        with gr.Accordion("Share the chosen project", open=False):
            gr.Markdown(
                "With sign-in on, people see only the projects shared with them. A "
                "reviewer can edit and export; a viewer can read; an owner can also share "
                "and delete."
            )
            self.share_person = gr.Textbox(label="Their sign-in name", max_lines=1)
            self.share_role = gr.Radio(
                [
                    ("Reviewer", "reviewer"),
                    ("Viewer", "viewer"),
                    ("Owner", "owner"),
                    ("Remove their access", "remove"),
                ],
                value="reviewer",
                label="Role",
            )
            self.share_button = gr.Button("Share")
            self.shared_note = gr.Markdown()

    def _new_project(self, framework_name: str) -> None:
        gr.Markdown(
            "Upload the export from your survey tool (SurveyMonkey, Microsoft Forms, "
            "Google Forms, Qualtrics, EngagementHQ, Citizen Space, SmartSurvey or any "
            "spreadsheet with one header row; CSV, TSV or XLSX). It stays on this "
            "computer."
        )
        self.upload = gr.File(
            label="Survey export",
            file_types=[".csv", ".tsv", ".txt", ".xlsx"],
            type="filepath",
        )
        with gr.Row():
            self.encoding = gr.Radio(ENCODINGS, value=DETECT, label="Text encoding (CSV)")
            self.layout = gr.Radio(FORMATS, value=DETECT, label="Survey tool")
        self.previews = gr.Checkbox(
            label="Keep survey previews and test responses (Qualtrics 'Status'); "
            "they are left out by default",
            value=False,
        )
        self.report = gr.Markdown()
        self.columns = read_only_table(
            headers=COLUMN_HEADERS,
            label="What each column was found to be",
            max_height=400,
        )
        self.chosen = gr.CheckboxGroup(label="Free-text questions to analyse", choices=[])
        self.id_choice = gr.Radio(label="Respondent id column", choices=[])
        self.project_name = gr.Textbox(label="Project name", max_lines=1)
        self.framework_choice = gr.Radio(
            bundled_frameworks(), value=framework_name, label="Strategy framework"
        )
        self.tuning_choice = gr.Radio(
            TUNING_CHOICES, value=DEFAULT_TUNING, label="Model tuned to the framework"
        )
        gr.Markdown(
            "A copy of the model is taught the framework's own wording (built once per "
            "framework, a minute or two; no answers are used). It links themes to the "
            "framework's items more accurately; it can also shape the themes around them."
        )
        gr.Markdown(
            "A quick look shows a preview of the chosen questions' themes in seconds, even for "
            "50,000 answers (a faster, rougher model; no project is made). Analysing takes "
            "about a minute per thousand answers on a laptop; its progress shows below the "
            "buttons."
        )
        with gr.Row():
            self.quick_button = gr.Button("Quick look (preview)", variant="secondary")
            self.create_button = gr.Button("Create project and analyse", variant="primary")
        # A quick look's themes, labelled a preview.
        self.quick_view = gr.Markdown("", elem_id="quick-look")
        # The analysis's progress (step, share done, time) shows here, by the button.
        self.create_progress = gr.Markdown("", elem_id="create-progress", min_height=48)


class ProjectsActions:
    """The projects tab's handlers; opening or creating a project fills the review page."""

    def __init__(self, ctx: AppContext, page: ReviewPage, tab: ProjectsTab, tabs: Any) -> None:
        self.ctx, self.page, self.tab, self.tabs = ctx, page, tab, tabs

    def project_list(
        self, request: gr.Request | None, projects: list[ProjectInfo] | None = None
    ) -> Updates:
        """The projects table and the choice of project, for the projects this user may see."""
        projects = self.ctx.visible(request) if projects is None else projects
        table = pd.DataFrame(
            [
                [
                    p.name,
                    len(p.questions),
                    p.version,
                    p.created.replace("T", " ")[:16],
                    p.created_by,
                    framework.name if (framework := open_framework(p)) else p.framework,
                ]
                for p in projects
            ],
            columns=PROJECT_COLUMNS,
        )
        choices = [(f"{p.name} ({p.created[:10]})", p.id) for p in projects]
        return {
            self.tab.projects_table: table,
            self.tab.project_choice: gr.Radio(
                choices=choices, value=choices[0][1] if choices else None
            ),
        }

    @domain_errors
    def list_projects(self, request: gr.Request) -> Updates:
        return self.project_list(request)

    @domain_errors
    def open_project(
        self, project_id: str | None, view: View, name: str, request: gr.Request
    ) -> Updates:
        ctx = self.ctx
        projects = ctx.visible(request)
        if not project_id:
            if not projects:
                raise ThemesError("There are no projects yet: create one from a survey export.")
            project_id = projects[0].id
        ctx.allow(request, project_id, "view")
        state = ctx.store.state(project_id)
        opened = View(project_id, user=ctx.reviewer(name, request))
        return {**render(ctx, self.page, opened, state), self.tabs: gr.Tabs(selected="review")}

    def _preview(self, survey: SurveyFile, table: Table) -> Updates:
        tab = self.tab
        ids = [NO_ID, *id_candidates(table)]
        stem = Path(survey.name).stem.replace("_", " ")
        return {
            tab.pending: survey,
            tab.report: table_report_markdown(table),
            tab.columns: pd.DataFrame(column_rows(table), columns=COLUMN_HEADERS),
            tab.chosen: gr.CheckboxGroup(choices=table.columns, value=list(survey.questions)),
            tab.id_choice: gr.Radio(choices=ids, value=survey.id_column or NO_ID),
            tab.project_name: gr.Textbox(value=stem),
        }

    @domain_errors
    def inspect_upload(
        self, path: str | None, encoding: str, layout: str, previews: bool
    ) -> Updates:
        if not path:
            raise ThemesError("Choose a CSV, TSV or XLSX survey export to upload first.")
        upload = Path(path)
        try:
            survey, table = store_upload(
                upload.read_bytes(),
                upload.name,
                encoding=option(encoding),
                tool=option(layout),
                include_previews=bool(previews),
            )
        finally:
            upload.unlink(missing_ok=True)  # our own copy is kept; Gradio's temporary one is not
        return self._preview(survey, table)

    @domain_errors
    def reread_upload(
        self,
        pending: SurveyFile | None,
        path: str | None,
        encoding: str,
        layout: str,
        previews: bool,
    ) -> Updates:
        """The attached export read again with other settings (encoding, survey tool,
        previews): from our kept copy, since Gradio's is removed once read."""
        if pending is None:
            if path and Path(path).exists():
                return self.inspect_upload(path, encoding, layout, previews)
            raise ThemesError(
                "Attach the survey export again: it could not be read with the earlier settings, "
                "and no copy of it was kept."
            )
        survey, table = store_upload(
            Path(pending.path).read_bytes(),
            pending.name,
            encoding=option(encoding),
            tool=option(layout),
            include_previews=bool(previews),
        )
        return self._preview(survey, table)

    def forget_upload(self) -> Updates:
        """A new file is being attached, or the file was removed: nothing is read yet."""
        tab = self.tab
        return {
            tab.pending: None,
            tab.report: "",
            tab.columns: pd.DataFrame(columns=COLUMN_HEADERS),
            tab.chosen: gr.CheckboxGroup(choices=[]),
            tab.quick_view: "",
        }

    @staticmethod
    def _chosen(pending: SurveyFile | None, questions: list[str], id_column: str) -> SurveyFile:
        """The attached survey with the questions and id column chosen on the page, checked."""
        if pending is None:
            raise ThemesError(
                "No survey export has been read yet: attach a CSV, TSV or XLSX export above and "
                "wait until its columns are listed. If it could not be read, the reason was shown "
                "when you attached it."
            )
        if not questions:
            raise ThemesError("Choose at least one free-text question to analyse.")
        table = pending.read()
        survey = replace(
            pending,
            id_column=None if id_column == NO_ID else id_column,
            questions=tuple(questions),
        )
        for column in [*questions, *([survey.id_column] if survey.id_column else [])]:
            if column not in table.columns:
                raise ThemesError(f"{column!r} is not a column of {survey.name}.")
        return survey

    @domain_errors
    def new_project(
        self,
        pending: SurveyFile | None,
        questions: list[str],
        id_column: str,
        project_name: str,
        framework: str,
        tuning: str,
        name: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Updates:
        ctx = self.ctx
        survey = self._chosen(pending, questions, id_column)

        def report(message: str, fraction: float) -> None:
            progress(fraction, desc=message)

        began = time.monotonic()
        info = create_project(
            ctx.store,
            survey,
            project_name,
            framework=framework or ctx.framework_name,
            embedder=ctx.embedder,
            user=ctx.reviewer(name, request),
            config=ctx.config,
            cache=ctx.cache,
            progress=report,
            tuning=tuning or DEFAULT_TUNING,
        )
        state = ctx.store.state(info.id)
        answers = sum(len(q.answers) for q in state.questions.values())
        return {
            **self.project_list(request),
            **render(ctx, self.page, View(info.id, user=ctx.reviewer(name, request)), state),
            self.tabs: gr.Tabs(selected="review"),
            self.tab.create_progress: f"Created '{md(info.name)}': {answers} answers analysed "
            f"in {time.monotonic() - began:.0f} s. It is open on the Review themes tab.",
        }

    @domain_errors
    def quick_look(
        self,
        pending: SurveyFile | None,
        questions: list[str],
        id_column: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> Updates:
        survey = self._chosen(pending, questions, id_column)

        def report(message: str, fraction: float) -> None:
            progress(fraction, desc=message)

        began = time.monotonic()
        results = quick_look(survey, questions, self.ctx.config, self.ctx.cache, report)
        return {
            self.tab.quick_view: quick_look_markdown(results)
            + f"\n\n_Quick look done in {time.monotonic() - began:.0f} s._"
        }

    @domain_errors
    def share_project(
        self, project_id: str | None, person: str, role: str, name: str, request: gr.Request
    ) -> str:
        ctx = self.ctx
        if not project_id:
            raise ThemesError("Choose the project to share.")
        ctx.allow(request, project_id, "share")
        ctx.store.share(
            project_id, person, None if role == "remove" else role, by=ctx.reviewer(name, request)
        )
        title = ctx.store.info(project_id).name
        if role == "remove":
            return f"{md(person)} no longer has access to '{md(title)}'."
        return f"Shared '{md(title)}' with {md(person)} as {md(role)}."

    @domain_errors
    def delete_project(
        self,
        project_id: str | None,
        confirm: bool,
        view: View,
        name: str,
        request: gr.Request,
    ) -> Updates:
        ctx = self.ctx
        if not project_id:
            raise ThemesError("Choose the project to delete.")
        if not confirm:
            raise ThemesError(
                "Tick 'Yes, delete it' first: this removes the project and its edits."
            )
        ctx.allow(request, project_id, "delete")
        title = ctx.store.info(project_id).name
        # ... and its exports, and the server's copies of them; recorded in the audit
        remove_project(ctx.store, project_id, user=ctx.reviewer(name, request))
        if view.project == project_id:
            view = View()
        return {
            **self.project_list(request),
            self.tab.deleted_note: f"Deleted '{md(title)}' and all its data.",
            self.page.view_state: view,
            self.tab.delete_confirm: False,
        }

    def wire(self, recover: Recover, user_name: Any) -> None:
        tab, page, view_state = self.tab, self.page, self.page.view_state
        listing = [tab.projects_table, tab.project_choice]
        recover(tab.refresh_button.click(self.list_projects, outputs=listing, **PRIVATE))
        recover(
            tab.open_button.click(
                self.open_project,
                inputs=[tab.project_choice, view_state, user_name],
                outputs=[*page.outputs, self.tabs],
                api_name="open_project",
            )
        )
        preview_outputs = [
            tab.pending,
            tab.report,
            tab.columns,
            tab.chosen,
            tab.id_choice,
            tab.project_name,
        ]
        forgotten = [tab.pending, tab.report, tab.columns, tab.chosen, tab.quick_view]
        tab.upload.clear(self.forget_upload, outputs=forgotten, **PRIVATE)
        recover(
            tab.upload.upload(self.forget_upload, outputs=forgotten, **PRIVATE).then(
                self.inspect_upload,
                inputs=[tab.upload, tab.encoding, tab.layout, tab.previews],
                outputs=preview_outputs,
                api_name="inspect_upload",
            )
        )
        for control in (tab.encoding, tab.layout, tab.previews):
            recover(
                control.input(
                    self.reread_upload,
                    inputs=[tab.pending, tab.upload, tab.encoding, tab.layout, tab.previews],
                    outputs=preview_outputs,
                    **PRIVATE,
                )
            )
        recover(
            tab.quick_button.click(
                self.quick_look,
                inputs=[tab.pending, tab.chosen, tab.id_choice],
                outputs=[tab.quick_view],
                api_name="quick_look",
                show_progress_on=[tab.quick_view],
                **ONE_ANALYSIS,
            )
        )
        recover(
            tab.create_button.click(
                self.new_project,
                inputs=[
                    tab.pending,
                    tab.chosen,
                    tab.id_choice,
                    tab.project_name,
                    tab.framework_choice,
                    tab.tuning_choice,
                    user_name,
                ],
                outputs=[*listing, *page.outputs, self.tabs, tab.create_progress],
                api_name="create_project",
                show_progress_on=[tab.create_progress],
                **ONE_ANALYSIS,
            )
        )
        recover(
            tab.delete_button.click(
                self.delete_project,
                inputs=[tab.project_choice, tab.delete_confirm, view_state, user_name],
                outputs=[*listing, tab.deleted_note, view_state, tab.delete_confirm],
                api_name="delete_project",
            )
        )
        recover(
            tab.share_button.click(
                self.share_project,
                inputs=[tab.project_choice, tab.share_person, tab.share_role, user_name],
                outputs=[tab.shared_note],
                api_name="share_project",
            )
        )
