"""Creating, opening, exporting and replaying review projects: the calls the app and CLI share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from themes.analysis.cache import EmbeddingCache, embed_texts
from themes.analysis.embedding import Embedder
from themes.analysis.keywords import KeywordIndex
from themes.analysis.mentions import ThemeCentres, mentions_near
from themes.analysis.pipeline import AnalysisResult, analysed, as_embedded
from themes.analysis.workspace import SurveyFile, analyse_cached, analysis_folder, owned_upload
from themes.core.config import AnalysisConfig
from themes.core.errors import InputError, ReviewError
from themes.core.progress import ProgressFn, for_question, no_progress, scaled
from themes.frameworks.framework import Framework, load_framework
from themes.frameworks.tuning import DEFAULT_TUNING, check_tuning, framework_embedder
from themes.publish.report import ReportSettings
from themes.review.edits import Edit
from themes.review.exports import write_reviewed
from themes.review.history import effective, replay
from themes.review.records import ProjectInfo, project_name
from themes.review.split import SplitSuggestion, suggest_split
from themes.review.state import QuestionReview
from themes.review.store import ProjectState, ProjectStore, log_from_records
from themes.review.suggestions import Suggestion, dismissed_rows, suggest_moves, taught_rows
from themes.review.tables import ReviewedQuestion, reviewed_question


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
    tuning: str = DEFAULT_TUNING,
) -> ProjectInfo:
    """Analyse the chosen questions of a survey (reusing saved analyses), score the answers
    against the framework, and keep it all as a new project. ``tuning`` says what the model tuned
    to the framework's text is used for (``themes.frameworks.tuning.TUNINGS``): nothing, the
    links to the framework (default), or the links and finding the themes."""
    from themes.analysis.quick_look import is_quick
    from themes.frameworks.mapping import score_answers

    if config is not None and is_quick(config.model):
        raise InputError(
            f"The model {config.model!r} is a quick look's, and a quick look is a preview, not "
            "something to review: set the model without ':quick' to create a project."
        )
    name = project_name(name)  # a refused name must not leave an analysis behind
    questions = _chosen_questions(survey, questions, "analyse")
    loaded = load_framework(framework)
    linking = embedder
    if check_tuning(tuning) != "off":
        linking = framework_embedder(loaded, embedder, scaled(progress, 0.0, 0.1))
    if tuning == "themes":
        embedder = linking
    results = _analyse_each(
        survey, questions, config, embedder, cache, scaled(progress, 0.1, 0.9), share=0.9
    )
    progress("Linking themes to the strategy framework", 0.95)
    scores = {r.question: score_answers(r, loaded, linking, cache) for r in results}
    config = config or AnalysisConfig()
    files = [str(analysis_folder(survey, q, config, embedder.model_id)) for q in questions] + [
        f for f in [owned_upload(survey)] if f
    ]
    info = store.create(
        name,
        results,
        framework=framework,
        user=user,
        source=survey.name,
        scores=scores,
        files=files,
        demographics=survey_demographics(survey),
    )
    progress("Project ready", 1.0)
    return info


def quick_look(
    survey: SurveyFile,
    questions: Sequence[str] | None = None,
    config: AnalysisConfig | None = None,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> list[AnalysisResult]:
    """A quick look at the chosen questions (``themes.analysis.quick_look``): a preview of their
    themes in seconds, saved like any analysis but never made a project."""
    from themes.analysis.embedding import make_embedder
    from themes.analysis.quick_look import quick_config

    questions = _chosen_questions(survey, questions, "look at")
    config = quick_config(config)
    embedder = make_embedder(config.model, config.batch_size)
    results = _analyse_each(survey, questions, config, embedder, cache, progress)
    progress("Quick look ready", 1.0)
    return results


def _chosen_questions(survey: SurveyFile, questions: Sequence[str] | None, verb: str) -> list[str]:
    """The questions asked for (default: the survey's chosen ones); at least one."""
    chosen = list(questions or survey.questions)
    if not chosen:
        raise InputError(
            f"{survey.name} has no free-text question chosen; choose at least one to {verb}."
        )
    return chosen


def _analyse_each(
    survey: SurveyFile,
    questions: Sequence[str],
    config: AnalysisConfig | None,
    embedder: Embedder,
    cache: EmbeddingCache | None,
    progress: ProgressFn,
    share: float = 1.0,
) -> list[AnalysisResult]:
    """Each question's analysis (saved ones reused), with its part of ``progress``."""
    return [
        analyse_cached(
            survey,
            question,
            config,
            embedder=embedder,
            cache=cache,
            progress=for_question(progress, number, len(questions), share=share),
        )
        for number, question in enumerate(questions)
    ]


def survey_demographics(survey: SurveyFile) -> dict[str, dict[str, str]]:
    """Each demographic column's answer per respondent (first submission when repeated)."""
    table = survey.read()
    id_column = survey.id_column
    frame = table.frame
    ids = (
        [str(v) for v in frame[id_column].tolist()]
        if id_column and id_column in frame.columns
        else [str(i + 1) for i in range(len(frame))]
    )
    found: dict[str, dict[str, str]] = {}
    for column in table.roles.demographic:
        values: dict[str, str] = {}
        for respondent, value in zip(ids, frame[column].tolist(), strict=True):
            values.setdefault(respondent, str(value).strip())
        found[column] = values
    return found


def open_framework(info: ProjectInfo) -> Framework | None:
    """The project's framework, or None when its file has gone (the review still opens)."""
    try:
        return load_framework(info.framework)
    except InputError:
        return None


def reviewed_questions(
    store: ProjectStore,
    state: ProjectState,
    framework: Framework | None,
    only: str | None = None,
) -> list[ReviewedQuestion]:
    """Each question of a project as reviewed, with links worked out (just ``only`` if given)."""
    results = {r.question: r for r in store.results(state.info.id)}
    return [
        reviewed_question(
            state.questions[q],
            results[q],
            framework,
            store.item_scores(state.info.id, q) if framework is not None else None,
        )
        for q in state.info.questions
        if only is None or q == only
    ]


LOCAL_USER = "command line"


def export_project(
    store: ProjectStore, project_id: str, out_dir: str | Path, user: str = LOCAL_USER
) -> list[Path]:
    """Write a project's reviewed themes, coded responses and edit history to a folder (the
    export is recorded in the audit, with who asked for it)."""
    state = store.state(project_id)
    framework = open_framework(state.info)
    paths = write_reviewed(
        reviewed_questions(store, state, framework),
        framework,
        store.export_log(project_id),
        out_dir,
        state.info.name,
    )
    store.record(user, "export", project_id, state.info.name, f"version {state.version}")
    return paths


def write_report(
    store: ProjectStore,
    project_id: str,
    out_dir: str | Path,
    settings: ReportSettings | None = None,
    user: str = LOCAL_USER,
) -> list[Path]:
    """Write the project's "what we heard" report as ``report.docx`` and ``report.html``, and
    the codebook for NVivo, ATLAS.ti and MAXQDA as ``codebook.qdc``."""
    from themes.publish.docx import render_docx
    from themes.publish.html import render_html
    from themes.publish.qdc import codebook_qdc
    from themes.publish.report import build_report

    state = store.state(project_id)
    framework = open_framework(state.info)
    questions = reviewed_questions(store, state, framework)
    document = build_report(state, questions, framework, store.demographics(project_id), settings)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docx, html, qdc = out / "report.docx", out / "report.html", out / "codebook.qdc"
    docx.write_bytes(render_docx(document))
    html.write_text(render_html(document), encoding="utf-8")
    qdc.write_bytes(codebook_qdc(project_id, questions, framework))
    store.record(user, "report", project_id, state.info.name, f"version {state.version}")
    return [docx, html, qdc]


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


MIN_CANDIDATE = 3


def _candidates(
    rows: list[int], vectors: np.ndarray, index: KeywordIndex, distance: float = 0.5
) -> list[dict[str, Any]]:
    """Groups of at least ``MIN_CANDIDATE`` similar answers among those that fit no theme."""
    if len(rows) < 2 * MIN_CANDIDATE:
        return []
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    ).fit_predict(vectors)
    groups = []
    for label in np.unique(labels):
        members = [rows[i] for i in np.flatnonzero(labels == label)]
        if len(members) >= MIN_CANDIDATE:
            keywords = index.keywords(members, n_themes=max(2, len(np.unique(labels))))
            groups.append({"label": index.label(members, keywords), "rows": members})
    return sorted(groups, key=lambda g: -len(g["rows"]))


