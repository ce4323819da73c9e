"""The "History and export" tab: every edit, the reviewed results as files, the audit, and the
"what we heard" report."""

from __future__ import annotations

import shutil
from typing import Any

import gradio as gr
import pandas as pd

from app.context import AppContext
from app.page import AUDIT_COLUMNS, View, domain_errors, read_only_table
from app.review_actions import Recover
from themes import ThemesError
from themes.project_ops import export_project, write_report
from themes.publish.report import ReportSettings
from themes.review.purge import new_export_folder
from themes.review.tables import HISTORY_COLUMNS


class HistoryTab:
    """The components of the history and export tab; built where the tab is laid out."""

    def __init__(self) -> None:
        self.history = read_only_table(
            headers=HISTORY_COLUMNS,
            label="Every edit, newest first (undone edits stay in the history)",
            column_widths=["5%", "15%", "12%", "56%", "12%"],
            max_height=600,
        )
        self.export_button = gr.Button("Export reviewed results (CSV, XLSX and history)")
        self.export_files = gr.File(label="Reviewed results", file_count="multiple")
        with gr.Accordion(
            "Audit: deletions, exports, reports, shares and refused sign-ins", open=False
        ):
            self.audit_button = gr.Button("Show the audit", size="sm")
            self.audit_table = read_only_table(
                headers=AUDIT_COLUMNS,
                label="Audit, newest first",
                max_height=400,
            )
        gr.Markdown(
            "### Report\nA 'what we heard' report (Word and web page) with themes by "
            "strategy pillar, anonymised quotes and small numbers hidden, and the codebook "
            "for NVivo, ATLAS.ti and MAXQDA (.qdc). Read it before sending it on."
        )
        with gr.Row():
            self.report_title = gr.Textbox(label="Report title", value="What we heard")
            self.report_status = gr.Radio(
                [("Draft for factual accuracy check", "draft"), ("Final", "final")],
                value="draft",
                label="Status",
            )
            self.report_threshold = gr.Number(
                label="Hide counts below", value=10, minimum=1, precision=0
            )
        self.report_button = gr.Button("Make the report", variant="primary")
        self.report_files = gr.File(label="Report", file_count="multiple")


class HistoryActions:
    """Exports, the report and the audit (each recorded in the audit itself)."""

    def __init__(self, ctx: AppContext, tab: HistoryTab) -> None:
        self.ctx, self.tab = ctx, tab

    @domain_errors
    def export(self, view: View, name: str, request: gr.Request) -> list[str]:
        ctx = self.ctx
        state = ctx.state(view, request, "export")
        folder = new_export_folder(state.info.id)
        paths = export_project(ctx.store, state.info.id, folder, user=ctx.reviewer(name, request))
        archive = shutil.make_archive(str(folder / "reviewed-results"), "zip", folder)
        return [archive, *[str(p) for p in paths]]

    @domain_errors
    def make_report(
        self,
        view: View,
        title: str,
        status: str,
        threshold: float | None,
        name: str,
        request: gr.Request,
    ) -> list[str]:
        ctx = self.ctx
        state = ctx.state(view, request, "export")
        folder = new_export_folder(state.info.id)
        paths = write_report(
            ctx.store,
            state.info.id,
            folder,
            ReportSettings(title or "What we heard", status or "draft", int(threshold or 10)),
            user=ctx.reviewer(name, request),
        )
        return [str(p) for p in paths]

    @domain_errors
    def show_audit(self, request: gr.Request) -> pd.DataFrame:
        user = self.ctx.signed_in(request)
        if user is not None and user not in self.ctx.admins:
            raise ThemesError("Only an administrator can read the audit.")
        return pd.DataFrame(self.ctx.store.audit_log(), columns=AUDIT_COLUMNS)

    def wire(self, recover: Recover, view_state: Any, user_name: Any) -> None:
        tab = self.tab
        recover(
            tab.export_button.click(
                self.export,
                inputs=[view_state, user_name],
                outputs=tab.export_files,
                api_name="export",
            )
        )
        recover(
            tab.report_button.click(
                self.make_report,
                inputs=[
                    view_state,
                    tab.report_title,
                    tab.report_status,
                    tab.report_threshold,
                    user_name,
                ],
                outputs=tab.report_files,
                api_name="make_report",
            )
        )
        recover(
            tab.audit_button.click(self.show_audit, outputs=[tab.audit_table], api_name="audit")
        )
