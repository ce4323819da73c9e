"""Creating, opening, exporting and replaying review projects: the calls the app and CLI share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from themes.cache import EmbeddingCache, embed_texts
from themes.config import AnalysisConfig
from themes.embedding import Embedder
from themes.errors import InputError, ReviewError
from themes.framework import Framework, load_framework
from themes.keywords import KeywordIndex
from themes.progress import ProgressFn, no_progress, prefixed, scaled
from themes.projects import ProjectInfo, ProjectState, ProjectStore, log_from_records
from themes.review import QuestionReview, effective, replay
from themes.reviewed import ReviewedQuestion, reviewed_question, write_reviewed
from themes.split import SplitSuggestion, suggest_split
from themes.workspace import SurveyFile, analyse_cached


def create_project(
    store: ProjectStore,
    survey: SurveyFile,
    name: str,
    *,
    framework: str,
    embedder: Embedder,
    user: str,
    questions: Sequence[str] | None = None,
    config: AnalysisConfig | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> ProjectInfo:
    """Analyse the chosen questions of a survey (reusing saved analyses), score the answers
    against the framework, and keep it all as a new project."""
    from themes.mapping import score_answers

    questions = list(questions or survey.questions)
    if not questions:
        raise InputError(
            f"{survey.name} has no free-text question chosen; choose at least one to analyse."
        )
    loaded = load_framework(framework)
    results = []
    for number, question in enumerate(questions):
        step = scaled(progress, number / len(questions), (number + 0.9) / len(questions))
        prefix = f"Question {number + 1} of {len(questions)}: " if len(questions) > 1 else ""
        results.append(
            analyse_cached(
                survey,
                question,
                config,
                embedder=embedder,
                cache=cache,
                progress=prefixed(step, prefix),
            )
        )
    progress("Linking themes to the strategy framework", 0.95)
    scores = {r.question: score_answers(r, loaded, embedder, cache) for r in results}
    info = store.create(
        name, results, framework=framework, user=user, source=survey.name, scores=scores
    )
    progress("Project ready", 1.0)
    return info


def open_framework(info: ProjectInfo) -> Framework | None:
    """The project's framework, or None when its file has gone (the review still opens)."""
    try:
        return load_framework(info.framework)
    except InputError:
        return None


def reviewed_questions(
    store: ProjectStore, state: ProjectState, framework: Framework | None
) -> list[ReviewedQuestion]:
    """Each question of a project as reviewed, with links worked out."""
    results = {r.question: r for r in store.results(state.info.id)}
    return [
        reviewed_question(
            state.questions[q],
            results[q],
            framework,
            store.item_scores(state.info.id, q) if framework is not None else None,
        )
        for q in state.info.questions
    ]


def export_project(store: ProjectStore, project_id: str, out_dir: str | Path) -> list[Path]:
    """Write a project's reviewed themes, coded responses and edit history to a folder."""
    state = store.state(project_id)
    framework = open_framework(state.info)
    return write_reviewed(
        reviewed_questions(store, state, framework),
        framework,
        store.export_log(project_id),
        out_dir,
        state.info.name,
    )


def replay_history(
    store: ProjectStore, project_id: str, records: Sequence[dict[str, Any]]
) -> dict[str, QuestionReview]:
    """The project's analyses with an exported history applied, computed from scratch (without
    the project's own log): the same states the app showed when the history was exported."""
    base = {r.question: QuestionReview.from_result(r) for r in store.results(project_id)}
    indexes = {
        q: KeywordIndex({row: a.text for row, a in review.answers.items()})
        for q, review in base.items()
    }
    done, _ = effective(log_from_records(records))
    return replay(base, [e.edit for e in done if e.edit is not None], indexes)


def suggest_theme_split(
    store: ProjectStore,
    project_id: str,
    question: str,
    theme_id: int,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
) -> SplitSuggestion:
    """A suggested division of one theme of the project as it stands."""
    state = store.state(project_id)
    if question not in state.questions:
        raise ReviewError(f"This project has no question {question!r}.")
    review = state.questions[question]
    rows = review.members(review.theme(theme_id).id)
    vectors, _ = embed_texts([review.answers[r].text for r in rows], embedder, cache)
    return suggest_split(review, theme_id, vectors, store.keyword_index(project_id, question))