def add_batch(
    store: ProjectStore,
    project_id: str,
    path: str | Path,
    *,
    embedder: Embedder,
    user: str,
    batch: str | None = None,
    encoding: str | None = None,
    tool: str | None = None,
    id_column: str | None = None,
    threshold: float = 0.45,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn = no_progress,
) -> ProjectState:
    """Add a later batch of responses (same questions) to a reviewed project. Each new answer goes
    to the reviewed theme whose current centre it is most similar to (at least ``threshold``),
    else stays unassigned; groups of unassigned new answers are flagged as possible new themes.
    No reviewer edit is undone: the batch is one more edit in the history, for each question."""
    from themes.analysis.no_change import KIND as NO_CHANGE
    from themes.analysis.no_change import joins_by_rule
    from themes.ingest.reading import read_table, responses_from_table

    path = Path(path)
    table = read_table(path, encoding=encoding, tool=tool)
    state = store.state(project_id)
    missing = [q for q in state.info.questions if q not in table.columns]
    if missing:
        raise InputError(
            f"{path.name} has no column {missing[0]!r}; a later batch must have the same questions "
            f"as the project ({len(state.info.questions)}). Its columns: {', '.join(table.columns[:12])}."
        )
    name = batch or path.name
    for number, question in enumerate(state.info.questions):
        progress(
            f"Placing new answers to question {number + 1}", number / len(state.info.questions)
        )
        state = store.state(project_id)
        review = state.questions[question]
        result = next(r for r in store.results(project_id) if r.question == question)
        offset = max([r.row for r in result.rows] + [a.row for a in review.added] + [0])
        responses = responses_from_table(table, question, id_column=id_column)
        seen = {
            (a.respondent_id, " ".join(a.text.lower().split())) for a in review.answers.values()
        }
        group = next((t.id for t in review.themes.values() if t.kind == NO_CHANGE), None)
        takes_no = group is not None and bool(result.provenance.get("no_change_takes_no"))
        rows: list[dict[str, Any]] = []
        new_text: list[tuple[int, str]] = []
        for item in responses.items:
            row = offset + item.row
            key = (item.respondent_id, " ".join(item.text.lower().split()))
            answer = analysed(item, takes_no)  # as the project's own analysis did
            if answer and key in seen:
                outcome = "duplicate"
            elif answer:
                outcome = "answer"
                seen.add(key)
                new_text.append((row, item.text))
            else:
                outcome = item.status.value
            rows.append(
                {
                    "row": row,
                    "respondent_id": item.respondent_id,
                    "text": item.text,
                    "outcome": outcome,
                    "theme": None,
                }
            )
        candidates: list[dict[str, Any]] = []
        if new_text:
            # masked with the question's answers, so a name any of them shows is masked here
            as_read, read = _answers_as_embedded(review, cache, [t for _, t in new_text])
            vectors, _ = embed_texts(read, embedder, cache)
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            theme_ids = [t for t in review.themes if review.members(t) and t != group]
            best: dict[int, int] = {}
            if group is not None:  # 'nothing needs to change', by the same rules as the analysis
                best = {row: group for row, text in new_text if joins_by_rule(text, takes_no)}
            also: dict[int, tuple[int, ...]] = {}
            if theme_ids:
                centres, typical = [], []
                for theme_id in theme_ids:
                    members = review.members(theme_id)
                    member_vectors, _ = embed_texts([as_read[r] for r in members], embedder, cache)
                    centre = member_vectors.mean(axis=0)
                    centres.append(centre / (np.linalg.norm(centre) or 1.0))
                    typical.append(float(np.median(member_vectors @ centres[-1])))
                sims = vectors @ np.asarray(centres).T
                for i, (row, _) in enumerate(new_text):
                    j = int(np.argmax(sims[i]))
                    if row not in best and sims[i, j] >= threshold:
                        best[row] = theme_ids[j]
                fit = result.provenance.get("config", {}).get("also_mentions")
                if fit is not None:  # as the project's own analysis did
                    found = mentions_near(
                        read,
                        [best.get(row) for row, _ in new_text],
                        ThemeCentres(tuple(theme_ids), np.asarray(centres), tuple(typical)),
                        embedder,
                        fit=fit,
                        cache=cache,
                    )
                    also = {row: found.also[i] for i, (row, _) in enumerate(new_text)}
            for record in rows:
                record["theme"] = best.get(record["row"])
                if also.get(record["row"]):
                    record["also"] = list(also[record["row"]])
            left = [i for i, (row, _) in enumerate(new_text) if row not in best]
            texts = {r: a.text for r, a in review.answers.items()} | dict(new_text)
            candidates = _candidates(
                [new_text[i][0] for i in left], vectors[left], KeywordIndex(texts)
            )
        state = store.edit(
            project_id,
            Edit(
                "add_responses",
                question,
                {"batch": name, "rows": rows, "candidates": candidates},
            ),
            user=user,
            version=state.version,
        )
    progress("Batch added", 1.0)
    return state


