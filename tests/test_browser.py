"""Real-browser journeys: Playwright drives Debian's Chromium against the app on loopback.

Skipped when /usr/bin/chromium is absent (CI installs it: see .ci/run). Screenshots of the main
screens are saved under test-artefacts/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, launched_app

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = REPO / "test-artefacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with launched_app(tmp_path_factory.mktemp("browser")) as url:
        yield url


@contextlib.contextmanager
def open_review_page(url: str, timeout_ms: int = 30_000) -> Iterator[Any]:
    """Debian's Chromium on the app at ``url``, once its review page has loaded (a fresh
    temporary profile each time: launch() never reuses one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(timeout_ms)
            page.goto(url)
            page.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(app_url: str) -> Iterator[Any]:
    with open_review_page(app_url) as page:
        yield page


def shot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def scroll_to_end(grid: Any) -> None:
    """Scroll a table (and whatever scrolls inside it) to its last row."""
    grid.evaluate(
        """grid => {
            for (const el of [grid, ...grid.querySelectorAll('*')]) {
                if (el.scrollHeight > el.clientHeight) el.scrollTop = el.scrollHeight;
            }
        }"""
    )


def wait_version(page: Any, number: int) -> None:
    page.get_by_text(f"Version {number} ·").first.wait_for()


def test_review_journey_in_a_real_browser(page: Any, app_url: str) -> None:
    from playwright.sync_api import expect

    shot(page, "1-review")
    page.get_by_label("Your name (recorded with each edit)").fill("Sam")
    # Rename the first theme.
    name_box = page.get_by_role("textbox", name="Theme name", exact=True)
    name_box.fill("Waiting lists and smoking")
    page.get_by_role("button", name="Rename", exact=True).click()
    wait_version(page, 1)
    themes_table = page.get_by_role("grid", name="Themes (by broad theme")
    expect(themes_table).to_contain_text("Waiting lists and smoking")
    # Merge the second theme into it.
    page.get_by_role("button", name="Merge, split or delete").click()
    merge_group = page.get_by_role("group").filter(has_text="Merge these themes into this one")
    merge_group.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Merge ticked themes").click()
    wait_version(page, 2)
    # Split it with the suggestion.
    page.get_by_role("button", name="Suggest a split").click()
    page.get_by_text("Suggested split into").wait_for()
    shot(page, "2-split-suggestion")
    rename = page.get_by_label(re.compile("Also rename this theme to the suggested name"))
    suggested = None
    if rename.count():  # shown only when the suggested name differs from the theme's
        suggested = re.search(
            r"suggested name '(.+)'$", rename.evaluate("e => e.closest('label').innerText.trim()")
        )
        rename.check()
    page.get_by_role("button", name="Accept the suggested split").click()
    wait_version(page, 3)
    kept = suggested.group(1) if suggested else "Waiting lists and smoking"
    # the part that stays took the suggested name when ticked (issue 18, item 8)
    expect(page.get_by_role("textbox", name="Theme name", exact=True)).to_have_value(kept)
    # Move one response (clicked in the table) to a new theme.
    responses = page.get_by_role("grid", name="Responses (click a row")
    responses.get_by_role("row").nth(1).get_by_role("gridcell").nth(2).click()
    expect(page.get_by_role("textbox", name="Chosen response rows")).not_to_have_value("")
    page.get_by_label("A new theme (name it below)").check()
    page.get_by_role("textbox", name="New theme name (optional)").fill("Bus routes")
    page.get_by_role("button", name="Move chosen responses").click()
    wait_version(page, 4)
    # Link the theme to a pillar.
    page.get_by_role("button", name="Strategy links").click()
    page.get_by_label("P3.1 Primary care").check()
    page.get_by_role("button", name="Save links").click()
    wait_version(page, 5)
    expect(themes_table).to_contain_text("P3.1 Primary care (set by reviewer)")
    shot(page, "3-after-edits")
    # Reload: everything is kept.
    page.reload()
    wait_version(page, 5)
    themes_table = page.get_by_role("grid", name="Themes (by broad theme")
    expect(themes_table).to_contain_text(kept)
    expect(themes_table).to_contain_text("set by reviewer")
    scroll_to_end(themes_table)  # the table draws only the rows in view
    expect(themes_table).to_contain_text("Bus routes")
    expect(page.get_by_label("Your name (recorded with each edit)")).to_have_value("Sam")
    page.get_by_role("tab", name="History and export").click()
    expect(page.get_by_role("grid", name="Every edit")).to_contain_text("Merged")
    shot(page, "4-history")
    page.get_by_role("tab", name="Projects").click()
    shot(page, "5-projects")


