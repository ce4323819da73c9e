"""What the app's screens share while it runs: the project database, the embedding model and
cache, the analysis settings, and who may do what. Nothing per-user lives here: where a browser
tab is travels in the page's own state (``View``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from app.page import View
from themes import AnalysisConfig, ThemesError
from themes.analysis.cache import EmbeddingCache
from themes.frameworks.framework import Framework
from themes.project_ops import reviewed_questions
from themes.review.records import ProjectInfo
from themes.review.store import ProjectState, ProjectStore
from themes.review.tables import ReviewedQuestion


@dataclass(frozen=True)
class AppContext:
    """The read-only things every handler uses (settings, model) and the project database."""

    store: ProjectStore
    embedder: Any
    cache: EmbeddingCache
    config: AnalysisConfig
    framework_name: str
    admins: frozenset[str]

    def signed_in(self, request: gr.Request | None) -> str | None:
        """The signed-in user, or None when the app runs without sign-in (one local user)."""
        return getattr(request, "username", None) if request is not None else None

    def reviewer(self, name: str, request: gr.Request | None) -> str:
        """Who an edit is recorded under: the signed-in user, else the name typed on the page."""
        return self.signed_in(request) or " ".join((name or "").split()) or "anonymous"

    def allow(self, request: gr.Request | None, project_id: str | None, action: str) -> None:
        """Refuse (with a reason) what this user may not do to this project."""
        if not project_id:
            raise ThemesError("Open a project first (Projects tab).")
        user = self.signed_in(request)
        self.store.authorise(project_id, user, action, admin=user in self.admins)

    def visible(self, request: gr.Request | None) -> list[ProjectInfo]:
        """The projects this user may see."""
        user = self.signed_in(request)
        return [
            p
            for p in self.store.projects()
            if user is None
            or user in self.admins
            or p.created_by == user
            or user in self.store.members(p.id)
        ]

    def state(self, view: View, request: gr.Request | None, action: str = "view") -> ProjectState:
        """The latest state of the view's project, when this user may ``action`` it."""
        self.allow(request, view.project, action)
        return self.store.state(view.project or "")

    def question(
        self, state: ProjectState, framework: Framework | None, name: str
    ) -> ReviewedQuestion:
        """One reviewed question of a project state."""
        for q in reviewed_questions(self.store, state, framework, only=name):
            return q
        raise ThemesError(f"This project has no question {name!r}.")