def _answers_as_embedded(
    review: QuestionReview, cache: EmbeddingCache | None, new: Sequence[str] = ()
) -> tuple[dict[int, str], list[str]]:
    """Each answer of the question as the sentence model reads it (``as_embedded``), by row,
    and so for ``new`` answers: names are masked over all of them together, as the analysis
    masked the question's answers."""
    rows = sorted(review.answers)
    read = as_embedded([review.answers[r].text for r in rows] + list(new), cache)
    return dict(zip(rows, read, strict=False)), read[len(rows) :]


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
    as_read = _answers_as_embedded(review, cache)[0]
    vectors, _ = embed_texts([as_read[r] for r in rows], embedder, cache)
    return suggest_split(review, theme_id, vectors, store.keyword_index(project_id, question))


def project_suggestions(
    store: ProjectStore,
    project_id: str,
    question: str,
    *,
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
) -> list[Suggestion]:
    """What the reviewers' edits in effect teach about one question: answers that look like the
    ones moved into a theme (``themes.review.suggestions``); nothing is changed."""
    state = store.state(project_id)
    if question not in state.questions:
        raise InputError(
            f"{question!r} is not a question of this project; its questions: "
            f"{', '.join(repr(q) for q in state.questions)}."
        )
    review = state.questions[question]
    taught = taught_rows(review, state.undoable)
    if not taught:
        return []
    rows = sorted(review.answers)
    as_read = _answers_as_embedded(review, cache)[0]
    vectors, _ = embed_texts([as_read[r] for r in rows], embedder, cache)
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    labels = {t.id: t.label for t in review.themes.values() if not t.kind}
    return suggest_moves(
        rows,
        vectors,
        review.assignment,
        taught,
        labels,
        dismissed_rows(review, state.undoable),
    )


def other_names(
    store: ProjectStore,
    project_id: str,
    review: QuestionReview,
    theme_id: int,
    wait: bool = True,
) -> list[tuple[str, float]]:
    """Names the answers of one theme, as it stands, support besides its own, each with the
    share of its answers that hold its rarest word (``KeywordIndex.label_options``); none for
    the 'nothing needs to change' group. Without ``wait``, none until the question's keyword
    index is built (it is then built in the background): a page never waits for them."""
    theme = review.theme(theme_id)
    if theme.kind:
        return []
    if wait:
        index: KeywordIndex | None = store.keyword_index(project_id, review.question)
    else:
        index = store.ready_keyword_index(project_id, review.question)
    if index is None:
        return []
    options = index.label_options(review.members(theme.id), theme.keywords)
    return [(name, share) for name, share in options if name.lower() != theme.label.lower()]
