"""The app through its HTTP API (gradio_client), launched locally as a user would reach it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import Q_ACCESS, Q_DIGITAL, REPO, SAMPLE
from themes import AnalysisConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[object]:
    from gradio_client import Client

    from app.app import build_app, launch_options

    root = tmp_path_factory.mktemp("app")
    os.environ["THEMES_RESULTS_DIR"] = str(root / "results")
    os.environ["THEMES_CACHE_DIR"] = str(root / "cache")
    demo = build_app(SAMPLE, AnalysisConfig(model="hashing"))
    demo.queue().launch(
        prevent_thread_lock=True, server_port=None, quiet=True, **launch_options("127.0.0.1")
    )
    try:
        yield Client(demo.local_url, verbose=False)
    finally:
        demo.close()


def test_question_shows_themes_table_and_first_theme(client) -> None:
    summary, table, chart, coverage, theme, detail, responses = client.predict(
        Q_ACCESS, api_name="/show_question"
    )
    assert table["headers"][-1] == "Strategy links"
    assert "Making Gloucestershire a better place for the future" in coverage
    assert "Themes that fit no item" in coverage
    assert "rows:" in summary and "hashing-512" in summary
    assert table["headers"][:3] == ["#", "Theme", "Responses"]
    assert len(table["data"]) >= 3
    assert [row[0] for row in table["data"]] == list(range(1, len(table["data"]) + 1))
    assert "Most typical responses" in detail
    assert responses["data"] and responses["headers"][0] == "Respondent"


def test_theme_detail_and_search(client) -> None:
    _, table, *_ = client.predict(Q_DIGITAL, api_name="/show_question")
    detail, responses = client.predict(Q_DIGITAL, 1, "", api_name="/show_theme")
    assert detail.startswith("### 2. ")
    assert len(responses["data"]) == table["data"][1][2]
    word = responses["data"][0][1].split()[0]
    _, found = client.predict(Q_DIGITAL, 1, word, api_name="/show_theme")
    assert found["data"] and all(word.lower() in row[1].lower() for row in found["data"])


def test_unknown_question_is_a_clear_error(client) -> None:
    with pytest.raises(Exception, match="not in the list of choices"):
        client.predict("Not a question", api_name="/show_question")


def test_launch_refuses_open_host_without_users(monkeypatch) -> None:
    from app.app import launch_options

    monkeypatch.delenv("THEMES_USERS", raising=False)
    with pytest.raises(SystemExit, match="without authentication"):
        launch_options("0.0.0.0")
    monkeypatch.setenv("THEMES_USERS", "ana:secret")
    assert launch_options("0.0.0.0")["auth"] == [("ana", "secret")]
    assert launch_options("127.0.0.1")["share"] is False


def test_upload_preview_choose_and_analyse(client) -> None:
    from gradio_client import handle_file

    export = REPO / "tests" / "fixtures" / "exports" / "surveymonkey.xlsx"
    report, columns, chosen, id_choice = client.predict(
        handle_file(str(export)), "detect", "detect", api_name="/inspect_upload"
    )
    assert "SurveyMonkey export" in report and "12 rows" in report
    roles = {row[0]: row[1] for row in columns["data"]}
    assert roles["Respondent ID"] == "respondent id"
    assert roles["What could we do better?"] == "free text"
    assert roles["IP Address"] == "metadata"
    heading, question, *_ = client.predict(
        ["Any other comments?"], "Respondent ID", api_name="/use_upload"
    )
    assert "surveymonkey.xlsx" in heading
    summary, table, *_ = client.predict("Any other comments?", api_name="/show_question")
    assert "12 rows" in summary and table["headers"][1] == "Theme"
    with pytest.raises(Exception, match="not in the list of choices"):
        client.predict("What could we do better?", api_name="/show_question")


def test_bad_upload_is_a_clear_message(client, tmp_path) -> None:
    from gradio_client import handle_file

    bad = tmp_path / "notes.csv"
    bad.write_bytes(b"%PDF-1.4 binary\x00\x01")
    with pytest.raises(Exception, match="not a survey export"):
        client.predict(handle_file(str(bad)), "detect", "detect", api_name="/inspect_upload")
