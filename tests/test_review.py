"""Review edits as domain operations: each edit type, validation, undo/redo and replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes.analysis.keywords import KeywordIndex
from themes.analysis.pipeline import AnalysisResult, Outcome, RowResult
from themes.analysis.theme_model import Theme
from themes.core.errors import ConflictError, InputError, ReviewError
from themes.review.database import MIGRATIONS
from themes.review.edits import Edit, apply_edit
from themes.review.history import effective, replay
from themes.review.state import QuestionReview
from themes.review.store import ProjectStore, log_from_records

Q = "What could we do better?"
TEXTS = {
    "gp": [
        "Impossible to get a GP appointment",
        "Waited weeks for a GP appointment",
        "Phone the GP surgery at 8am and the appointments are gone",
        "GP appointment system is hopeless",
    ],
    "dentist": [
        "Cannot find an NHS dentist anywhere",
        "No NHS dentist taking patients",
        "Dentist waiting list is years long",
    ],
    "parking": [
        "Hospital parking is too expensive",
        "Parking at the hospital costs a fortune",
        "Not enough parking spaces at the hospital",
    ],
}


def make_result() -> AnalysisResult:
    rows: list[RowResult] = []
    themes = []
    for theme_id, (key, texts) in enumerate(TEXTS.items()):
        first = len(rows) + 1
        for text in texts:
            n = len(rows) + 1
            rows.append(RowResult(n, f"R{n}", text, Outcome.THEMED, theme_id, 0.8, False))
        themes.append(Theme(theme_id, key.title(), (key,), len(texts), (first,)))
    n = len(rows) + 1
    rows.append(RowResult(n, f"R{n}", "Lovely weather", Outcome.OUTLIER, None, 0.1, False))
    rows.append(RowResult(n + 1, f"R{n + 1}", "", Outcome.EMPTY, None, None, False))
    return AnalysisResult(Q, tuple(themes), tuple(rows), {"model": "test"})


@pytest.fixture
def base() -> QuestionReview:
    return QuestionReview.from_result(make_result())


@pytest.fixture
def index(base: QuestionReview) -> KeywordIndex:
    return KeywordIndex({r: a.text for r, a in base.answers.items()})


def run(state: QuestionReview, index: KeywordIndex, op: str, **args: object) -> QuestionReview:
    new, summary = apply_edit(state, Edit(op, Q, dict(args)), index)
    assert summary
    return new


def test_from_result_keeps_every_answer_and_no_empty_rows(base: QuestionReview) -> None:
    assert len(base.answers) == 11  # 10 themed + 1 outlier; the empty row cannot carry a theme
    assert base.sizes() == {0: 4, 1: 3, 2: 3}
    assert base.unassigned() == [11]


def test_rename_define_flag_quote(base: QuestionReview, index: KeywordIndex) -> None:
    state = run(base, index, "rename", theme=0, label="  GP   appointments ")
    state = run(state, index, "define", theme=0, definition="Getting a GP appointment.")
    state = run(state, index, "flag_minority", theme=2, flag=True)
    state = run(state, index, "mark_quote", row=2)
    assert state.themes[0].label == "GP appointments"
    assert state.themes[0].definition == "Getting a GP appointment."
    assert state.themes[2].minority
    assert state.themes[0].quotes == (2,)
    state = run(state, index, "mark_quote", row=2, flag=False)
    assert state.themes[0].quotes == ()
    assert base.themes[0].label == "Gp"  # the original state is untouched


def test_merge_keeps_target_name_and_moves_every_response(
    base: QuestionReview, index: KeywordIndex
) -> None:
    state = run(base, index, "rename", theme=0, label="Access")
    state = run(state, index, "mark_quote", row=5)
    state = run(state, index, "merge", themes=[1], into=0)
    assert 1 not in state.themes
    assert state.themes[0].label == "Access"
    assert state.sizes()[0] == 7
    assert 5 in state.themes[0].quotes
    assert any("dentist" in k for k in state.themes[0].keywords)
    assert len(state.answers) == sum(state.sizes().values()) + len(state.unassigned())


def test_split_makes_new_themes_with_labels(base: QuestionReview, index: KeywordIndex) -> None:
    state = run(base, index, "merge", themes=[1], into=0)
    state = run(state, index, "split", theme=0, groups=[{"rows": [5, 6, 7]}])
    new_id = max(state.themes)
    assert state.members(new_id) == [5, 6, 7]
    assert state.themes[new_id].origin == "split"
    assert "dentist" in state.themes[new_id].label.lower()
    assert state.members(0) == [1, 2, 3, 4]
    assert "dentist" not in " ".join(state.themes[0].keywords)


def test_move_to_theme_new_theme_and_unassign(base: QuestionReview, index: KeywordIndex) -> None:
    state = run(base, index, "move", rows=[1], to=1)
    assert state.assignment[1] == 1
    state = run(state, index, "move", rows=[8, 9], new_label="Hospital parking")
    new_id = max(state.themes)
    assert state.themes[new_id].label == "Hospital parking" and state.members(new_id) == [8, 9]
    state = run(state, index, "unassign", rows=[10])
    assert state.assignment[10] is None and 10 in state.unassigned()


def test_delete_leaves_responses_unassigned_not_lost(
    base: QuestionReview, index: KeywordIndex
) -> None:
    state = run(base, index, "delete", theme=2)
    assert 2 not in state.themes
    assert {8, 9, 10} <= set(state.unassigned())
    assert len(state.assignment) == len(base.assignment)


def test_links_kept_apart_from_automatic(base: QuestionReview, index: KeywordIndex) -> None:
    assert base.themes[0].links is None  # automatic
    state = run(base, index, "set_links", theme=0, items=["P3.1", "C3"])
    assert state.themes[0].links == ("P3.1", "C3")
    state = run(state, index, "set_links", theme=0, items=[])
    assert state.themes[0].links == ()  # the reviewer says: fits no pillar
    state = run(state, index, "set_links", theme=0, items=None)
    assert state.themes[0].links is None


def test_broad_themes_are_set_renamed_and_inherited(
    base: QuestionReview, index: KeywordIndex
) -> None:
    assert base.groups() == []
    state = run(base, index, "set_group", themes=[0, 1], group="Getting care")
    state = run(state, index, "set_group", themes=[2], group="getting CARE")  # same broad theme
    assert {t.group for t in state.themes.values()} == {"Getting care"}
    state = run(state, index, "set_group", themes=[2], group="Hospitals")
    assert state.groups() == ["Getting care", "Hospitals"]  # largest first
    state = run(state, index, "rename_group", group="Getting care", label="Access")
    assert [state.themes[t].group for t in (0, 1, 2)] == ["Access", "Access", "Hospitals"]
    state = run(state, index, "split", theme=0, groups=[{"rows": [1, 2]}])
    assert state.themes[max(state.themes)].group == "Access"  # a split part stays under it
    state = run(state, index, "merge", themes=[2], into=1)
    assert state.groups() == ["Access"]  # the theme that stays keeps its broad theme
    state = run(state, index, "rename_group", group="Access", label="Hospitals")
    state = run(state, index, "set_group", themes=[1], group="")
    assert state.themes[1].group == "" and state.groups() == ["Hospitals"]


@pytest.mark.parametrize(
    ("op", "args", "message"),
    [
        ("rename", {"theme": 9, "label": "x"}, "no theme 9"),
        ("set_group", {"themes": [], "group": "x"}, "at least one theme"),
        ("set_group", {"themes": [7], "group": "x"}, "no theme 7"),
        ("rename_group", {"group": "Nothing", "label": "x"}, "no broad theme 'Nothing'"),
        ("rename_group", {"group": "", "label": "x"}, "cannot be empty"),
        ("rename", {"theme": 0, "label": "   "}, "cannot be empty"),
        ("rename", {"theme": 0, "label": "x" * 200}, "under 120"),
        ("merge", {"themes": [0], "into": 0}, "into itself"),
        ("merge", {"themes": [], "into": 0}, "at least one"),
        ("split", {"theme": 0, "groups": [{"rows": [5]}]}, "not in 'Gp'"),
        ("split", {"theme": 0, "groups": [{"rows": [1]}, {"rows": [1, 2]}]}, "more than one"),
        ("move", {"rows": [12], "to": 0}, "Row 12 is not an answer"),
        ("move", {"rows": "1", "to": 0}, "non-empty list"),
        ("mark_quote", {"row": 11}, "has no theme"),
        ("flag_minority", {"theme": 0, "flag": "yes"}, "true or false"),
        ("explode", {}, "Unknown edit"),
    ],
)
def test_invalid_edits_are_refused_with_a_reason(
    base: QuestionReview, index: KeywordIndex, op: str, args: dict[str, object], message: str
) -> None:
    with pytest.raises(ReviewError, match=message):
        apply_edit(base, Edit(op, Q, args), index)


def test_effective_handles_undo_and_redo() -> None:
    from themes.review.history import LogEntry

    e = Edit("rename", Q, {"theme": 0, "label": "A"})
    log = [
        LogEntry(1, "edit", e, "u", "t", "1"),
        LogEntry(2, "edit", e, "u", "t", "2"),
        LogEntry(3, "undo", None, "u", "t", "", target=2),
        LogEntry(4, "undo", None, "u", "t", "", target=1),
        LogEntry(5, "redo", None, "u", "t", "", target=1),
    ]
    done, undone = effective(log)
    assert [d.seq for d in done] == [1] and [u.seq for u in undone] == [2]
    log.append(LogEntry(6, "edit", e, "u", "t", "6"))
    done, undone = effective(log)
    assert [d.seq for d in done] == [1, 6] and undone == []  # a new edit clears redo


@pytest.fixture
def store(tmp_path: Path) -> ProjectStore:
    return ProjectStore(tmp_path / "projects.sqlite")


def test_store_edits_persist_and_replay_to_the_same_state(
    store: ProjectStore, tmp_path: Path
) -> None:
    info = store.create("Winter survey", [make_result()], framework="gloucestershire", user="amy")
    assert store.schema_version() == len(MIGRATIONS)
    state = store.edit(
        info.id, Edit("rename", Q, {"theme": 0, "label": "GP access"}), user="amy", version=0
    )
    state = store.edit(info.id, Edit("merge", Q, {"themes": [1], "into": 0}), user="bo", version=1)
    state = store.edit(
        info.id, Edit("move", Q, {"rows": [8], "new_label": "Parking"}), user="amy", version=2
    )
    state = store.undo(info.id, user="amy", version=3)
    assert state.version == 4 and len(state.redoable) == 1
    # A fresh store on the same file (a restarted server) sees exactly the same state.
    again = ProjectStore(tmp_path / "projects.sqlite").state(info.id)
    assert again.questions[Q] == state.questions[Q]
    assert [e.summary for e in again.log][-1].startswith("Undid: Moved 1 response")
    # The exported history replays to the same result outside the store.
    records = store.export_log(info.id)
    done, _ = effective(log_from_records(records))
    base = {Q: QuestionReview.from_result(make_result())}
    index = {Q: KeywordIndex({r: a.text for r, a in base[Q].answers.items()})}
    replayed = replay(base, [d.edit for d in done if d.edit], index)
    assert replayed[Q] == state.questions[Q]
    assert {r["user"] for r in records} == {"amy", "bo"}


def test_store_refuses_stale_versions(store: ProjectStore) -> None:
    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    store.edit(info.id, Edit("rename", Q, {"theme": 0, "label": "Mine"}), user="amy", version=0)
    with pytest.raises(ConflictError, match=r"amy changed the name of theme 'Mine' \(version 1"):
        store.edit(
            info.id, Edit("rename", Q, {"theme": 0, "label": "Theirs"}), user="bo", version=0
        )
    assert store.state(info.id).questions[Q].themes[0].label == "Mine"


def test_invalid_edit_changes_nothing(store: ProjectStore) -> None:
    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    with pytest.raises(ReviewError):
        store.edit(info.id, Edit("merge", Q, {"themes": [7], "into": 0}), user="amy", version=0)
    assert store.state(info.id).version == 0 and store.export_log(info.id) == []
    with pytest.raises(ReviewError, match="nothing to undo"):
        store.undo(info.id, user="amy", version=0)


def test_projects_are_listed_and_deleted(store: ProjectStore) -> None:
    a = store.create("A", [make_result()], framework="gloucestershire", user="amy")
    b = store.create("B", [make_result()], framework="gloucestershire", user="amy")
    assert {p.name for p in store.projects()} == {"A", "B"}
    store.delete(a.id)
    assert [p.id for p in store.projects()] == [b.id]
    with pytest.raises(ReviewError, match="no project"):
        store.state(a.id)
    assert store.results(b.id)[0].rows == make_result().rows


def test_suggested_split_separates_distinct_groups(
    base: QuestionReview, index: KeywordIndex
) -> None:
    import numpy as np

    from themes.analysis.embedding import make_embedder
    from themes.review.split import suggest_split

    state = run(base, index, "merge", themes=[1, 2], into=0)
    rows = state.members(0)
    vectors = make_embedder("hashing").embed([state.answers[r].text for r in rows])
    suggestion = suggest_split(state, 0, np.asarray(vectors), index, max_groups=3)
    groups = [set(g[2]) for g in suggestion.groups]
    assert sum(len(g) for g in groups) == len(rows)
    assert {1, 2, 3, 4} in groups or any({1, 2, 4} <= g for g in groups)
    split = run(state, index, "split", theme=0, groups=suggestion.as_edit_groups())
    assert len(split.themes) == len(groups)
    assert split.themes[0].label == state.themes[0].label  # no name given: it keeps its own
    named = run(
        state, index, "split", theme=0, groups=suggestion.as_edit_groups(), label="What stays"
    )
    assert named.themes[0].label == "What stays"  # a name for the part that stays, if given
    assert [named.themes[t].label for t in sorted(named.themes)[-len(groups) + 1 :]] == [
        g[0] for g in suggestion.groups[1:]
    ]
    with pytest.raises(ReviewError, match="at least 6"):
        suggest_split(base, 1, np.zeros((3, 4)), index)


def test_project_cli_edit_undo_history_export_replay_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from themes.cli import main

    db = tmp_path / "p.sqlite"
    info = ProjectStore(db).create("CLI", [make_result()], framework="gloucestershire", user="amy")
    base = ["project", "--db", str(db), "--user", "amy"]
    assert main([*base, "list"]) == 0
    assert info.id in capsys.readouterr().out
    edit = ["edit", info.id, "--op", "merge", "--args", '{"themes": [1], "into": 0}']
    assert main([*base, *edit]) == 0
    assert "Merged 'Dentist' into 'Gp' (3 responses moved)" in capsys.readouterr().out
    assert main([*base, "edit", info.id, "--op", "rename", "--args", "{bad"]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main([*base, "undo", info.id]) == 0 and main([*base, "redo", info.id]) == 0
    group = ["edit", info.id, "--op", "set_group", "--args", '{"themes": [0], "group": "Access"}']
    assert main([*base, *group]) == 0
    capsys.readouterr()
    assert main([*base, "show", info.id]) == 0
    shown = capsys.readouterr().out
    assert "  Access\n" in shown and "(no broad theme)" in shown  # themes listed by broad theme
    assert "other names" not in shown
    assert main([*base, "show", info.id, "--names"]) == 0
    named = capsys.readouterr().out
    # under the merged theme, names from what it now holds, each with the share behind it
    assert "other names: GP appointment (57%); GP appointment, dentist (43%)" in named
    assert main([*base, "history", info.id]) == 0
    assert "[redo]" in capsys.readouterr().out
    assert main([*base, "export", info.id, "--out", str(tmp_path / "out")]) == 0
    replay_args = ["replay", info.id, str(tmp_path / "out" / "history.json")]
    assert main([*base, *replay_args, "--out", str(tmp_path / "again")]) == 0
    for name in ("themes.csv", "responses.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    assert main([*base, "delete", info.id]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main([*base, "delete", info.id, "--yes"]) == 0
    assert ProjectStore(db).projects() == []


def test_later_batch_is_placed_in_reviewed_themes_without_undoing_edits(
    store: ProjectStore, tmp_path: Path
) -> None:
    from themes.analysis.embedding import make_embedder
    from themes.project_ops import add_batch, export_project

    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    store.edit(
        info.id, Edit("rename", Q, {"theme": 0, "label": "GP access"}), user="amy", version=0
    )
    batch = tmp_path / "batch.csv"
    lines = [
        "Respondent ID,What could we do better?",
        "B1,Impossible to get a GP appointment",  # a reviewed theme
        "B2,Cannot find an NHS dentist anywhere",
        "B3,",  # empty
        "B4,n/a",  # non-answer
        "R1,Impossible to get a GP appointment",  # the same person's answer again
    ] + [f"B{i},Loud music from the neighbours at night again {i}" for i in range(5, 12)]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    state = add_batch(
        store, info.id, batch, embedder=make_embedder("hashing"), user="amy", threshold=0.5
    )
    review = state.questions[Q]
    assert review.themes[0].label == "GP access"  # the reviewer's edit is kept
    by_respondent = {a.respondent_id: a for a in review.added}
    assert len(review.added) == 12  # every row of the batch is accounted for
    assert by_respondent["B3"].outcome == "empty" and by_respondent["B4"].outcome == "non_answer"
    assert by_respondent["R1"].outcome == "duplicate"
    assert review.assignment[by_respondent["B1"].row] == 0
    assert review.assignment[by_respondent["B2"].row] == 1
    music = [a.row for a in review.added if a.text.startswith("Loud music")]
    assert all(review.assignment[r] is None for r in music)
    assert review.candidates and set(review.candidates[0].rows) <= set(music)
    assert "Added 12 rows from 'batch.csv'" in state.log[-1].summary
    # The batch is one edit: undo removes it, redo brings it back, and exports list every row.
    undone = store.undo(info.id, user="amy", version=state.version)
    assert undone.questions[Q].added == ()
    redone = store.redo(info.id, user="amy", version=undone.version)
    assert redone.questions[Q] == review
    paths = export_project(store, info.id, tmp_path / "out")
    assert (tmp_path / "out" / "responses.csv").read_text(encoding="utf-8-sig").count(
        "batch.csv"
    ) == 12
    assert paths
    with pytest.raises(InputError, match="same questions"):
        other = tmp_path / "other.csv"
        other.write_text("id,Something else\n1,hello\n", encoding="utf-8")
        add_batch(store, info.id, other, embedder=make_embedder("hashing"), user="amy")


def test_old_database_is_migrated_and_project_files_go_with_the_project(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as old:  # a database written by the first schema
        for statement in MIGRATIONS[0].split(";"):
            if statement.strip():
                old.execute(statement)
        old.execute("PRAGMA user_version = 1")
        old.execute(
            "INSERT INTO projects (id, name, created, created_by, framework) "
            "VALUES ('abc', 'Old', '2026-01-01', 'amy', 'gloucestershire')"
        )
    store = ProjectStore(db)
    assert store.schema_version() == len(MIGRATIONS)
    assert store.info("abc").name == "Old"
    upload, analysis = tmp_path / "upload.csv", tmp_path / "analysis"
    upload.write_text("text\n")
    analysis.mkdir()
    (analysis / "result.json").write_text("{}")
    info = store.create(
        "New",
        [make_result()],
        framework="gloucestershire",
        user="amy",
        files=[str(upload), str(analysis)],
    )
    assert sorted(store.delete(info.id)) == sorted([str(upload), str(analysis)])
    assert not upload.exists() and not analysis.exists()


def test_export_workbook_has_the_three_tables(store: ProjectStore, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from themes.project_ops import export_project

    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    store.edit(
        info.id, Edit("rename", Q, {"theme": 0, "label": "=HYPERLINK(1)"}), user="amy", version=0
    )
    export_project(store, info.id, tmp_path)
    workbook = load_workbook(tmp_path / "reviewed-results.xlsx")
    assert workbook.sheetnames == ["Codebook", "Coded responses", "Edit history"]
    codebook = workbook["Codebook"]
    labels = [c.value for c in codebook["C"]][1:]
    assert "'=HYPERLINK(1)" in labels
    assert workbook["Coded responses"].max_row == 1 + len(make_result().rows)


def test_deleted_project_text_is_not_left_in_the_database_file(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "p.sqlite"
    store = ProjectStore(db)
    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    with sqlite3.connect(db) as raw:  # the text is in the main file, not only in the log
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    secret = b"Impossible to get a GP appointment"
    assert secret in db.read_bytes()
    store.delete(info.id)
    wal = db.with_name(db.name + "-wal")
    assert secret not in db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_bad_batch_edits_are_refused(base: QuestionReview, index: KeywordIndex) -> None:
    row = {"row": 99, "respondent_id": "x", "text": "hello", "outcome": "answer"}
    bad = [
        ({"batch": "b", "rows": []}, "at least one row"),
        ({"batch": "b", "rows": [{**row, "row": 1}]}, "already in this question"),
        ({"batch": "b", "rows": [{**row, "outcome": "maybe"}]}, "outcome must be one of"),
        ({"batch": "b", "rows": [row], "candidates": [{"rows": ["x"]}]}, "list of row numbers"),
        ({"batch": "b", "rows": [{"row": 100}]}, "needs row, respondent_id"),
    ]
    for args, message in bad:
        with pytest.raises(ReviewError, match=message):
            apply_edit(base, Edit("add_responses", Q, args), index)


def test_a_later_batch_embeds_answers_as_the_analysis_does(
    store: ProjectStore, tmp_path: Path
) -> None:
    from themes import HashingEmbedder
    from themes.project_ops import add_batch

    class Seeing(HashingEmbedder):
        seen: list[str] = []

        def embed(self, texts, progress=lambda m, f: None):  # type: ignore[no-untyped-def, override]
            self.seen.extend(texts)
            return super().embed(texts, progress)

    info = store.create("P", [make_result()], framework="gloucestershire", user="amy")
    batch = tmp_path / "batch.csv"
    batch.write_text(
        "Respondent ID,What could we do better?\nB1,Dr Patel could not get me a GP appointment\n"
        "B2,XXXX was lovely\n",
        encoding="utf-8",
    )
    embedder = Seeing()
    add_batch(store, info.id, batch, embedder=embedder, user="amy", threshold=0.5)
    assert "Dr someone could not get me a GP appointment" in embedder.seen
    assert "someone was lovely" in embedder.seen
    assert not any("Patel" in t or "XXXX" in t for t in embedder.seen)  # names shape no vector


def test_a_page_never_waits_for_other_names(store: ProjectStore) -> None:
    """Other names need the question's keyword index: a page gets none until it is built (in
    the background, started by asking), the command line waits for it."""
    import time

    from themes.project_ops import other_names

    info = store.create("Names", [make_result()], framework="gloucestershire", user="amy")
    review = store.state(info.id).questions[Q]
    assert other_names(store, info.id, review, 1, wait=False) == []  # not built yet
    for _ in range(100):
        if store.ready_keyword_index(info.id, Q) is not None:
            break
        time.sleep(0.05)
    offered = other_names(store, info.id, review, 1, wait=False)
    assert ("NHS dentist", 2 / 3) in offered
    assert offered == other_names(store, info.id, review, 1)