def test_a_refused_edit_leaves_the_page_usable(page: Any) -> None:
    """Renaming a theme to nothing is refused with a message; no panel turns into an 'Error'
    badge, what was typed elsewhere stays, and the next edit works (issue 18)."""
    from playwright.sync_api import expect

    page.get_by_label("Your name (recorded with each edit)").fill("Sam")
    definition = page.get_by_role("textbox", name="Definition or memo")
    definition.fill("Typed before the refusal")
    page.get_by_role("textbox", name="Theme name", exact=True).fill("   ")
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_text("empty").first).to_be_visible()  # the refusal, as a message
    page.wait_for_timeout(1000)
    badges = page.locator(".block .error")
    assert badges.count() == 0, badges.first.evaluate("e => e.outerHTML")[:300]
    expect(definition).to_have_value("Typed before the refusal")
    expect(page.get_by_role("grid", name="Themes (by broad theme")).to_be_visible()
    page.get_by_role("textbox", name="Theme name", exact=True).fill("After the refusal")
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_role("grid", name="Themes (by broad theme")).to_contain_text(
        "After the refusal"
    )
    shot(page, "6-refused-edit")


def test_a_name_the_answers_support_is_picked_and_saved(page: Any) -> None:
    """The open theme offers other names its answers support; picking one fills the name box,
    and Rename saves it as it saves a typed name."""
    from playwright.sync_api import expect

    page.get_by_label("Your name (recorded with each edit)").fill("Sam")
    themes = page.locator(".block").filter(has=page.get_by_text("Theme to review", exact=True))
    for turn in range(40):  # the names come once the keyword index is built, in the background
        if page.get_by_text("Other names its answers support").count():
            break
        themes.last.get_by_role("radio").nth(turn % 2).check()  # shown again
        page.wait_for_timeout(500)
    page.get_by_label("Or pick a name its answers support (then Rename)").click()
    option = page.get_by_role("option").first
    shown = option.inner_text()
    assert re.search(r" \(\d+% of its answers\)$", shown)
    picked = shown.rsplit(" (", 1)[0]
    option.click()
    expect(page.get_by_role("textbox", name="Theme name", exact=True)).to_have_value(picked)
    page.get_by_role("button", name="Rename", exact=True).click()
    expect(page.get_by_role("grid", name="Themes (by broad theme")).to_contain_text(picked)
    expect(page.get_by_text(f"to '{picked}'").first).to_be_visible()  # the edit's summary


def test_reload_and_a_copied_link_land_on_the_same_theme(page: Any, app_url: str) -> None:
    """The page's address names the project, question and theme (issue 18, item 3)."""
    from playwright.sync_api import expect

    themes = page.locator(".block").filter(has=page.get_by_text("Theme to review", exact=True))
    chosen = themes.last.get_by_role("radio").nth(2)
    theme_id = int(chosen.get_attribute("value") or "0")
    chosen.check()
    page.wait_for_function(f"() => /theme={theme_id + 1}(&|$)/.test(window.location.search)")
    address = page.url
    assert "project=" in address and "question=1" in address
    page.get_by_role("radio", name=re.compile("Tell us about your experience")).check()
    page.wait_for_function("() => /question=2/.test(window.location.search)")
    second = page.url
    page.reload()
    page.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
    expect(
        page.get_by_role("radio", name=re.compile("Tell us about your experience"))
    ).to_be_checked()
    assert page.url == second
    other = page.context.new_page()
    other.goto(address)
    other.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
    expect(other.locator(f"input[type=radio][value='{theme_id}']").last).to_be_checked()
    expect(
        other.get_by_role("radio", name=re.compile("What are the top three things"))
    ).to_be_checked()
    other.close()


def test_responses_are_ticked_by_clicking_or_by_search_and_moved_together(page: Any) -> None:
    """Clicking a response ticks it (and shows the tick), clicking again unticks it; every
    response matching a search, on every page, can be ticked at once (issue 18, item 7)."""
    from playwright.sync_api import expect

    page.get_by_label("Your name (recorded with each edit)").fill("Sam")
    grid = page.get_by_role("grid", name="Responses (click a row")
    box = page.get_by_role("textbox", name="Chosen response rows")
    first = grid.get_by_role("row").nth(1)
    second = grid.get_by_role("row").nth(2)
    first.get_by_role("gridcell").nth(3).click()
    second.get_by_role("gridcell").nth(3).click()
    expect(first.get_by_role("gridcell").first).to_have_text("✓")
    expect(second.get_by_role("gridcell").first).to_have_text("✓")
    rows = [
        cell.inner_text()
        for cell in (first, second)
        for cell in [cell.get_by_role("gridcell").nth(1)]
    ]
    expect(box).to_have_value(f"{rows[0]}, {rows[1]}")
    first.get_by_role("gridcell").nth(3).click()  # again: unticked
    expect(first.get_by_role("gridcell").first).to_have_text("")
    expect(box).to_have_value(rows[1])
    shot(page, "7-ticked-rows")
    page.get_by_role("button", name="Untick all").click()
    expect(box).to_have_value("")
    search = page.get_by_role("textbox", name="Search these responses")
    search.fill("the")
    search.press("Enter")
    page.get_by_text("Showing").first.wait_for()
    page.get_by_role("button", name="Tick all responses matching the search").click()
    expect(box).not_to_have_value("")
    ticked = box.input_value().split(", ")
    version = int(re.search(r"Version (\d+) ·", page.content()).group(1))  # type: ignore[union-attr]
    page.get_by_label("A new theme (name it below)").check()
    page.get_by_role("textbox", name="New theme name (optional)").fill("Said 'the'")
    page.get_by_role("button", name="Move chosen responses").click()
    wait_version(page, version + 1)
    expect(box).to_have_value("")
    made = page.get_by_role("radio", name=re.compile(r"Said 'the' \(\d+ people\)")).first
    expect(made).to_be_attached()
    label = made.evaluate("e => e.closest('label').innerText")
    people = int(re.search(r"\((\d+) people\)", label).group(1))  # type: ignore[union-attr]
    assert people == len(ticked) >= 2  # every match, from every page


