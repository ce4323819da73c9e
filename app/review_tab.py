"""The "Review themes" tab: its layout (the themes, one theme's detail and edit boxes, its
responses and the choice of rows, redaction settings, a later batch)."""

from __future__ import annotations

import gradio as gr

from app.page import read_only_table
from themes.review.tables import RESPONSE_COLUMNS, REVIEW_COLUMNS


class ReviewTab:
    """The components of the review tab; built where the tab is laid out."""

    def __init__(self) -> None:
        self.heading = gr.Markdown("Open a project on the Projects tab.")
        with gr.Row():
            self.undo_button = gr.Button("Nothing of yours to undo", interactive=False, size="sm")
            self.redo_button = gr.Button("Nothing of yours to redo", interactive=False, size="sm")
            self.reload_button = gr.Button("Reload (see others' changes)", size="sm")
        self.question = gr.Radio(label="Question", choices=[])
        self.summary = gr.Markdown()
        self.themes_table = read_only_table(
            headers=REVIEW_COLUMNS,
            label="Themes (by broad theme, largest first; click a row to review it)",
            column_widths=["4%", "18%", "10%", "10%", "13%", "18%", "18%", "9%"],
            max_height=640,  # about 8 themes in view, not 4
        )
        with gr.Accordion("Chart: respondents per theme", open=False):
            self.chart = gr.BarPlot(
                x="Theme",
                y="Respondents",
                label="Respondents per theme (the table above has the same numbers)",
                sort="-y",
                y_lim=[0, None],  # from zero, so the smallest theme has a bar
                x_label_angle=-30,
                height=320,
            )
        with gr.Accordion("Strategy coverage", open=False):
            self.coverage = gr.Markdown()
        self.theme = gr.Radio(label="Theme to review", choices=[])
        with gr.Row():
            with gr.Column(scale=3):
                self.detail = gr.Markdown()
            with gr.Column(scale=2):
                self._theme_boxes()
        self._responses()
        self._suggestions()
        self._redaction()
        self._later_batch()

    def _suggestions(self) -> None:
        with gr.Accordion("Suggestions from your edits", open=False):
            gr.Markdown(
                "After you move at least 3 answers into a theme, answers that look like them "
                "(unassigned, or in other themes) are offered here for review. Nothing moves "
                "until you accept; accepting is one edit you can undo; a dismissed suggestion "
                "is not offered again."
            )
            self.suggest_button = gr.Button("Find suggestions", size="sm")
            self.suggest_text = gr.Markdown()
            self.suggest_pending = gr.State(None)  # the suggestions found, until acted on
            self.suggest_choice = gr.Radio(label="Suggestion", choices=[])
            with gr.Row():
                self.suggest_accept = gr.Button(
                    "Accept: move these answers", interactive=False, size="sm"
                )
                self.suggest_dismiss = gr.Button("Dismiss", interactive=False, size="sm")

    def _theme_boxes(self) -> None:
        self.label_box = gr.Textbox(label="Theme name", max_lines=1)
        self.name_choice = gr.Dropdown(
            label="Or pick a name its answers support (then Rename)", choices=[], value=None
        )
        self.rename_button = gr.Button("Rename", size="sm")
        self.definition_box = gr.Textbox(label="Definition or memo", lines=3)
        self.define_button = gr.Button("Save definition", size="sm")
        self.minority_box = gr.Checkbox(label="Notable minority view")
        with gr.Accordion("Strategy links", open=False):
            self.links_box = gr.CheckboxGroup(label="Linked strategy items", choices=[])
            with gr.Row():
                self.links_button = gr.Button("Save links", size="sm")
                self.auto_links_button = gr.Button("Use automatic links", size="sm")
        with gr.Accordion("Broad theme", open=False):
            self.group_box = gr.Dropdown(
                label="Broad theme of this theme (pick one or type a new name)",
                choices=[],
                allow_custom_value=True,
            )
            self.group_button = gr.Button("Put this theme under it", size="sm")
            self.group_label = gr.Textbox(
                label="New name for the broad theme chosen above", max_lines=1
            )
            self.group_rename_button = gr.Button("Rename broad theme", size="sm")
        with gr.Accordion("Merge, split or delete", open=False):
            self.merge_box = gr.CheckboxGroup(
                label="Merge these themes into this one (it keeps its name)",
                choices=[],
            )
            self.merge_button = gr.Button("Merge ticked themes", size="sm")
            self.split_button = gr.Button("Suggest a split", size="sm")
            self.split_text = gr.Markdown()
            self.split_groups = gr.State(None)  # the suggested split, until accepted
            self.split_rename = gr.Checkbox(visible=False)
            self.accept_button = gr.Button(
                "Accept the suggested split", interactive=False, size="sm"
            )
            self.delete_confirm = gr.Checkbox(label="Yes, delete this theme")
            self.delete_button = gr.Button(
                "Delete theme (responses become unassigned)",
                variant="stop",
                size="sm",
            )

    def _responses(self) -> None:
        with gr.Row():
            self.search = gr.Textbox(
                label="Search these responses", placeholder="e.g. parking", max_lines=1
            )
            self.page = gr.Number(label="Page", value=1, minimum=1, precision=0)
        self.page_note = gr.Markdown()
        self.responses = read_only_table(
            headers=RESPONSE_COLUMNS,
            label="Responses (click a row to tick it; click again to untick)",
            column_widths=["7%", "6%", "10%", "53%", "7%", "17%"],
            max_height=520,
        )
        with gr.Row():
            self.choose_all_button = gr.Button(
                "Tick all responses matching the search (every page)", size="sm"
            )
            self.clear_button = gr.Button("Untick all", size="sm")
        with gr.Row():
            self.chosen_rows = gr.Textbox(
                label="Chosen response rows (ticked; or type row numbers and press Enter)",
                placeholder="e.g. 12, 15, 40",
                max_lines=1,
            )
            self.move_target = gr.Radio(label="Move them to", choices=[])
            self.new_label = gr.Textbox(label="New theme name (optional)", max_lines=1)
        with gr.Row():
            self.move_button = gr.Button("Move chosen responses", size="sm")
            self.unassign_button = gr.Button("Mark as fitting no theme", size="sm")
            self.quote_button = gr.Button("Use as quotes", size="sm")
            self.unquote_button = gr.Button("Stop using as quotes", size="sm")
        with gr.Row():
            self.mention_button = gr.Button("They also raise the theme chosen above", size="sm")
            self.unmention_button = gr.Button(
                "They do not raise this theme (keep their main theme)", size="sm"
            )

    def _redaction(self) -> None:
        with gr.Accordion("Redaction of quotes for publication", open=False):
            gr.Markdown(
                "Quotes in exports are redacted automatically: emails, phone numbers, NHS "
                "numbers, postcodes and names after a title or role ('Dr Patel', 'nurse "
                "Sarah'). Names written alone are not found by rule: list your staff, "
                "wards and practices here. Read every quote before publishing."
            )
            self.redact_names = gr.Textbox(
                label="Names to redact (one per line or comma-separated)", lines=3
            )
            self.redact_keep = gr.Textbox(
                label="Words never to redact (e.g. a charity's name)", lines=2
            )
            self.redact_outward = gr.Checkbox(
                label="Also redact postcode districts on their own (e.g. 'GL1')"
            )
            self.redact_button = gr.Button("Save redaction settings", size="sm")

    def _later_batch(self) -> None:
        with gr.Accordion("Add a later batch of responses", open=False):
            gr.Markdown(
                "An export with the same questions, collected later. New answers go to the "
                "reviewed theme they are most similar to, or stay unassigned; groups of "
                "unassigned new answers are listed as possible new themes. Nothing you "
                "reviewed is undone."
            )
            self.batch_file = gr.File(
                label="Export with the new responses",
                file_types=[".csv", ".tsv", ".txt", ".xlsx"],
                type="filepath",
            )
            self.batch_button = gr.Button("Add these responses", size="sm")
            self.batch_note = gr.Markdown()
