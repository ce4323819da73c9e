"""An accessibility audit of every screen with axe-core (the copy bundled by the
axe-playwright-python package) in a real browser: no serious or critical violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import launched_app
from tests.test_browser import CHROMIUM, open_review_page

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with launched_app(tmp_path_factory.mktemp("axe")) as url, open_review_page(url) as page:
        yield page


def violations(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page as it is, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]['html'][:160]}"
        f" [{len(v['nodes'])} elements]"
        for v in found
        if v["impact"] in BLOCKING
    ]


PANELS = {
    "Review themes": [
        "Chart: respondents per theme",
        "Strategy coverage",
        "Strategy links",
        "Broad theme",
        "Merge, split or delete",
        "Redaction of quotes for publication",
        "Add a later batch of responses",
    ],
    "History and export": [],
    "Projects": ["New project from a survey export", "Delete a project"],
}


@pytest.mark.parametrize("tab", list(PANELS))
def test_no_serious_accessibility_violations(page: Any, tab: str) -> None:
    """Every tab, first as it opens and then with every folded panel open."""
    page.get_by_role("tab", name=tab).click()
    page.wait_for_timeout(500)
    found = violations(page)
    assert not found, "\n".join(found)
    for panel in PANELS[tab]:
        page.get_by_role("button", name=panel).first.click()
    page.wait_for_timeout(800)
    found = violations(page)
    assert not found, "with every panel open:\n" + "\n".join(found)


def test_a_list_of_radio_buttons_is_one_named_group_moved_by_the_arrow_keys(page: Any) -> None:
    """16 themes were 16 tab stops, and radio and checkbox groups had no accessible name."""
    page.get_by_role("tab", name="Review themes").click()
    groups = page.evaluate(
        """() => [...document.querySelectorAll('fieldset')].map(f => ({
            label: f.getAttribute('aria-label'),
            names: [...new Set([...f.querySelectorAll('input[type=radio]')].map(r => r.name))],
        }))"""
    )
    assert groups and all(g["label"] for g in groups), groups
    radio_names = [g["names"] for g in groups if g["names"]]
    assert all(len(names) == 1 for names in radio_names), radio_names  # one group, one stop
    assert len({names[0] for names in radio_names}) == len(radio_names)  # groups kept apart
    themes = page.locator("fieldset[aria-label='Theme to review']")
    first = themes.locator("input:checked").get_attribute("value")
    themes.locator("input:checked").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "(first) => { const c = document.querySelector("
        "\"fieldset[aria-label='Theme to review'] input:checked\"); return c && c.value !== first }",
        arg=first,
    )
