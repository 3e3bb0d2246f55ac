"""The pages in a real headless chromium: they load with no console error and no network
request, show what ``dautu history``/``dautu review --format json`` say, switch language,
sort, filter and print; a screenshot of each is kept in ``tests-artifacts/html/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from html_cdp import Browser, Page
from html_samples import CODE, HOSTILE_NAME, artifacts, browser, dautu, dautu_json, eventful_store

__all__ = ["artifacts", "browser", "eventful_store"]  # fixtures used by the tests below

REVIEW_DATE = "2024-02-21"


def open_page(browser: Browser, path: Path) -> tuple[Page, str]:
    page = browser.new_page()
    url = page.open(path)
    return page, url


def assert_self_contained(page: Page, url: str) -> None:
    assert page.problems() == []
    assert page.requests() == [url], "the page asked for something besides itself"


def text(page: Page) -> str:
    return str(page.evaluate("document.body.innerText"))


def click(page: Page, selector: str) -> None:
    page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")


@pytest.fixture(scope="module")
def timeline(eventful_store: Path) -> Path:
    done = dautu(
        "--store", "sqlite:///dautu.db", "export", "timeline", "--project", CODE,
        "--as-of", "2024-02-21", "--out", "timeline.html", cwd=eventful_store,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return eventful_store / "timeline.html"


def test_the_timeline_loads_alone_and_lists_every_event_as_history_does(
    browser: Browser, timeline: Path, eventful_store: Path, artifacts: Path
) -> None:
    history: dict[str, Any] = dautu_json(
        "--store", "sqlite:///dautu.db", "history", CODE, "--format", "json", cwd=eventful_store
    )
    history_en: dict[str, Any] = dautu_json(
        "--store", "sqlite:///dautu.db", "--lang", "en", "history", CODE, "--format", "json",
        cwd=eventful_store,
    )  # fmt: skip
    page, url = open_page(browser, timeline)
    assert_self_contained(page, url)
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('article.event')).map(e => "
        "[Number(e.dataset.version), e.dataset.type, e.dataset.effective, e.dataset.status])"
    )
    expected = [
        [e["version"], e["type"], e["effective_date"], e["status"]] for e in history["events"]
    ]
    assert sorted(shown) == sorted(expected)
    body = text(page)
    for event in history["events"]:
        assert event["summary"] in body
        assert event["record_hash"] in body
        assert event["actor"]["name"] in body
    for event in history_en["events"]:
        assert event["summary"] not in body or event["summary"] in {
            e["summary"] for e in history["events"]
        }
    page.screenshot(artifacts / "timeline-vi.png")

    click(page, "#lang-switch")
    english = text(page)
    for event in history_en["events"]:
        assert event["summary"] in english
    assert "Chấp thuận dự án" not in english
    page.screenshot(artifacts / "timeline-en.png")
    browser.close_page(page)


def test_corrections_sit_under_the_event_they_correct(browser: Browser, timeline: Path) -> None:
    page, url = open_page(browser, timeline)
    assert_self_contained(page, url)
    pairs = page.evaluate(
        "Array.from(document.querySelectorAll('article.event[data-corrects]')).map(c => "
        "[Number(c.dataset.corrects), Number(c.parentElement.closest('article.event')"
        ".dataset.version)])"
    )
    assert pairs == [[3, 3], [4, 4]]
    assert page.evaluate("document.querySelector('#v3').dataset.status") == "retracted"
    amended = page.evaluate("document.querySelector('#v4 .replacement').innerText")
    assert "9 tháng" in amended
    browser.close_page(page)


def test_the_timeline_chart_and_milestones(browser: Browser, timeline: Path) -> None:
    page, _ = open_page(browser, timeline)
    kinds = page.evaluate(
        "Array.from(document.querySelectorAll('#timeline-chart [class]')).map(e => "
        "e.getAttribute('class'))"
    )
    for kind in ("approval", "planned", "current", "met", "extended", "found", "sanctioned",
                 "violation-open", "suspended", "terminated-partial", "late", "shift"):  # fmt: skip
        assert kind in kinds, kind
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#milestones tbody tr')).map(r => r.innerText)"
    )
    construction = next(r for r in rows if r.startswith("Khởi công xây dựng"))
    # planned 15/03/2022, the 12-month extension amended to 9: due 15/12/2022, not met.
    assert "15/03/2022" in construction and "15/12/2022" in construction
    assert "chưa hoàn thành, chậm 14 tháng" in construction
    browser.close_page(page)


def test_a_name_with_markup_is_shown_as_text(browser: Browser, timeline: Path) -> None:
    page, url = open_page(browser, timeline)
    assert_self_contained(page, url)
    assert page.evaluate("document.getElementById('project-name').textContent") == HOSTILE_NAME
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("document.querySelectorAll('main b').length") == 0
    browser.close_page(page)


def test_the_printed_page_hides_the_controls(browser: Browser, timeline: Path, artifacts: Path):
    page, _ = open_page(browser, timeline)
    page.send("Emulation.setEmulatedMedia", media="print")
    shown = page.evaluate("getComputedStyle(document.querySelector('.toolbar')).display")
    assert shown == "none"
    page.screenshot(artifacts / "timeline-print.png")
    browser.close_page(page)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    done = dautu("demo", cwd=folder)
    assert done.returncode == 0, done.stderr
    done = dautu(
        "export", "review-html", "--as-of", REVIEW_DATE, "--out", "review.html", cwd=folder
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_the_review_page_shows_the_counts_and_projects_of_review_json(
    browser: Browser, demo: Path, artifacts: Path
) -> None:
    review: dict[str, Any] = dautu_json(
        "review", "--as-of", REVIEW_DATE, "--format", "json", cwd=demo
    )
    page, url = open_page(browser, demo / "review.html")
    assert_self_contained(page, url)
    counts = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#counts tbody tr')).map(r =>"
        " [r.dataset.track, Number(r.querySelector('.count').textContent)]))"
    )
    assert counts == review["counts"]
    assert page.evaluate("Number(document.getElementById('total').textContent)") == len(
        review["projects"]
    )
    bars = page.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#counts-chart g')).map(g =>"
        " [g.dataset.track, Number(g.querySelector('text:last-of-type').textContent)]))"
    )
    assert bars == review["counts"]
    placed = page.evaluate(
        "Array.from(document.querySelectorAll('section.track tbody tr')).map(r =>"
        " [r.dataset.code, r.closest('section').dataset.track])"
    )
    assert sorted(placed) == sorted([p["code"], p["primary_track"]] for p in review["projects"])
    body = text(page)
    for label in review["labels"].values():
        assert label in body
    for project in review["projects"]:
        for reason in project["reasons"]:
            if reason["track"] == project["primary_track"]:
                assert reason["rule_id"] in body
    page.screenshot(artifacts / "review-vi.png")
    browser.close_page(page)


def test_the_review_tables_filter_sort_and_switch_language(
    browser: Browser, demo: Path, artifacts: Path
) -> None:
    review: dict[str, Any] = dautu_json(
        "review", "--as-of", REVIEW_DATE, "--format", "json", cwd=demo
    )
    review_en: dict[str, Any] = dautu_json(
        "--lang", "en", "review", "--as-of", REVIEW_DATE, "--format", "json", cwd=demo
    )
    page, url = open_page(browser, demo / "review.html")
    code = review["projects"][5]["code"]
    visible = (
        "Array.from(document.querySelectorAll('section.track tbody tr'))"
        ".filter(r => r.offsetParent !== null).map(r => r.dataset.code)"
    )
    page.evaluate(
        "(() => { const s = document.getElementById('filter-text');"
        f" s.value = {json.dumps(code)}; s.dispatchEvent(new Event('input')); }})()"
    )
    assert page.evaluate(visible) == [code]
    assert page.evaluate("document.getElementById('filter-count').textContent") == "1"
    page.evaluate(
        "(() => { const s = document.getElementById('filter-text'); s.value = '';"
        " s.dispatchEvent(new Event('input'));"
        " const t = document.getElementById('filter-track'); t.value = 'complete_procedures';"
        " t.dispatchEvent(new Event('change')); })()"
    )
    wanted = sorted(
        p["code"] for p in review["projects"] if p["primary_track"] == "complete_procedures"
    )
    assert sorted(page.evaluate(visible)) == wanted
    assert page.evaluate("document.getElementById('filter-count').textContent") == str(len(wanted))

    first_code = "document.querySelector('#track-complete_procedures tbody tr').dataset.code"
    click(page, "#track-complete_procedures thead th")
    assert page.evaluate(first_code) == wanted[0]
    click(page, "#track-complete_procedures thead th")
    assert page.evaluate(first_code) == wanted[-1]

    click(page, "#lang-switch")
    table = str(page.evaluate("document.getElementById('counts').innerText"))
    for track, label in review_en["labels"].items():
        assert label in table
        assert review["labels"][track] not in table
    assert "Project code" in text(page)
    assert page.problems() == [] and page.requests() == [url]
    page.screenshot(artifacts / "review-en-filtered.png")
    browser.close_page(page)


def test_the_harness_sees_console_errors_and_network_requests(
    browser: Browser, tmp_path: Path
) -> None:
    """The checks above can fail: a page that logs an error and fetches an image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><img src='http://127.0.0.1:9/x.png'>"
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    page, _url = open_page(browser, bad)
    assert any("boom" in p for p in page.problems())
    assert "http://127.0.0.1:9/x.png" in page.requests()
    browser.close_page(page)
