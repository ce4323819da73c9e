"""The app through its HTTP API (gradio_client), launched locally as a user would reach it: the
review journey, persistence across sessions, conflicts between reviewers, projects and uploads."""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Q_IMPROVE, REPO, SAMPLE, launched_app

pytestmark = pytest.mark.slow

# Outputs of every review endpoint (the page state is not part of the API).
(
    HEADING,
    QUESTION,
    SUMMARY,
    TABLE,
    CHART,
    COVERAGE,
    THEME,
    DETAIL,
    LABEL,
    DEFINITION,
    MINORITY,
    LINKS,
    GROUP,
    MERGE,
    MOVE,
    RESPONSES,
    PAGE_NOTE,
    HISTORY,
) = range(18)


APP_ROOT: dict[str, Path] = {}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("app")
    APP_ROOT["root"] = root
    with launched_app(root) as url:
        yield url


def new_client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False)


def start(client: Any) -> tuple[Any, ...]:
    projects, choice, *view = client.predict(api_name="/start")
    return tuple(view)


def labels(view: tuple[Any, ...]) -> dict[int, str]:
    return {row[0] - 1: row[1] for row in view[TABLE]["data"]}


def unescaped(markdown: str) -> str:
    """Markdown as read on the page: text from respondents is sent backslash-escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_start_opens_the_sample_project(app_url: str) -> None:
    client = new_client(app_url)
    projects, choice, *view = client.predict(api_name="/start")
    assert projects["data"][0][0].startswith("Sample:")
    assert view[TABLE]["headers"][:4] == ["#", "Theme", "People", "% of people"]
    assert "Making Gloucestershire a better place for the future" in view[COVERAGE]
    assert "680 rows" in view[SUMMARY] and "unassigned" in view[SUMMARY]
    assert view[TABLE]["headers"][4] == "Broad theme"
    rows = [row for row in view[TABLE]["data"] if row[1] != "Nothing needs to change"]
    groups = list(dict.fromkeys(row[4] for row in rows))
    assert len(groups) >= 3 and all(groups)  # themes gathered under broad themes
    for group in groups:  # each broad theme's rows together, largest first
        sizes = [row[2] for row in rows if row[4] == group]
        assert sizes == sorted(sizes, reverse=True)
    assert [row[4] for row in rows] == sorted((row[4] for row in rows), key=groups.index)
    assert view[RESPONSES]["headers"] == [
        "Chosen",
        "Row",
        "Respondent",
        "Response",
        "Quote",
        "Other themes",
    ]
    # One order and one count (issue 18, item 5): the chooser lists the themes as the table
    # does, with the table's respondents, and the page opens on the table's first row.
    chooser = [(label, value) for label, value in view[THEME]["choices"] if value >= 0]
    assert [value + 1 for _, value in chooser] == [row[0] for row in view[TABLE]["data"]]
    assert [label.rsplit("(", 1)[1] for label, _ in chooser] == [
        f"{row[2]} people)" for row in view[TABLE]["data"]
    ]
    assert view[THEME]["value"] == view[TABLE]["data"][0][0] - 1
    # The open theme offers the other names its answers support, for renaming it, once the
    # question's keyword index is built: in the background, so no page waits for it.
    first = view[THEME]["value"]
    for _ in range(120):
        detail = client.predict(first, "", 1, "Sam", api_name="/show_theme")[DETAIL]
        offered = re.search(r"Other names its answers support[^:]*: (.+)", unescaped(detail))
        if offered:
            break
        time.sleep(0.5)
    assert offered and re.search(r"\(\d+%\)", offered.group(1))
    assert view[TABLE]["data"][0][1] not in offered.group(1).split(" (")[0]


def test_review_journey_is_kept_for_the_next_session(app_url: str) -> None:
    client = new_client(app_url)
    view = start(client)
    first, second = (row[0] - 1 for row in view[TABLE]["data"][:2])
    view = client.predict("Sam", "Waiting and access", api_name="/rename_theme")
    assert labels(view)[first] == "Waiting and access"
    view = client.predict("Sam", "People waiting for care.", api_name="/define_theme")
    view = client.predict("Sam", True, api_name="/flag_minority")
    view = client.predict("Sam", ["P3.3", "C1"], api_name="/set_links")
    assert "set by reviewer" in view[DETAIL] and "P3.3" in view[TABLE]["data"][0][5]
    view = client.predict("Sam", "Access to care", api_name="/set_group")
    assert "Broad theme: Access to care" in view[DETAIL]
    view = client.predict("Sam", "Access to care", "Getting care", api_name="/rename_group")
    group_of = {row[0] - 1: row[4] for row in view[TABLE]["data"]}
    assert group_of[first] == "Getting care" and "Access to care" not in group_of.values()
    size_before = sum(row[2] for row in view[TABLE]["data"][:2])
    view = client.predict("Sam", [second], api_name="/merge_themes")
    assert second not in labels(view) and labels(view)[first] == "Waiting and access"
    rows = [r[1] for r in view[RESPONSES]["data"][:3]]
    view = client.predict(
        "Sam", f"{rows[0]}, {rows[1]}", -2, "Moved out", api_name="/move_responses"
    )
    assert "Moved out" in labels(view).values()
    view = client.predict("Sam", str(rows[2]), api_name="/mark_quotes")
    assert "Quotes chosen for the report" in view[DETAIL]
    suggestion, rename = client.predict(api_name="/suggest_split")
    assert "Suggested split" in suggestion
    assert rename["value"] is False and "suggested name" in rename["label"]  # stays unless ticked
    before = labels(view)
    view = client.predict("Sam", True, api_name="/accept_split")
    assert len(labels(view)) >= 3
    stays = re.search(r"suggested name: (.+?)\)", suggestion)
    if stays:  # ticked: the part that stays takes the suggested name
        renamed = set(labels(view).values()) - set(before.values())
        assert stays.group(1).replace("\\", "") in renamed
    view = client.predict("Sam", api_name="/undo")
    view = client.predict("Sam", api_name="/redo")
    history = view[HISTORY]["data"]
    assert [h[2] for h in history][:2] == ["Sam", "Sam"]
    assert history[0][3].startswith("Redid:") and history[1][3].startswith("Undid:")
    assert any(h[3].startswith("Merged") for h in history)
    assert size_before > 0
    # A new browser session (or a restarted page) sees exactly the same project.
    again = start(new_client(app_url))
    assert labels(again) == labels(view)
    assert again[HISTORY]["data"] == view[HISTORY]["data"]


def test_two_reviewers_never_overwrite_each_other(app_url: str) -> None:
    amy, bo = new_client(app_url), new_client(app_url)
    start(amy)
    start(bo)
    amy.predict("Amy", "Amy's name", api_name="/rename_theme")
    # Bo renames the same theme on the page he loaded before: not saved, and the page shows
    # Amy's change and why; his name is still in the box, so the same button applies it.
    view = bo.predict("Bo", "Bo's name", api_name="/rename_theme")
    assert "Not saved." in view[HEADING] and "Amy changed the name of theme" in unescaped(
        view[HEADING]
    )
    assert "Amy's name" in labels(view).values() and "Bo's name" not in labels(view).values()
    view = bo.predict("Bo", "Bo's name", api_name="/rename_theme")
    assert "Not saved" not in view[HEADING] and "Bo's name" in labels(view).values()


def test_reviewers_on_different_themes_both_save_and_undo_their_own(app_url: str) -> None:
    amy, bo = new_client(app_url), new_client(app_url)
    view = start(amy)
    start(bo)
    first, second = (row[0] - 1 for row in view[TABLE]["data"][:2])
    amy.predict("Amy", "Amy's theme", api_name="/rename_theme")  # the first theme
    bo.predict(second, "", 1, "Bo", api_name="/show_theme")
    view = bo.predict("Bo", "Bo's theme", api_name="/rename_theme")  # on a stale page
    assert "Not saved" not in view[HEADING]
    assert labels(view)[first] == "Amy's theme" and labels(view)[second] == "Bo's theme"
    view = amy.predict("Amy", api_name="/undo")  # Amy's rename, not Bo's later one
    assert labels(view)[second] == "Bo's theme" and labels(view)[first] != "Amy's theme"
    assert unescaped(view[HISTORY]["data"][0][3]).startswith("Undid: Renamed")
    assert view[HISTORY]["data"][0][2] == "Amy"


def test_invalid_edits_are_clear_messages(app_url: str) -> None:
    client = new_client(app_url)
    start(client)
    with pytest.raises(Exception, match="cannot be empty"):
        client.predict("Sam", "   ", api_name="/rename_theme")
    with pytest.raises(Exception, match="not a row number"):
        client.predict("Sam", "abc", -2, "", api_name="/move_responses")
    with pytest.raises(Exception, match="Tick"):
        client.predict("Sam", False, api_name="/delete_theme")


def test_suggestions_are_found_accepted_as_one_edit_and_undone(app_url: str) -> None:
    client = new_client(app_url)
    view = start(client)
    text, choice = client.predict(api_name="/find_suggestions")
    assert "No suggestions yet" in text and choice["choices"] == []
    with pytest.raises(Exception, match="Find suggestions first"):
        client.predict("Sam", None, api_name="/accept_suggestion")
    # teach: three answers of the first theme into a new theme, then ask
    rows = [r[1] for r in view[RESPONSES]["data"][:3]]
    client.predict("Sam", ", ".join(map(str, rows)), -2, "Taught", api_name="/move_responses")
    text, choice = client.predict(api_name="/find_suggestions")
    # on the sample, other answers about day centres and carers are offered
    assert choice["choices"] and choice["value"] == "0"
    assert "you moved to 'Taught'" in unescaped(text)
    offered = int(re.match(r"1\. (\d+) answer", unescaped(text)).group(1))  # type: ignore[union-attr]
    view = client.predict("Sam", "0", api_name="/accept_suggestion")
    assert any(isinstance(v, str) and v.startswith(f"Accepted: {offered} answers") for v in view)
    view = client.predict("Sam", api_name="/undo")
    assert "Taught" in labels(view).values()  # the move stays; only the acceptance undone
    client.predict("Sam", api_name="/undo")


def test_export_writes_reviewed_results_and_replayable_history(
    app_url: str, tmp_path: Path
) -> None:
    from themes.cli import main

    client = new_client(app_url)
    start(client)
    client.predict("Sam", "Exported name", api_name="/rename_theme")
    files = client.predict("Sam", api_name="/export")
    by_name = {Path(f).name: Path(f) for f in files}
    assert {"themes.csv", "responses.csv", "history.csv", "history.json"} <= set(by_name)
    with by_name["themes.csv"].open(encoding="utf-8-sig") as handle:
        themes = list(csv.DictReader(handle))
    assert "Exported name" in {t["label"] for t in themes}
    with by_name["responses.csv"].open(encoding="utf-8-sig") as handle:
        responses = [r for r in csv.DictReader(handle) if r["question"] == Q_IMPROVE]
    assert len(responses) == 680  # every input row, whatever became of it
    history = json.loads(by_name["history.json"].read_text(encoding="utf-8"))["history"]
    project = client.predict(api_name="/start")[1]["value"]
    out = tmp_path / "replayed"
    assert (
        main(
            [
                "project",
                "--db",
                str(APP_ROOT["root"] / "data" / "projects.sqlite"),
                "replay",
                project,
                str(by_name["history.json"]),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "themes.csv").read_bytes() == by_name["themes.csv"].read_bytes()
    assert len(history) >= 1


def test_upload_create_and_delete_a_project(app_url: str) -> None:
    from gradio_client import handle_file

    client = new_client(app_url)
    export = REPO / "tests" / "fixtures" / "exports" / "surveymonkey.xlsx"
    report, columns, chosen, id_choice, name = client.predict(
        handle_file(str(export)), "detect", "detect", False, api_name="/inspect_upload"
    )
    assert "SurveyMonkey export" in report and "12 rows" in report
    roles = {row[0]: row[1] for row in columns["data"]}
    assert roles["Respondent ID"] == "respondent id"
    assert roles["IP Address"] == "personal data"
    why = {row[0]: row[2] for row in columns["data"]}
    assert "IP addresses" in why["IP Address"]
    outputs = client.predict(
        ["Any other comments?"],
        "Respondent ID",
        "Monkey test",
        "gloucestershire",
        "mapping",
        "Sam",
        api_name="/create_project",
    )
    projects, choice, *view = outputs
    assert projects["data"][0][0] == "Monkey test"
    assert "12 rows" in view[SUMMARY]
    table, choice, note = client.predict(choice["value"], True, "Sam", api_name="/delete_project")[
        :3
    ]
    assert "Deleted 'Monkey test'" in note
    assert "Monkey test" not in [row[0] for row in table["data"]]


def test_a_quick_look_is_a_labelled_preview_and_makes_no_project(app_url: str) -> None:
    from gradio_client import handle_file

    client = new_client(app_url)
    before = client.predict(api_name="/start")[0]["data"]
    client.predict(handle_file(str(SAMPLE)), "detect", "detect", False, api_name="/inspect_upload")
    shown = client.predict([Q_IMPROVE], "ID", api_name="/quick_look")
    assert shown.startswith("**Quick look, a preview")
    assert "| # | Theme | Answers |" in shown and "680 rows" in shown
    assert "Quick look done in" in shown
    assert client.predict(api_name="/start")[0]["data"] == before  # no project was made
    with pytest.raises(Exception, match="Choose at least one"):
        client.predict([], "ID", api_name="/quick_look")


def test_bad_upload_is_a_clear_message(app_url: str, tmp_path: Path) -> None:
    from gradio_client import handle_file

    bad = tmp_path / "notes.csv"
    bad.write_bytes(b"%PDF-1.4 binary\x00\x01")
    with pytest.raises(Exception, match="not a survey export"):
        new_client(app_url).predict(
            handle_file(str(bad)), "detect", "detect", False, api_name="/inspect_upload"
        )


def test_launch_refuses_open_host_without_users(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.app import launch_options

    monkeypatch.delenv("THEMES_USERS", raising=False)
    with pytest.raises(SystemExit, match="without authentication"):
        launch_options("0.0.0.0")
    monkeypatch.setenv("THEMES_USERS", "ana:secret")
    with pytest.raises(SystemExit, match="too weak"):
        launch_options("0.0.0.0")
    monkeypatch.setenv("THEMES_USERS", "ana:")
    with pytest.raises(SystemExit, match="too weak"):
        launch_options("0.0.0.0")
    monkeypatch.setenv("THEMES_USERS", "ana:correct horse battery")
    monkeypatch.delenv("THEMES_ALLOWED_HOSTS", raising=False)
    with pytest.raises(SystemExit, match="THEMES_ALLOWED_HOSTS"):
        launch_options("0.0.0.0")
    monkeypatch.setenv("THEMES_ALLOWED_HOSTS", "themes.example.org")
    auth = launch_options("0.0.0.0")["auth"]
    assert auth("ana", "correct horse battery") and not auth("ana", "secret")
    monkeypatch.setenv("THEMES_TLS_CERT", "/nonexistent/cert.pem")
    with pytest.raises(SystemExit, match="THEMES_TLS_KEY"):
        launch_options("0.0.0.0")
    monkeypatch.delenv("THEMES_TLS_CERT")
    monkeypatch.delenv("THEMES_USERS")
    assert launch_options("127.0.0.1")["share"] is False


def test_foreign_host_refused_and_every_page_carries_a_strict_policy(app_url: str) -> None:
    """The loopback app answers only to loopback names (DNS rebinding, issue 17), and forbids
    the browser to load anything from, or send a form to, another address."""
    import urllib.error
    import urllib.request

    page = urllib.request.urlopen(app_url, timeout=30)
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "form-action 'self'" in policy
    assert "http:" not in policy and "https:" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    foreign = urllib.request.Request(app_url, headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(foreign, timeout=30)
    assert refused.value.code == 400
    host = app_url.split("//")[1].rstrip("/")
    other_port = urllib.request.Request(
        app_url.rstrip("/") + "/config", headers={"Origin": "http://localhost:8000"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(other_port, timeout=30)
    assert refused.value.code == 403
    same = urllib.request.Request(
        app_url.rstrip("/") + "/config", headers={"Origin": f"http://{host}"}
    )
    assert urllib.request.urlopen(same, timeout=30).status == 200
    for path in ("config", "gradio_api/info"):
        request = urllib.request.Request(
            app_url.rstrip("/") + "/" + path, headers={"Host": "attacker.example:7860"}
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=30)


def test_add_a_later_batch_keeps_the_review(app_url: str, tmp_path: Path) -> None:
    from gradio_client import handle_file

    from tests.conftest import Q_ACCESS, Q_DIGITAL

    client = new_client(app_url)
    view = start(client)
    view = client.predict("Sam", "Kept after the batch", api_name="/rename_theme")
    batch = tmp_path / "later.csv"
    with batch.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", Q_IMPROVE, Q_ACCESS, Q_DIGITAL])
        writer.writerow(["9001", "More GP appointments please", "Long wait at A&E", "n/a"])
        writer.writerow(["9002", "Cheaper gyms and swimming", "", "The NHS App is great"])
    *view, note = client.predict("Sam", handle_file(str(batch)), api_name="/add_responses")
    assert "Added 2 rows from 'later.csv'" in unescaped(note)
    assert "Kept after the batch" in labels(tuple(view)).values()
    assert "Later batches: later.csv (2 rows)" in unescaped(view[SUMMARY])


def test_redaction_settings_apply_to_quotes(app_url: str) -> None:
    client = new_client(app_url)
    view = start(client)
    quote = next(
        line for line in view[DETAIL].splitlines() if line.startswith("> ") and len(line) > 20
    )
    word = quote[2:].split()[0].strip(".,!?")
    view = client.predict("Sam", word, "", False, api_name="/set_redaction")
    assert "[name]" in unescaped(view[DETAIL])
    assert view[HISTORY]["data"][0][3].startswith("Set redaction: 1 names")
    assert view[18] == word  # the settings are shown back
    client.predict("Sam", api_name="/undo")


def test_report_from_the_app_matches_the_cli(app_url: str, tmp_path: Path) -> None:
    from themes.cli import main

    client = new_client(app_url)
    projects, choice, *_ = client.predict(api_name="/start")
    files = client.predict("What we heard", "draft", 10, "Sam", api_name="/make_report")
    by_name = {Path(f).name: Path(f) for f in files}
    assert {"report.docx", "report.html", "codebook.qdc"} <= set(by_name)
    db = str(APP_ROOT["root"] / "data" / "projects.sqlite")
    out = tmp_path / "cli"
    assert main(["project", "--db", db, "report", choice["value"], "--out", str(out)]) == 0
    assert (out / "report.html").read_text(encoding="utf-8") == by_name["report.html"].read_text(
        encoding="utf-8"
    )


def test_answers_can_also_raise_another_theme(app_url: str) -> None:
    client = new_client(app_url)
    view = start(client)
    target = next(c[1] for c in view[MOVE]["choices"] if c[1] >= 0)  # another theme
    people = {row[0] - 1: row[2] for row in view[TABLE]["data"]}
    own = [r[1] for r in view[RESPONSES]["data"] if not r[5].startswith("main: ")][:2]
    view = client.predict("Sam", f"{own[0]}, {own[1]}", target, api_name="/also_mention")
    after = {row[0] - 1: row[2] for row in view[TABLE]["data"]}
    assert after[target] >= people[target] and sum(after.values()) > sum(people.values())
    view = client.predict(target, "", 1, api_name="/show_theme")
    marked = {r[1]: r[5] for r in view[RESPONSES]["data"]}
    assert all(marked[row].startswith("main: ") for row in own)
    assert "also mention it" in view[DETAIL]
    view = client.predict("Sam", str(own[0]), api_name="/drop_mention")
    assert own[0] not in {r[1] for r in view[RESPONSES]["data"]}
    assert view[HISTORY]["data"][0][3].startswith("1 response no longer mention")
    with pytest.raises(Exception, match="existing theme"):
        client.predict("Sam", str(own[1]), -2, api_name="/also_mention")  # 'a new theme'


def _holding(marker: bytes, roots: list[Path], skip: Path, since: float) -> list[str]:
    """Files under ``roots`` written since ``since`` that hold ``marker`` (``skip`` aside)."""
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            try:
                if skip in path.parents or not path.is_file() or path.stat().st_size > 50e6:
                    continue
                if path.stat().st_mtime < since:
                    continue
                if marker in path.read_bytes():
                    found.append(str(path))
            except OSError:
                continue
    return found


def test_deleting_a_project_leaves_no_copy_of_its_answers(app_url: str, tmp_path: Path) -> None:
    """A unique string in the answers is nowhere in the data or temporary folders after the
    project is deleted (its upload, analyses, exports, report and the server's copies of them),
    and a previewed upload that never became a project goes with the next purge (issue 17)."""
    import os
    import tempfile
    import time

    from gradio_client import handle_file

    from themes.review.purge import purge_orphans
    from themes.review.store import ProjectStore

    canary, orphan = b"ZQXJ-canary-7731", b"ZQXJ-orphan-5519"
    began = time.time() - 1
    source = tmp_path / "source"
    source.mkdir()
    rows = ["id,What could we do better?"] + [
        f"{i},The {w} at the surgery needs fixing ZQXJ-canary-7731 ({i})"
        for i, w in enumerate(["parking", "phone line", "waiting room", "booking"] * 6)
    ]
    (source / "canary.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (source / "orphan.csv").write_text(
        "id,What could we do better?\n"
        + "".join(f"{i},Only previewed ZQXJ-orphan-5519 answer number {i}\n" for i in range(6)),
        encoding="utf-8",
    )
    client = new_client(app_url)
    start(client)
    client.predict(
        handle_file(str(source / "orphan.csv")), "detect", "detect", False,
        api_name="/inspect_upload",
    )  # fmt: skip
    client.predict(
        handle_file(str(source / "canary.csv")), "detect", "detect", False,
        api_name="/inspect_upload",
    )  # fmt: skip
    projects, choice, *view = client.predict(
        ["What could we do better?"], "id", "Canary", "gloucestershire", "mapping", "Sam",
        api_name="/create_project",
    )  # fmt: skip
    project = next(value for label, value in choice["choices"] if label.startswith("Canary"))
    assert client.predict("Sam", api_name="/export")
    assert client.predict("What we heard", "draft", 10, "Sam", api_name="/make_report")
    root = APP_ROOT["root"]
    web = Path(os.environ["GRADIO_TEMP_DIR"])
    # This run's folders, and anything else in the temporary folder except other test runs'
    # (a CI run beside this one plants the same string in its own).
    places = [root, tmp_path, web] + [
        p
        for p in Path(tempfile.gettempdir()).iterdir()
        if not p.name.startswith(("pytest-of-", "themes-tests-web-")) and p != web
    ]
    assert _holding(canary, places, source, began)  # the copies exist before the deletion
    client.predict(project, True, "Sam", api_name="/delete_project")
    left = _holding(canary, places, source, began)
    assert left == [], "\n".join(left)
    assert _holding(orphan, places, source, began)  # a preview is kept until purged
    purge_orphans(ProjectStore(root / "data" / "projects.sqlite"), web_cache=False)
    left = _holding(orphan, places, source, began)
    assert left == [], "\n".join(left)


def test_an_open_address_without_users_is_refused_before_any_work(monkeypatch) -> None:
    import app.app as application

    monkeypatch.delenv("THEMES_USERS", raising=False)
    monkeypatch.setattr(application, "build_app", lambda *a, **k: pytest.fail("analysed first"))
    with pytest.raises(SystemExit, match="without authentication"):
        application.main(["--host", "0.0.0.0"])


def test_no_table_offers_a_copy_button(app_url: str) -> None:
    """Copying a table would put formula text (=HYPERLINK...) on the clipboard unneutralised;
    the exports are the way out, and they neutralise it."""
    import urllib.request

    config = json.loads(urllib.request.urlopen(app_url.rstrip("/") + "/config").read())
    tables = [c for c in config["components"] if c.get("type") == "dataframe"]
    assert tables and all("copy" not in c["props"].get("buttons", ["copy"]) for c in tables)


def test_the_project_list_names_the_framework(app_url: str) -> None:
    projects, *_ = new_client(app_url).predict(api_name="/start")
    assert projects["headers"][5] == "Framework"
    assert projects["data"][0][5] == "One Gloucestershire Integrated Care Strategy (interim)"


def test_one_analysis_at_a_time_while_edits_go_on(tmp_path: Path) -> None:
    """Creating a project and adding a batch share one queue slot on the whole server; edits
    keep the default concurrency, so a reviewer is never stuck behind an analysis."""
    from app.app import build_app
    from themes.review.store import ProjectStore

    demo = build_app(store=ProjectStore(tmp_path / "projects.sqlite"))
    by_name = {fn.api_name: fn for fn in demo.fns.values()}
    for name in ("create_project", "add_responses"):
        assert by_name[name].concurrency_id == "analysis", name
        assert by_name[name].concurrency_limit == 1, name
    for name in ("rename_theme", "move_responses", "undo", "show_theme"):
        assert by_name[name].concurrency_id != "analysis", name