def test_analysis_progress_shows_beside_the_create_button(page: Any, tmp_path: Path) -> None:
    """Issue 18, item 4: the step and share done show where the reviewer is looking."""
    import csv
    import random
    import time

    survey = tmp_path / "survey.csv"
    words = "gp appointment wait nurse parking bus dentist staff kind rude phone ward food".split()
    rng = random.Random(0)
    with survey.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Respondent", "What could we do better?"])
        for number in range(3000):  # large enough for the analysis to take a few seconds
            writer.writerow([f"R{number}", " ".join(rng.choices(words, k=rng.randint(4, 14)))])
    page.get_by_role("tab", name="Projects").click()
    page.get_by_text("New project from a survey export").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Click to Upload").last.click()
    chooser.value.set_files(str(survey))
    page.get_by_text("3000 rows").first.wait_for()
    page.get_by_role("button", name="Create project and analyse").click()
    progress = page.locator("#create-progress")
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = progress.inner_text() if progress.is_visible() else ""
        seen.append(text)
        if "Created 'survey'" in text or not progress.is_visible():
            break
        time.sleep(0.2)
    steps = [t for t in seen if re.search(r"\d+(\.\d)?%", t)]
    assert steps, seen[:5]  # a step with its share done, e.g. "Clustering - 58.5%"
    assert any(re.search(r"\d+(\.\d)?s", t) for t in steps)  # and the time so far
    assert "Error" not in " ".join(seen)
    page.get_by_role("tab", name="Review themes").wait_for()
    page.get_by_text(re.compile(r"## survey|survey")).first.wait_for()


def test_an_export_can_be_read_again_with_other_settings_and_a_bad_one_says_so(
    page: Any, tmp_path: Path
) -> None:
    """Changing the encoding re-reads the kept copy (Gradio's is removed once read); a file
    that cannot be read leaves nothing behind to create a project from, and Create says why
    (issue 18, item 8: 'Upload a survey export first' showed while a file was attached)."""
    from playwright.sync_api import expect

    good = tmp_path / "café.csv"
    good.write_bytes("Id,What could we do better?\n1,Café food\n2,Parking\n".encode("cp1252"))
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a spreadsheet at all")
    page.get_by_role("tab", name="Projects").click()
    page.get_by_text("New project from a survey export").click()

    def attach(path: Path) -> None:
        with page.expect_file_chooser() as chooser:
            page.get_by_text("Click to Upload").last.click()
        chooser.value.set_files(str(path))

    attach(good)
    page.get_by_text("2 rows").first.wait_for()
    page.get_by_label("cp1252").check()  # read again, from the kept copy
    page.wait_for_timeout(1500)
    page.get_by_text("2 rows").first.wait_for()
    expect(page.get_by_role("checkbox", name="What could we do better?")).to_be_visible()
    page.get_by_role("button", name="Clear").last.click()  # a new file: the old one is forgotten
    attach(bad)
    page.get_by_text(re.compile("no responses|could not|cannot", re.I)).first.wait_for()
    page.get_by_role("button", name="Create project and analyse").click()
    expect(page.get_by_text("No survey export has been read yet").first).to_be_visible()


def test_each_tab_keeps_its_own_reviewer_name(page: Any, app_url: str) -> None:
    """Two tabs of one browser, two reviewers: a reload keeps each tab's name (issue 18,
    item 8: the name was shared across tabs), and a new tab starts from the last one typed."""
    from playwright.sync_api import expect

    name = "Your name (recorded with each edit)"
    page.get_by_label(name).fill("Ann")
    other = page.context.new_page()
    other.goto(app_url)
    other.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
    expect(other.get_by_label(name)).to_have_value("Ann")  # the last name typed
    other.get_by_label(name).fill("Bo")
    other.wait_for_timeout(300)
    page.reload()
    page.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
    expect(page.get_by_label(name)).to_have_value("Ann")
    other.reload()
    other.get_by_text(re.compile(r"Version \d+ ·")).first.wait_for()
    expect(other.get_by_label(name)).to_have_value("Bo")
    other.close()
